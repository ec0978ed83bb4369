package org.synthweave.ingest.crawl;

/**
 * One thing a {@link CrawlFileReader} yields: a good {@link CrawlRecord}, a {@link CrawlRejection}
 * for quarantine, or a {@link CrawlSkip} for the run report.
 */
public sealed interface CrawlEntry permits CrawlRecord, CrawlRejection, CrawlSkip {
  /** The file the entry was read from, as given to the reader. */
  String sourceFile();

  /** Byte offset of the entry in the file (0 for HTML files; uncompressed for .jsonl.gz). */
  long offset();
}
