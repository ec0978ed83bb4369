#!/usr/bin/env bash
# Makes data/samples/tables/{telco-churn,credit-data,lending-club,attrition,hpc-data,penguins}.csv
# from Debian's r-cran-modeldata (MIT): the data frames wa_churn, credit_data, lending_club,
# attrition, hpc_data and penguins, written by R as CSV with R's NA as an empty field (factors and
# ordered factors as their labels). Needs apt-get, dpkg and Rscript (Debian r-base-core; installed if
# missing and root).
set -euo pipefail
out="$(cd "$(dirname "$0")/../../samples/tables" && pwd)"
if ! command -v Rscript >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q r-base-core >/dev/null; else
    echo "needs Rscript: apt-get install r-base-core" >&2; exit 1; fi
fi
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download r-cran-modeldata >/dev/null && dpkg -x r-cran-modeldata_*.deb x)
Rscript - "$tmp/x/usr/lib/R/site-library/modeldata/data/Rdata" "$out" <<'R'
a <- commandArgs(trailingOnly = TRUE)
e <- new.env(); lazyLoad(a[1], envir = e)
for (p in list(c("wa_churn", "telco-churn"), c("credit_data", "credit-data"),
               c("lending_club", "lending-club"), c("attrition", "attrition"),
               c("hpc_data", "hpc-data"), c("penguins", "penguins"))) {
  d <- get(p[1], envir = e)
  write.csv(d, file.path(a[2], paste0(p[2], ".csv")), row.names = FALSE, na = "")
  cat(sprintf("wrote %s.csv (%d rows x %d columns)\n", p[2], nrow(d), ncol(d)))
}
R
