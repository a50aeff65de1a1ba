#!/usr/bin/env bash
# Installs Debian's headless shell of Chromium (the browser tests' browser:
# without the full browser's window layer it needs less CPU) and the CJK
# fonts when it is missing. A full Chromium is the fallback where the
# headless shell cannot be installed.
set -euo pipefail
if command -v chromium-headless-shell >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    exit 0
  fi
  echo "browser tests need Chromium; install it with your package manager" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing chromium-headless-shell for the browser tests…" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium-headless-shell fonts-noto-cjk >/dev/null
