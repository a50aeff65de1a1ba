#!/usr/bin/env bash
# make loadtest: starts the portal on the frozen record (a private PostgreSQL
# cluster in a temporary folder) and nginx serving the same /standings bytes,
# then sends each the same fixed-rate load with cmd/loadtest, announcing a
# change of the record halfway through, and writes the table to
# docs/benchmarks.md. Everything listens on loopback and stops at the end.
# RATE and DURATION override the load (default 2000 req/s for 30 s).
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-2000}
DURATION=${DURATION:-30s}
PORTAL_PORT=${PORTAL_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "installing nginx for the load test…" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx-light >/dev/null 2>&1 ||
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

go build -o bin/portal ./cmd/portal
go build -o bin/loadtest ./cmd/loadtest
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

bin/portal serve -data-dir "$work/db" -addr "127.0.0.1:$PORTAL_PORT" -base-url "http://127.0.0.1:$PORTAL_PORT" \
  -import internal/fixtures/testdata/record-2026-05.yaml >"$work/portal.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORTAL_PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$PORTAL_PORT/readyz" >/dev/null

# nginx serves the portal's bytes of /standings, precompressed like the portal keeps them.
mkdir -p "$work/www"
curl -fs "http://127.0.0.1:$PORTAL_PORT/standings" -o "$work/www/standings"
gzip -9 -k "$work/www/standings"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/tmp;
  proxy_temp_path $work/tmp;
  fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp;
  scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/www;
    gzip_static on;
    location = /standings { default_type "text/html; charset=utf-8"; }
  }
}
CONF
mkdir -p "$work/tmp"
"$NGINX" -c "$work/nginx.conf"

db="postgres://postgres@/portal?host=$work/db/postgres&sslmode=disable"
table=$(bin/loadtest -rate "$RATE" -duration "$DURATION" -path /standings -database-url "$db" \
  portal="http://127.0.0.1:$PORTAL_PORT" nginx="http://127.0.0.1:$NGINX_PORT")
echo "$table"

machine="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GiB"
{
  echo
  echo "## Fixed-rate load: portal and nginx on the same bytes ($(date -u +%Y-%m-%d))"
  echo
  echo "Machine: $machine; portal, nginx (one worker) and the load generator on the same machine."
  echo "Command: \`make loadtest\` (RATE=$RATE DURATION=$DURATION)."
  echo
  echo "$table"
} >>docs/benchmarks.md
