#!/usr/bin/env bash
# Installs arlocal + arweave-js for the storage-arweave integration tests.
# Idempotent: npm runs only when node_modules is missing or package.json / package-lock.json
# changed since the last successful install (a stamp file inside node_modules records their hash).
# The first install takes ~3 minutes because sqlite3 is compiled with node-gyp.
set -euo pipefail
cd "$(dirname "$0")"

command -v node >/dev/null || { echo "install.sh: node is not on PATH; install Node.js 18+ to run the arlocal tests" >&2; exit 2; }
command -v npm >/dev/null || { echo "install.sh: npm is not on PATH; install npm to run the arlocal tests" >&2; exit 2; }

stamp=node_modules/.synthweave-install-stamp
wanted() { cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1; }

# Two test JVMs (or a developer and a test) may call this at once; serialize them.
mkdir -p node_modules
exec 9>node_modules/.synthweave-install.lock
flock 9

if [[ -f "$stamp" && "$(cat "$stamp")" == "$(wanted)" && -f node_modules/arlocal/bin/index.js ]]; then
  exit 0
fi

echo "install.sh: installing arlocal and arweave-js into $(pwd)/node_modules (first time ~3 min)" >&2
# The avsc override in package.json avoids arbundles' git dependency, which fails offline.
npm install --no-audit --no-fund --loglevel=error >&2
wanted > "$stamp"
