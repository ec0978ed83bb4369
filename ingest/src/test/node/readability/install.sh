#!/usr/bin/env bash
# Installs @mozilla/readability + jsdom (pinned in package.json and package-lock.json) into
# node_modules beside this script, for `synthweave bench extract`. No global install.
# Idempotent: npm runs only when node_modules is missing or package.json / package-lock.json
# changed since the last successful install (a stamp file inside node_modules records their hash).
set -euo pipefail
cd "$(dirname "$0")"

command -v node >/dev/null || { echo "install.sh: node is not on PATH; install Node.js 18+ to run bench extract" >&2; exit 2; }
command -v npm >/dev/null || { echo "install.sh: npm is not on PATH; install npm to run bench extract" >&2; exit 2; }

stamp=node_modules/.synthweave-install-stamp
wanted() { cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1; }

mkdir -p node_modules
exec 9>node_modules/.synthweave-install.lock
flock 9

if [[ -f "$stamp" && "$(cat "$stamp")" == "$(wanted)" && -f node_modules/@mozilla/readability/Readability.js ]]; then
  exit 0
fi

echo "install.sh: installing @mozilla/readability and jsdom into $(pwd)/node_modules" >&2
if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error >&2
else
  npm install --no-audit --no-fund --loglevel=error >&2
fi
wanted > "$stamp"
