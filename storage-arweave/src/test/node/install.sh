#!/usr/bin/env bash
# Installs arlocal + arweave-js for the storage-arweave integration tests.
# Idempotent: npm runs only when node_modules is missing or package.json / package-lock.json
# changed since the last successful install (a stamp file inside node_modules records their hash).
# The first install takes 1-3 minutes because sqlite3 is compiled with node-gyp, so a finished
# node_modules is also kept in a per-user cache (default ~/.cache/synthweave/arweave-node), keyed by
# the hash of package.json, package-lock.json, the Node.js version and the platform: a fresh clone
# on a machine that installed it once copies it (seconds) instead of compiling again.
# SYNTHWEAVE_NODE_CACHE=DIR moves the cache; SYNTHWEAVE_NODE_CACHE=off turns it off.
set -euo pipefail
cd "$(dirname "$0")"

command -v node >/dev/null || { echo "install.sh: node is not on PATH; install Node.js 18+ to run the arlocal tests" >&2; exit 2; }
command -v npm >/dev/null || { echo "install.sh: npm is not on PATH; install npm to run the arlocal tests" >&2; exit 2; }

stamp=node_modules/.synthweave-install-stamp
wanted() { cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1; }
cache_key() { { wanted; node --version; uname -sm; } | sha256sum | cut -c1-32; }
cache_root="${SYNTHWEAVE_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/synthweave/arweave-node}"

# Two test JVMs (or a developer and a test) may call this at once; serialize them.
mkdir -p node_modules
exec 9>node_modules/.synthweave-install.lock
flock 9

if [[ -f "$stamp" && "$(cat "$stamp")" == "$(wanted)" && -f node_modules/arlocal/bin/index.js ]]; then
  exit 0
fi

cached=""
if [[ "$cache_root" != off ]]; then
  cached="$cache_root/$(cache_key)"
  if [[ -f "$cached/complete" && -f "$cached/node_modules/arlocal/bin/index.js" ]]; then
    echo "install.sh: copying arlocal and arweave-js from the cache $cached" >&2
    # Keep the open lock file; replace everything else.
    find node_modules -mindepth 1 -maxdepth 1 ! -name .synthweave-install.lock -exec rm -rf {} +
    cp -a "$cached/node_modules/." node_modules/
    wanted > "$stamp"
    exit 0
  fi
fi

echo "install.sh: installing arlocal and arweave-js into $(pwd)/node_modules (first time 1-3 min)" >&2
# The avsc override in package.json avoids arbundles' git dependency, which fails offline.
npm install --no-audit --no-fund --loglevel=error >&2
wanted > "$stamp"

# Fill the cache through a temporary folder beside it and a rename, so that a reader never sees
# half a copy. A cache that cannot be written only costs the next fresh clone a compile.
if [[ -n "$cached" ]] && mkdir -p "$cache_root" 2>/dev/null; then
  tmp="$(mktemp -d "$cache_root/.fill.XXXXXX")" || exit 0
  if cp -a node_modules "$tmp/node_modules" && rm -f "$tmp/node_modules/.synthweave-install.lock" \
      && touch "$tmp/complete" && rm -rf "$cached" && mv "$tmp" "$cached"; then
    echo "install.sh: cached the install in $cached" >&2
  else
    rm -rf "$tmp"
    echo "install.sh: could not write the cache $cached (the next fresh clone compiles again)" >&2
  fi
fi
