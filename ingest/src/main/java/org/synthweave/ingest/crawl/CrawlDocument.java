package org.synthweave.ingest.crawl;

import java.io.Serializable;
import java.time.Instant;

/**
 * A clean document ready for the silver table: normalized main text with its content id, plus the
 * reference back to the record it came from.
 *
 * @param id lower-case hex SHA-256 of {@code text} (UTF-8), via {@code ContentIds.sha256Hex}
 * @param url source URL
 * @param title normalized single-line title, or null
 * @param text normalized main text ({@link TextNormalizer})
 * @param language ISO 639-1 code or {@code und} ({@link LanguageDetector})
 * @param charCount Unicode code points in {@code text}
 * @param wordCount whitespace-separated tokens in {@code text}
 * @param sourceFile file of the record
 * @param offset offset of the record in that file
 * @param recordId id of the record
 * @param fetchTime fetch time of the record, or null
 * @param httpStatus HTTP status of the record, or null
 * @param recordType response, resource, conversion, html_file or jsonl
 */
public record CrawlDocument(
    String id,
    String url,
    String title,
    String text,
    String language,
    int charCount,
    int wordCount,
    String sourceFile,
    long offset,
    String recordId,
    Instant fetchTime,
    Integer httpStatus,
    String recordType)
    implements DocumentOutcome, Serializable {
  private static final long serialVersionUID = 1L;
}
