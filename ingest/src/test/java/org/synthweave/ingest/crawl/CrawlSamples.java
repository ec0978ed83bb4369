package org.synthweave.ingest.crawl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Locates the committed crawl samples and collects what a reader yields. */
final class CrawlSamples {
  private CrawlSamples() {}

  static final String CC_WARC = "CC-MAIN-20140820021334-00006-ip-10-180-136-8.ec2.internal.warc";
  static final String CC_WARC_GZ = CC_WARC + ".gz";
  static final String PYDOC_WARC_GZ = "python-docs-localhost.warc.gz";
  static final String JSONL = "sotu-and-spam.jsonl";

  /** data/samples/crawl, from the repo root surefire passes or by walking up from the cwd. */
  static Path dir() {
    String root = System.getProperty("synthweave.repo.root");
    Path start = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      Path candidate = p.resolve("data/samples/crawl");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("data/samples/crawl not found above " + start);
  }

  static Path file(String name) {
    return dir().resolve(name);
  }

  /** Everything one file yields, in order, plus the reader's stats. */
  record Read(
      List<CrawlRecord> records,
      List<CrawlRejection> rejections,
      List<CrawlSkip> skips,
      CrawlReadStats stats) {
    CrawlRecord byUrlSuffix(String suffix) {
      return records.stream()
          .filter(r -> r.url() != null && r.url().endsWith(suffix))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no record with url ending " + suffix));
    }
  }

  static Read read(Path file) {
    return read(file, CrawlFileReader.DEFAULT_MAX_RECORD_BYTES);
  }

  static Read read(Path file, long maxRecordBytes) {
    List<CrawlRecord> records = new ArrayList<>();
    List<CrawlRejection> rejections = new ArrayList<>();
    List<CrawlSkip> skips = new ArrayList<>();
    CrawlReadStats stats =
        CrawlFileReader.read(
            file,
            maxRecordBytes,
            new CrawlRecordSink() {
              @Override
              public void accept(CrawlRecord record) {
                records.add(record);
              }

              @Override
              public void reject(CrawlRejection rejection) {
                rejections.add(rejection);
              }

              @Override
              public void skipped(CrawlSkip skip) {
                skips.add(skip);
              }
            });
    return new Read(records, rejections, skips, stats);
  }

  static CrawlDocument document(CrawlRecord record) {
    DocumentOutcome outcome = CrawlDocuments.toDocument(record);
    if (outcome instanceof CrawlDocument doc) {
      return doc;
    }
    throw new AssertionError("expected a document for " + record + ", got " + outcome);
  }

  static CrawlRejection rejection(CrawlRecord record) {
    DocumentOutcome outcome = CrawlDocuments.toDocument(record);
    if (outcome instanceof CrawlRejection rejection) {
      return rejection;
    }
    throw new AssertionError("expected a rejection for " + record + ", got " + outcome);
  }
}
