#!/usr/bin/env bash
# Installs Azurite from npm into tools/azurite (pinned by package-lock.json), again whenever the lockfile changed.
# Used by ./run.sh (the local task hub and storage) and ./test.sh (the storage and orchestration tests).
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
command -v node >/dev/null || { echo "Node.js 20 or later is needed for Azurite (the local Azure Storage emulator); install it first." >&2; exit 1; }
lock_hash=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
stamp="$dir/node_modules/.installed-lock-sha256"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "Installing Azurite from npm (once)..." >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" >"$stamp"
fi
