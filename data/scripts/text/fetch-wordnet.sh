#!/usr/bin/env bash
# Fetches the WordNet 3.0 database files (data.noun, data.verb, data.adj, data.adv, their index.*
# files and the license) from Debian's wordnet-base package into data/bench/wordnet/. The
# augmentation stage's synonym replacement and insertion read them (WordNet 3.0 license: free use,
# copyright Princeton University). Needs apt-get and dpkg; idempotent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
out="${root}/data/bench/wordnet"
if [ -f "${out}/data.noun" ] && [ -f "${out}/data.adv" ]; then
  exit 0
fi
mkdir -p "${out}"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
cd "${work}"
apt-get download wordnet-base >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get download wordnet-base >/dev/null; }
dpkg -x wordnet-base_*.deb x
dict="$(dirname "$(find x -name data.noun | head -1)")"
for f in data.noun data.verb data.adj data.adv; do
  cp "${dict}/${f}" "${out}/"
done
cp x/usr/share/doc/wordnet-base/copyright "${out}/LICENSE" 2>/dev/null || true
ls "${out}"
