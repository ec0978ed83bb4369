package org.synthweave.ingest.crawl;

/**
 * Push-style receiver for {@link CrawlFileReader#read(java.nio.file.Path, CrawlRecordSink)}. Code
 * that needs to pull (a Spark {@code mapPartitions}) iterates a {@link CrawlFileReader} instead.
 */
public interface CrawlRecordSink {
  /** A good record. */
  void accept(CrawlRecord record);

  /** A record (or damaged region) for quarantine. */
  void reject(CrawlRejection rejection);

  /** Something that is not a record (non-content WARC type, blank line, empty file). */
  default void skipped(CrawlSkip skip) {}
}
