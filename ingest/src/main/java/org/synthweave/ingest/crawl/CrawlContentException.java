package org.synthweave.ingest.crawl;

/**
 * Bad content found while extracting or decoding one record. Checked on purpose: every caller must
 * turn it into a {@link CrawlRejection} (see {@link #toRejection(CrawlRecord)}) rather than let it
 * end a Spark task.
 */
public final class CrawlContentException extends Exception {
  private static final long serialVersionUID = 1L;

  private final CrawlRejectReason reason;
  private final String field;

  public CrawlContentException(CrawlRejectReason reason, String field, String detail) {
    super(detail);
    if (reason == null) {
      throw new IllegalArgumentException("reason must not be null");
    }
    this.reason = reason;
    this.field = field;
  }

  public CrawlRejectReason reason() {
    return reason;
  }

  /** The offending field where known, else null. */
  public String field() {
    return field;
  }

  /** The rejection of {@code record} for this problem. */
  public CrawlRejection toRejection(CrawlRecord record) {
    return CrawlRejection.of(
        record.sourceFile(),
        record.offset(),
        record.recordId(),
        record.url(),
        reason,
        field,
        getMessage(),
        record.body());
  }
}
