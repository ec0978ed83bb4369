#!/usr/bin/env bash
# Makes data/samples/tables/breast-cancer.csv from Debian's python3-sklearn (BSD-3): the UCI Breast
# Cancer Wisconsin (Diagnostic) data, 569 rows x 30 numeric features. sklearn's file has a
# count/class-name first line and a 0/1 last column; this writes sklearn's own feature names (from
# load_breast_cancer in sklearn/datasets/_base.py, spaces as '_') and the class names (0 = malignant,
# 1 = benign, as sklearn's target_names) in a last column 'diagnosis'. Needs apt-get, dpkg, python3.
set -euo pipefail
out="$(cd "$(dirname "$0")/../../samples/tables" && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download python3-sklearn >/dev/null && dpkg -x python3-sklearn_*.deb x)
pkg="$tmp/x/usr/lib/python3/dist-packages/sklearn/datasets"
python3 - "$pkg/_base.py" "$pkg/data/breast_cancer.csv" "$out/breast-cancer.csv" <<'PY'
import csv, re, sys
src = open(sys.argv[1]).read()
body = src[src.index("def load_breast_cancer"):]
body = body[body.index("feature_names = "):body.index("frame = None")]
names = [n.replace(" ", "_") for n in re.findall(r'"([^"]+)"', body)]
assert len(names) == 30, names
with open(sys.argv[2]) as f, open(sys.argv[3], "w", newline="") as g:
    rows = list(csv.reader(f))
    classes = rows[0][2:]  # "569,30,malignant,benign": the class names by label
    w = csv.writer(g, lineterminator="\n")
    w.writerow(names + ["diagnosis"])
    for r in rows[1:]:
        w.writerow(r[:-1] + [classes[int(r[-1])]])
PY
echo "wrote $out/breast-cancer.csv ($(($(wc -l < "$out/breast-cancer.csv") - 1)) rows)"
