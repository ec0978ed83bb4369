package org.synthweave.ingest.crawl;

import java.io.Serializable;

/**
 * A record that goes to quarantine instead of downstream, with a stable {@link CrawlRejectReason}
 * and enough context to find it again. Rejections are values, not exceptions, so one bad record
 * never stops a file.
 *
 * @param sourceFile the file as given to the reader
 * @param offset byte offset of the record or damaged region
 * @param recordId record id where known, else null
 * @param url target URI where known, else null
 * @param reason why it was rejected
 * @param field the offending field where known (e.g. {@code url}), else null
 * @param detail what exactly was wrong (exception message, charset name, sizes)
 * @param raw a prefix of the raw record bytes where cheaply available, else null
 * @param rawLength full length of the raw record in bytes, or -1 when unknown
 */
public record CrawlRejection(
    String sourceFile,
    long offset,
    String recordId,
    String url,
    CrawlRejectReason reason,
    String field,
    String detail,
    byte[] raw,
    long rawLength)
    implements CrawlEntry, DocumentOutcome, Serializable {
  private static final long serialVersionUID = 1L;

  /** Raw bytes kept with a rejection, so a quarantine row stays small. */
  public static final int DEFAULT_RAW_PREFIX_BYTES = 64 * 1024;

  public CrawlRejection {
    if (sourceFile == null) {
      throw new IllegalArgumentException("sourceFile must not be null");
    }
    if (reason == null) {
      throw new IllegalArgumentException("reason must not be null");
    }
  }

  static CrawlRejection of(
      String sourceFile,
      long offset,
      String recordId,
      String url,
      CrawlRejectReason reason,
      String field,
      String detail,
      byte[] raw) {
    byte[] prefix = null;
    long length = -1;
    if (raw != null) {
      length = raw.length;
      prefix =
          raw.length <= DEFAULT_RAW_PREFIX_BYTES
              ? raw
              : java.util.Arrays.copyOf(raw, DEFAULT_RAW_PREFIX_BYTES);
    }
    return new CrawlRejection(
        sourceFile, offset, recordId, url, reason, field, detail, prefix, length);
  }

  /** Reason message plus detail, for logs and the quarantine {@code detail} column. */
  public String describe() {
    return reason.code()
        + " at "
        + sourceFile
        + "@"
        + offset
        + (recordId != null ? " (" + recordId + ")" : "")
        + ": "
        + (detail != null ? detail + "; " : "")
        + reason.message();
  }

  @Override
  public String toString() {
    return "CrawlRejection[" + describe() + "]";
  }
}
