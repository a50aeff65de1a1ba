#!/usr/bin/env bash
# Fetches the pinned axe-core from the npm registry into .cache/axe/ (not
# committed) for the accessibility browser test; nothing to do when that
# version is already there. Needs npm.
set -euo pipefail
AXE_VERSION=4.14.1
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.cache/axe"
if [ -f "$dest/axe.min.js" ] && [ "$(cat "$dest/VERSION" 2>/dev/null)" = "$AXE_VERSION" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "the accessibility test needs axe-core: install npm, then run scripts/axe-deps.sh" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null && tar xzf "axe-core-$AXE_VERSION.tgz")
mkdir -p "$dest"
cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$dest/"
echo "$AXE_VERSION" >"$dest/VERSION"
echo "axe-core $AXE_VERSION in .cache/axe" >&2
