#!/usr/bin/env bash
# make loadtest: starts the portal on the frozen record (a private PostgreSQL
# cluster in a temporary folder) and nginx serving the same /standings bytes,
# then sends each the same fixed-rate load with cmd/loadtest, announcing a
# change of the record halfway through, and writes the table to
# docs/benchmarks.md. Everything listens on loopback and stops at the end.
# RATE and DURATION override the load (default 2000 req/s for 30 s);
# SAT_ROUNDS and SAT_DURATION the saturation rounds (10 of 3 s each).
# SMALL=0 skips this part. Then, unless LARGE=0, the same for a large round: a second portal on the
# generated program of 100 teams (20 leaves, 50 evaluators per panel,
# 100,000 scores; `portal gen`), timing its import and its round page, with
# WHATIF_RATE new what-if scenarios per second (default 5) while /standings
# is loaded at LARGE_RATE req/s (default 500) for LARGE_DURATION (30 s).
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-2000}
DURATION=${DURATION:-30s}
SAT_DURATION=${SAT_DURATION:-3s}
PORTAL_PORT=${PORTAL_PORT:-18080}
SAT_PORT=${SAT_PORT:-18083}
NGINX_PORT=${NGINX_PORT:-18081}
SMALL=${SMALL:-1}
LARGE=${LARGE:-1}
LARGE_PORT=${LARGE_PORT:-18082}
WHATIF_RATE=${WHATIF_RATE:-5}
LARGE_RATE=${LARGE_RATE:-500}
LARGE_DURATION=${LARGE_DURATION:-30s}

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
go build -o bin/whatifload ./cmd/whatifload
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

wait_ready() {
  for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fs "http://127.0.0.1:$1/readyz" >/dev/null
}
machine="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GiB"

if [ "$SMALL" != 0 ]; then
bin/portal serve -data-dir "$work/db" -addr "127.0.0.1:$PORTAL_PORT" -base-url "http://127.0.0.1:$PORTAL_PORT" \
  -import internal/fixtures/testdata/record-2026-05.yaml >"$work/portal.log" 2>&1 &
pids+=($!)
wait_ready "$PORTAL_PORT"

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

# Saturation: the portal and nginx on core 0, the load generator on core 1,
# as many requests as 32 connections send (issue 13's same-core comparison).
# The machine's speed drifts by tens of percent within a minute, so one
# long run each compares two moments more than two servers: SAT_ROUNDS
# short rounds measure both back to back, alternating which goes first,
# and the result is the median of the rounds' ratios (and, beside it, the
# ratio of the summed rates).
sat=""
SAT_ROUNDS=${SAT_ROUNDS:-10}
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
  # The portal measured here is a second process on the same database,
  # started on core 0: like nginx's one worker, it is given one core from
  # its start, so Go sizes its scheduler to that core (GOMAXPROCS 1). The
  # first portal, moved onto core 0 later, would keep two schedulers
  # fighting over it.
  DATABASE_URL="$db" taskset -c 0 bin/portal serve -addr "127.0.0.1:$SAT_PORT" -base-url "http://127.0.0.1:$PORTAL_PORT" \
    >"$work/portal-sat.log" 2>&1 &
  pids+=($!)
  wait_ready "$SAT_PORT"
  master=$(cat "$work/nginx.pid")
  for p in "$master" $(pgrep -P "$master"); do taskset -apc 0 "$p" >/dev/null; done
  p="portal=http://127.0.0.1:$SAT_PORT" n="nginx=http://127.0.0.1:$NGINX_PORT"
  # A short round for both first, not counted: the first saturated seconds
  # of a process (its heap and the kernel's socket buffers growing) are
  # slower than the rest, whichever server it is.
  # shellcheck disable=SC2086
  taskset -c 1 bin/loadtest -rate 0 -workers 32 -duration 3s -path /standings $p $n >/dev/null
  for round in $(seq 1 "$SAT_ROUNDS"); do
    order="$p $n"
    [ $((round % 2)) -eq 0 ] && order="$n $p"
    # shellcheck disable=SC2086
    out=$(taskset -c 1 bin/loadtest -rate 0 -workers 32 -duration "$SAT_DURATION" -path /standings $order)
    [ -z "$sat" ] && sat=$(echo "$out" | grep -v '^| \(portal\|nginx\) ')
    sat="$sat"$'\n'"$(echo "$out" | grep '^| \(portal\|nginx\) ')"
  done
  ratio=$(echo "$sat" | awk -F'|' '$2 ~ /portal/ {p += $3} $2 ~ /nginx/ {n += $3} END { if (n > 0) printf "%.2f", p / n }')
  # Rows come in pairs, one pair per round.
  median=$(echo "$sat" | awk -F'|' '$2 ~ /portal|nginx/ { r[$2 ~ /portal/ ? "p" : "n"] = $3; if (++k % 2 == 0) print r["p"] / r["n"] }' |
    sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  sat="$sat"$'\n\n'"Portal ÷ nginx over $SAT_ROUNDS rounds of $SAT_DURATION in alternating order: median of the rounds' ratios $median×; summed rates $ratio×."
  echo "$sat"
fi

{
  echo
  echo "## Fixed-rate load: portal and nginx on the same bytes ($(TZ=Asia/Seoul date '+%Y-%m-%d %H:%M KST'))"
  echo
  echo "Machine: $machine; portal, nginx (one worker) and the load generator on the same machine."
  echo "Command: \`make loadtest\` (RATE=$RATE DURATION=$DURATION)."
  echo
  echo "$table"
  if [ -n "$sat" ]; then
    echo
    echo "Saturation on one core: a second portal on the same database started on core 0 (so GOMAXPROCS 1), nginx's one worker moved to core 0, the load generator on core 1; a 3 s warm-up round for both first:"
    echo
    echo "$sat"
  fi
} >>docs/benchmarks.md
fi

[ "$LARGE" = 0 ] && exit 0
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }

# The large round: a portal on an empty database, the generated program
# imported into it while it runs (the import is timed on its own), then
# the round page and the what-if explorer under load.
bin/portal gen -teams 100 -o "$work/program-100.yaml"
bin/portal serve -data-dir "$work/db100" -addr "127.0.0.1:$LARGE_PORT" -base-url "http://127.0.0.1:$LARGE_PORT" \
  >"$work/portal-100.log" 2>&1 &
pids+=($!)
wait_ready "$LARGE_PORT"
start=$(date +%s.%N)
bin/portal import -data-dir "$work/db100" "$work/program-100.yaml" >"$work/import-100.log" 2>&1
import_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
round="http://127.0.0.1:$LARGE_PORT/rounds/big-round"
sleep 2 # the import's change notification reaches the page cache
first=$(curl -fs -o /dev/null -w '%{time_total} %{size_download}' "$round")
again=$(curl -fs -o /dev/null -w '%{time_total}' "$round")
br=$(curl -fs -o /dev/null -H 'Accept-Encoding: br' -w '%{size_download}' "$round")
mixed=$(bin/whatifload -round big-round -whatif-rate "$WHATIF_RATE" -rate "$LARGE_RATE" -duration "$LARGE_DURATION" \
  "http://127.0.0.1:$LARGE_PORT")
echo "$mixed"
{
  echo
  echo "## A round of 100 teams ($(TZ=Asia/Seoul date '+%Y-%m-%d %H:%M KST'))"
  echo
  echo "Machine: $machine; load average at the start $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Program: \`portal gen -teams 100\` (20 leaves, 50 evaluators per panel, 100,000 scores)."
  echo "Command: \`make loadtest\` (WHATIF_RATE=$WHATIF_RATE LARGE_RATE=$LARGE_RATE LARGE_DURATION=$LARGE_DURATION)."
  echo
  echo "| measurement | result |"
  echo "| --- | --- |"
  echo "| \`portal import\` of the program (parse, validate, write, publish) | $import_s s |"
  echo "| round page, first request after the import (loads and renders) | $(ms "${first% *}") ms, ${first#* } bytes |"
  echo "| round page, cached | $(ms "$again") ms; brotli $br bytes |"
  echo
  echo "$mixed"
} >>docs/benchmarks.md
