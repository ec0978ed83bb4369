#!/usr/bin/env bash
# Makes the known-item sets for `synthweave bench market-ranking` (issue 20, "ranking quality is
# measured") from real metadata in the Debian archive, into data/bench/market-ranking/ (not
# committed: the texts come under their packages' licenses):
#
#   r-datasets.jsonl       the data sets documented in R's own `datasets` package (r-base-core) and
#                          in the r-cran-* packages below: id = package::name, title = "name
#                          (package)", description = the Rd \description, columns = the data's
#                          column names (loaded with data(), else the \item labels of \format),
#                          query = the Rd \title (a one-line paraphrase written by the author).
#   debian-packages.jsonl  5,000 Debian bookworm packages (fixed seed) whose long description no
#                          other package shares: title = package name, description = the long
#                          description (Translation-en), query = the one-line synopsis.
#   SOURCES.txt            what the files were made from (archive dates, package versions).
#
# Each line: {"id","title","description","keywords":[],"columns":[...],"query"}. Needs apt-get,
# dpkg, lz4 and Rscript (Debian r-base-core; installed when missing and root). The r-cran packages
# are only downloaded and unpacked here (apt-get download + dpkg -x), not installed; the Debian
# descriptions come from an `apt-get update` into a private lists folder with English
# translations on (the system's apt state is left alone). Idempotent: existing files are kept
# unless FORCE=1. SAMPLE (default 5000) and SEED (default 20) change the Debian draw. The figures in
# docs/BENCHMARKS.md ("Market ranking") were measured on the files whose SHA-256 it gives.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
out="${root}/data/bench/market-ranking"
pkgs=(r-cran-mass r-cran-mlbench r-cran-modeldata r-cran-cardata r-cran-hsaur3 r-cran-survival
  r-cran-boot r-cran-kmsurv r-cran-metadat r-cran-dslabs r-cran-aer r-cran-mlmrev r-cran-vcd
  r-cran-robustbase r-cran-psych r-cran-palmerpenguins)
sample_size="${SAMPLE:-5000}"
seed="${SEED:-20}"
if [ -z "${FORCE:-}" ] && [ -s "${out}/r-datasets.jsonl" ] && [ -s "${out}/debian-packages.jsonl" ]; then
  ls -l "${out}"
  exit 0
fi
if ! command -v Rscript >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends r-base-core >/dev/null
  else
    echo "needs Rscript: apt-get install r-base-core (as root)" >&2
    exit 1
  fi
fi
mkdir -p "${out}"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

# R data sets: unpack each r-cran package into one library folder.
mkdir -p "${work}/debs" "${work}/lib"
(cd "${work}/debs" && for p in "${pkgs[@]}"; do
  apt-get -o APT::Sandbox::User=root download "${p}" >/dev/null
done)
: >"${out}/SOURCES.txt"
for d in "${work}"/debs/*.deb; do
  dpkg -x "${d}" "${work}/x"
  echo "$(dpkg-deb -f "${d}" Package) $(dpkg-deb -f "${d}" Version)" >>"${out}/SOURCES.txt"
done
echo "r-base-core $(dpkg-query -W -f '${Version}' r-base-core) (package datasets)" >>"${out}/SOURCES.txt"
# r-recommended packages (MASS, survival, boot) unpack to library/, the others to site-library/
cp -r "${work}"/x/usr/lib/R/*library/* "${work}/lib/"
Rscript - "${work}/lib" "${out}/r-datasets.jsonl" <<'R'
a <- commandArgs(trailingOnly = TRUE)
lib <- a[1]
pkgs <- c("datasets", sort(list.files(lib)))
skip <- c("COMMENT", "\\Sexpr", "\\examples", "\\source", "\\references", "\\seealso",
          "\\url", "\\enc")
flat <- function(x) {
  tag <- attr(x, "Rd_tag")
  if (!is.null(tag)) {
    if (tag %in% skip) return(" ")
    if (tag %in% c("\\eqn", "\\deqn", "\\href") && is.list(x) && length(x) == 2) {
      return(flat(x[[2]])) # the ASCII form of an equation, the text of a link
    }
    if (tag == "\\item") return(paste(" ", paste(vapply(x, flat, ""), collapse = ": "), " "))
  }
  if (is.list(x)) return(paste(vapply(x, flat, ""), collapse = ""))
  paste(as.character(x), collapse = "")
}
norm <- function(s) gsub("^ | $", "", gsub("\\s+", " ", s))
section <- function(rd, tag) {
  for (s in rd) if (identical(attr(s, "Rd_tag"), tag)) return(s)
  NULL
}
sections <- function(rd, tag) Filter(function(s) identical(attr(s, "Rd_tag"), tag), rd)
# the \item labels of the \describe lists in \format
labels <- function(x) {
  out <- character()
  walk <- function(y) {
    if (identical(attr(y, "Rd_tag"), "\\item") && is.list(y) && length(y) == 2) {
      out <<- c(out, norm(flat(y[[1]])))
    } else if (is.list(y)) for (z in y) walk(z)
  }
  walk(x)
  out[nchar(out) > 0 & nchar(out) < 60]
}
columns <- function(pkg, names) {
  for (nm in names) {
    e <- new.env()
    # a data set whose class needs a package that is not here (e.g. a tibble) is left out of
    # this and falls back to the \format labels
    cn <- tryCatch({
      suppressWarnings(utils::data(list = nm, package = pkg, lib.loc = c(lib, .libPaths()),
                                   envir = e))
      o <- get(if (nm %in% ls(e)) nm else ls(e)[1], envir = e)
      c <- if (is.data.frame(o) || (is.list(o) && !is.null(names(o)))) names(o) else colnames(o)
      if (is.null(c)) character() else head(c, 200)
    }, error = function(err) NULL)
    if (!is.null(cn)) return(cn)
  }
  NULL
}
esc <- function(s) {
  s <- enc2utf8(s)
  s <- gsub("\\", "\\\\", s, fixed = TRUE)
  s <- gsub("\"", "\\\"", s, fixed = TRUE)
  s <- gsub("[[:cntrl:]]", " ", s)
  paste0("\"", s, "\"")
}
lines <- character()
seen <- character()
for (pkg in pkgs) {
  db <- tools::Rd_db(pkg, lib.loc = c(lib, .libPaths()))
  n <- 0
  for (rd in db) {
    type <- section(rd, "\\docType")
    kw <- vapply(sections(rd, "\\keyword"), function(k) norm(flat(k)), "")
    if (!(identical(norm(flat(type)), "data") || "datasets" %in% kw)) next
    name <- norm(flat(section(rd, "\\name")))
    title <- norm(flat(section(rd, "\\title")))
    desc <- norm(flat(section(rd, "\\description")))
    if (nchar(title) == 0 || nchar(desc) < 20 || desc %in% seen) next
    seen <- c(seen, desc)
    aliases <- unique(c(name, vapply(sections(rd, "\\alias"), function(k) norm(flat(k)), "")))
    cols <- columns(pkg, aliases)
    if (is.null(cols)) cols <- labels(section(rd, "\\format"))
    lines <- c(lines, paste0(
      "{\"id\":", esc(paste0(pkg, "::", name)),
      ",\"title\":", esc(paste0(name, " (", pkg, ")")),
      ",\"description\":", esc(desc),
      ",\"keywords\":[]",
      ",\"columns\":[", paste(vapply(cols, esc, ""), collapse = ","), "]",
      ",\"query\":", esc(title), "}"))
    n <- n + 1
  }
  cat(sprintf("%s: %d data sets\n", pkg, n))
}
con <- file(a[2], open = "w", encoding = "UTF-8")
writeLines(lines, con, useBytes = TRUE)
close(con)
cat(sprintf("wrote %s: %d data sets\n", a[2], length(lines)))
R

# Debian package descriptions: English translations of bookworm main.
mkdir -p "${work}/lists/partial" "${work}/cache"
printf '#clear Acquire::Languages;\nAcquire::Languages { "en"; };\n' >"${work}/lang.conf"
apt-get -c "${work}/lang.conf" -o APT::Sandbox::User=root -o Dir::State::Lists="${work}/lists" -o Dir::Cache="${work}/cache" \
  update >/dev/null
release="$(ls "${work}"/lists/*_dists_bookworm_InRelease)"
echo "debian $(grep -m1 '^Date:' "${release}") (bookworm main Translation-en)" >>"${out}/SOURCES.txt"
lz4cat "${work}"/lists/*_dists_bookworm_main_i18n_Translation-en.lz4 >"${work}/Translation-en"
Rscript - "${work}/Translation-en" "${out}/debian-packages.jsonl" "${sample_size}" "${seed}" <<'R'
a <- commandArgs(trailingOnly = TRUE)
d <- read.dcf(a[1], fields = c("Package", "Description-en"), keep.white = "Description-en")
d <- d[!is.na(d[, 2]), , drop = FALSE]
d <- d[!duplicated(d[, 1]), , drop = FALSE]
split <- strsplit(d[, 2], "\n", fixed = TRUE)
synopsis <- trimws(vapply(split, `[`, "", 1))
long <- vapply(split, function(l) {
  l <- trimws(l[-1])
  l[l == "."] <- "\n"
  gsub("[ \t]+", " ", trimws(paste(l, collapse = " ")))
}, "")
long <- gsub(" ?\n ?", " ", long)
shared <- long %in% long[duplicated(long)]
ok <- !shared & nchar(long) >= 80 & nchar(synopsis) > 0
pkg <- d[ok, 1]; synopsis <- synopsis[ok]; long <- long[ok]
o <- order(pkg)
pkg <- pkg[o]; synopsis <- synopsis[o]; long <- long[o]
set.seed(as.integer(a[4]))
pick <- sort(sample.int(length(pkg), min(as.integer(a[3]), length(pkg))))
esc <- function(s) {
  s <- enc2utf8(s)
  s <- gsub("\\", "\\\\", s, fixed = TRUE)
  s <- gsub("\"", "\\\"", s, fixed = TRUE)
  s <- gsub("[[:cntrl:]]", " ", s)
  paste0("\"", s, "\"")
}
lines <- paste0("{\"id\":", esc(pkg[pick]), ",\"title\":", esc(pkg[pick]),
                ",\"description\":", esc(long[pick]), ",\"keywords\":[],\"columns\":[]",
                ",\"query\":", esc(synopsis[pick]), "}")
con <- file(a[2], open = "w", encoding = "UTF-8")
writeLines(lines, con, useBytes = TRUE)
close(con)
cat(sprintf("wrote %s: %d of %d packages with a long description of their own (seed %s)\n",
            a[2], length(lines), length(pkg), a[4]))
R
(cd "${out}" && sha256sum r-datasets.jsonl debian-packages.jsonl >>SOURCES.txt)
cat "${out}/SOURCES.txt"
