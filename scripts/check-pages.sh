#!/usr/bin/env bash
# Checks the public pages of a running portal in headless Chromium: no page
# wider than a 360 px screen, page weights with an empty cache, and no
# axe-core violation. Uses the axe-core the browser tests use (fetched and
# pinned by scripts/axe-deps.sh); needs npm, Node 20+ and Chromium.
#
#   bash scripts/check-pages.sh [BASE_URL]      (default http://127.0.0.1:8080)
#
# SHOTS=folder keeps screenshots; WIDTHS=360,1366 sets the widths; extra
# paths may follow the URL.
set -euo pipefail
base=${1:-http://127.0.0.1:8080}
shift || true
pages=("$@")
if [ ${#pages[@]} -eq 0 ]; then
  pages=(/ /standings /teams /teams/lg /rounds /rounds/stage-1 /rounds/stage-2 /funding /history
    /organizations /data /search?q=lg /rounds/stage-1/what-if
    /en /en/standings /en/teams/lg /en/rounds/stage-1 /en/funding /en/history)
fi
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/axe-deps.sh"
chromium=$(command -v chromium || command -v chromium-browser)
AXE="$here/../.cache/axe/axe.min.js" CHROMIUM="$chromium" \
  node --experimental-websocket --no-warnings "$here/check-pages.mjs" "$base" "${WIDTHS:-360,1366}" "${pages[@]}"
