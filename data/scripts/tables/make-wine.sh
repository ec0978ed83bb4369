#!/usr/bin/env bash
# Makes data/samples/tables/wine.csv from Debian's python3-sklearn (UCI Wine recognition data):
# replaces sklearn's count/class-name first line with real column names. Needs apt-get, dpkg, python3.
set -euo pipefail
out="$(cd "$(dirname "$0")/../../samples/tables" && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download python3-sklearn >/dev/null && dpkg -x python3-sklearn_*.deb x)
src="$tmp/x/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv"
python3 - "$src" "$out/wine.csv" <<'PY'
import csv, sys
cols = ["alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols",
        "flavanoids", "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue",
        "od280_od315", "proline", "cultivar"]
with open(sys.argv[1]) as f, open(sys.argv[2], "w", newline="") as g:
    rows = list(csv.reader(f))[1:]
    w = csv.writer(g, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow(r[:-1] + ["class_" + r[-1]])
PY
echo "wrote $out/wine.csv ($(($(wc -l < "$out/wine.csv") - 1)) rows)"
