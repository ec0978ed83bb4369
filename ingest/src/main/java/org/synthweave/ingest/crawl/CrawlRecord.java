package org.synthweave.ingest.crawl;

import java.io.Serializable;
import java.time.Instant;

/**
 * A crawl record as received: where it came from, what the crawler said about it, and either the
 * raw payload bytes ({@code body}, for HTML and other HTTP payloads) or already-decoded {@code
 * text} (JSONL lines with a {@code text} field). Exactly one of {@code body} and {@code text} is
 * non-null.
 *
 * @param sourceFile the file as given to the reader
 * @param offset byte offset of the WARC record or JSONL line; 0 for HTML files
 * @param recordId WARC-Record-ID, {@code <file>#<line>} for JSONL, the path for HTML files
 * @param url target URI; for HTML files the file URI
 * @param fetchTime WARC-Date or JSONL fetch_time/timestamp; null when unknown
 * @param httpStatus status of a WARC response record; null otherwise
 * @param contentType payload media type (HTTP Content-Type for responses); null when unknown
 * @param charsetHint charset parameter of the payload Content-Type; null when absent
 * @param recordType response, resource, conversion, html_file or jsonl
 * @param body payload bytes after HTTP transfer and content decoding, or null
 * @param text decoded text for JSONL {@code text} records, or null
 */
public record CrawlRecord(
    String sourceFile,
    long offset,
    String recordId,
    String url,
    Instant fetchTime,
    Integer httpStatus,
    String contentType,
    String charsetHint,
    String recordType,
    byte[] body,
    String text)
    implements CrawlEntry, Serializable {
  private static final long serialVersionUID = 1L;

  public static final String TYPE_RESPONSE = "response";
  public static final String TYPE_RESOURCE = "resource";
  public static final String TYPE_CONVERSION = "conversion";
  public static final String TYPE_HTML_FILE = "html_file";
  public static final String TYPE_JSONL = "jsonl";

  /**
   * Earliest fetch time a record may carry: the start of Spark's (and SQL's) timestamp range,
   * 0001-01-01T00:00:00Z. Readers quarantine a record with a time outside [{@link #MIN_FETCH_TIME},
   * {@link #MAX_FETCH_TIME}] instead of letting it overflow the conversion to a table timestamp.
   */
  public static final Instant MIN_FETCH_TIME = Instant.parse("0001-01-01T00:00:00Z");

  /** Latest fetch time a record may carry: 9999-12-31T23:59:59.999999Z (see MIN_FETCH_TIME). */
  public static final Instant MAX_FETCH_TIME = Instant.parse("9999-12-31T23:59:59.999999Z");

  /** Whether {@code time} fits a table timestamp (see {@link #MIN_FETCH_TIME}). */
  public static boolean fetchTimeInRange(Instant time) {
    return !time.isBefore(MIN_FETCH_TIME) && !time.isAfter(MAX_FETCH_TIME);
  }

  public CrawlRecord {
    if (sourceFile == null) {
      throw new IllegalArgumentException("sourceFile must not be null");
    }
    if ((body == null) == (text == null)) {
      throw new IllegalArgumentException(
          "exactly one of body and text must be set for record " + recordId);
    }
  }

  /** Payload size: body bytes, or UTF-8 bytes of the text. */
  public long contentLength() {
    return body != null
        ? body.length
        : text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  @Override
  public String toString() {
    // The default would print the body array identity; the size is what helps in a log.
    return "CrawlRecord["
        + sourceFile
        + "@"
        + offset
        + " "
        + recordType
        + " "
        + url
        + " "
        + (body != null ? body.length + " bytes" : text.length() + " chars")
        + "]";
  }
}
