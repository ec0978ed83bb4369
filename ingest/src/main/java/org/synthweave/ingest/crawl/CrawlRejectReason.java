package org.synthweave.ingest.crawl;

/**
 * The stable reason codes for crawl records that go to quarantine. The {@link #code()} is what the
 * quarantine table stores and dashboards group by, so codes never change meaning once released; the
 * {@link #message()} tells a data engineer what happened and what to do about it.
 */
public enum CrawlRejectReason {
  TRUNCATED_RECORD(
      "truncated_record",
      "the record ends before its declared length, its block does not end where the next record"
          + " begins (wrong Content-Length), or its gzip member is damaged; re-fetch or re-copy the"
          + " file (a partial download or a cut-off upload is the usual cause)"),
  MALFORMED_WARC_HEADER(
      "malformed_warc_header",
      "the WARC record header cannot be parsed (bad version line, field or Content-Length); the"
          + " file is not a valid WARC here, check the tool that wrote it"),
  MALFORMED_HTTP(
      "malformed_http",
      "the HTTP response inside a WARC response record cannot be parsed or its Content-Encoding"
          + " cannot be decoded; the crawler stored a broken exchange"),
  RECORD_TOO_LARGE(
      "record_too_large",
      "the record body is larger than the configured limit; raise max record bytes if such"
          + " pages are wanted"),
  INVALID_ENCODING(
      "invalid_encoding",
      "the bytes are not valid in the declared (or default UTF-8) charset; the page lies about"
          + " its charset or is binary"),
  NOT_HTML(
      "not_html",
      "the payload is neither HTML nor plain text (e.g. an image or PDF), so no text is"
          + " extracted from it"),
  HTTP_STATUS(
      "http_status",
      "the HTTP status is not 2xx, so the body is an error or redirect page, not content"),
  EMPTY_TEXT(
      "empty_text",
      "after extraction and normalization the text has too few letters to be a document"),
  BAD_JSON("bad_json", "the JSONL line is not a JSON object; check the producer of the file"),
  MISSING_FIELD(
      "missing_field",
      "a required JSONL field is missing or has the wrong type: url (string) and html or text"
          + " (string)"),
  INVALID_FIELD(
      "invalid_field",
      "a JSONL field has an unparsable or out-of-range value (e.g. fetch_time that is neither"
          + " ISO-8601 nor epoch seconds, or lies outside the years 1 to 9999)"),
  IO_ERROR("io_error", "the file could not be read; check that it exists and is readable");

  private final String code;
  private final String message;

  CrawlRejectReason(String code, String message) {
    this.code = code;
    this.message = message;
  }

  /** Stable snake_case code stored in the quarantine table. */
  public String code() {
    return code;
  }

  /** What went wrong, why, and how to fix it. */
  public String message() {
    return message;
  }
}
