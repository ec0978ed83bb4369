#!/usr/bin/env bash
# Makes data/samples/tables/{satellite,house-votes}.csv from Debian's r-cran-mlbench (GPL-2): the
# data frames Satellite (Statlog Landsat satellite image data, 6,435 pixels x 36 spectral values,
# target 'classes', 6 soil and crop types) and HouseVotes84 (1984 US Congressional voting records,
# 435 members x 16 y/n votes named V1..V16 as in mlbench, target 'Class' democrat/republican), written
# by R as CSV with R's NA as an empty field. Needs apt-get, dpkg and Rscript (Debian r-base-core;
# installed if missing and root).
set -euo pipefail
out="$(cd "$(dirname "$0")/../../samples/tables" && pwd)"
if ! command -v Rscript >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q r-base-core >/dev/null; else
    echo "needs Rscript: apt-get install r-base-core" >&2; exit 1; fi
fi
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download r-cran-mlbench >/dev/null && dpkg -x r-cran-mlbench_*.deb x)
Rscript - "$tmp/x/usr/lib/R/site-library/mlbench/data" "$out" <<'R'
a <- commandArgs(trailingOnly = TRUE)
for (p in list(c("Satellite", "satellite"), c("HouseVotes84", "house-votes"))) {
  e <- new.env(); load(file.path(a[1], paste0(p[1], ".rda")), envir = e)
  d <- get(p[1], envir = e)
  write.csv(d, file.path(a[2], paste0(p[2], ".csv")), row.names = FALSE, na = "")
  cat(sprintf("wrote %s.csv (%d rows x %d columns)\n", p[2], nrow(d), ncol(d)))
}
R
