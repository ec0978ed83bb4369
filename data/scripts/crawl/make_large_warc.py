"""Writes a small .warc.gz whose records expand to a lot of text: issue 17 item 2's streaming check.

Usage: make_large_warc.py OUT.warc.gz [RECORDS=300] [RECORD_MIB=2]
Each record is its own gzip member (as crawlers write them): a WARC/1.0 response whose HTTP body is
an HTML page of RECORD_MIB MiB, made of one record-specific block of English words (seeded by the
record number) repeated, so the records differ from each other but compress about 500-fold.
Deterministic: the same arguments give the same file byte for byte.
"""
import gzip
import random
import sys
import uuid

WORDS = (
    "the river carried light timber past the mill while workers counted barrels of grain and"
    " wrote each number into a ledger kept beside the scale because the harbour master wanted"
    " a clear account before winter closed the northern road to every cart and wagon"
).split()


def page(index, size):
    rnd = random.Random(index)
    sentences = []
    for _ in range(40):
        words = [rnd.choice(WORDS) for _ in range(rnd.randint(8, 16))]
        sentences.append(" ".join(words).capitalize() + ".")
    block = "<p>Record %d. %s</p>\n" % (index, " ".join(sentences))
    head = "<html><head><title>Record %d</title></head><body><article>\n" % index
    tail = "</article></body></html>\n"
    body = head + block * ((size - len(head) - len(tail)) // len(block) + 1) + tail
    return body.encode("utf-8")


def record(index, size):
    html = page(index, size)
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        + b"Content-Length: %d\r\n\r\n" % len(html)
        + html
    )
    rid = uuid.UUID(int=random.Random(-1 - index).getrandbits(128))
    header = (
        "WARC/1.0\r\n"
        "WARC-Type: response\r\n"
        "WARC-Target-URI: https://example.org/large/%d.html\r\n"
        "WARC-Date: 2026-12-05T00:00:00Z\r\n"
        "WARC-Record-ID: <urn:uuid:%s>\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        "Content-Length: %d\r\n\r\n" % (index, rid, len(http))
    ).encode("ascii")
    return header + http + b"\r\n\r\n"


def main():
    out = sys.argv[1]
    records = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    size = int(float(sys.argv[3]) * (1 << 20)) if len(sys.argv) > 3 else 2 << 20
    with open(out, "wb") as f:
        for i in range(records):
            f.write(gzip.compress(record(i, size), compresslevel=9, mtime=0))


if __name__ == "__main__":
    main()
