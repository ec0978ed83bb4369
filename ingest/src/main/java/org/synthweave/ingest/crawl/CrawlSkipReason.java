package org.synthweave.ingest.crawl;

/**
 * Why something in a crawl file was not counted as a record at all. Skips are reported beside the
 * balance {@code records in = out + quarantined + duplicates}, never inside it.
 */
public enum CrawlSkipReason {
  /**
   * A WARC record of a type that carries no page content (warcinfo, request, metadata, revisit,
   * continuation, or an unknown type).
   */
  WARC_TYPE("warc_type"),
  /** A JSONL line that is empty or only whitespace. */
  BLANK_LINE("blank_line"),
  /** A zero-byte file (or a gzip file that decompresses to nothing): zero records. */
  EMPTY_FILE("empty_file");

  private final String code;

  CrawlSkipReason(String code) {
    this.code = code;
  }

  /** Stable snake_case code for run reports. */
  public String code() {
    return code;
  }
}
