package org.synthweave.ingest.crawl;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.synthweave.core.ContentIds;

/**
 * From a {@link CrawlRecord} to a {@link CrawlDocument}: status check, extraction (HTML through
 * {@link HtmlExtractor}, plain text decoded strictly, JSONL text as is), {@link TextNormalizer},
 * the minimum-content check, {@link LanguageDetector} and the content id. Stateless and
 * thread-safe; bad content comes back as a {@link CrawlRejection}, never as an exception.
 */
public final class CrawlDocuments {
  private CrawlDocuments() {}

  /**
   * Documents with fewer letters than this are rejected as {@code empty_text}: below it a page is
   * an error stub, a redirect notice or a bare title, never training text.
   */
  public static final int DEFAULT_MIN_LETTERS = 20;

  /** Turns {@code record} into a document or the reason it cannot be one. */
  public static DocumentOutcome toDocument(CrawlRecord record) {
    if (record == null) {
      throw new IllegalArgumentException("record must not be null");
    }
    try {
      Integer status = record.httpStatus();
      if (status != null && (status < 200 || status > 299)) {
        throw new CrawlContentException(
            CrawlRejectReason.HTTP_STATUS, null, "HTTP status " + status);
      }
      ExtractedDocument extracted = extract(record);
      String text = TextNormalizer.normalize(extracted.text());
      if (Charsets.firstLoneSurrogate(text) >= 0) {
        throw new CrawlContentException(
            CrawlRejectReason.INVALID_ENCODING, null, "text holds an unpaired UTF-16 surrogate");
      }
      int letters = letters(text);
      if (letters < DEFAULT_MIN_LETTERS) {
        throw new CrawlContentException(
            CrawlRejectReason.EMPTY_TEXT,
            null,
            letters + " letters after extraction, minimum " + DEFAULT_MIN_LETTERS);
      }
      String title = extracted.title() == null ? null : singleLine(extracted.title());
      return new CrawlDocument(
          ContentIds.sha256Hex(text),
          record.url(),
          title == null || title.isEmpty() ? null : title,
          text,
          LanguageDetector.detect(text),
          text.codePointCount(0, text.length()),
          words(text),
          record.sourceFile(),
          record.offset(),
          record.recordId(),
          record.fetchTime(),
          record.httpStatus(),
          record.recordType());
    } catch (CrawlContentException e) {
      return e.toRejection(record);
    }
  }

  private static ExtractedDocument extract(CrawlRecord record) throws CrawlContentException {
    if (record.text() != null) {
      return new ExtractedDocument(null, record.text());
    }
    if (record.body().length == 0) {
      throw new CrawlContentException(CrawlRejectReason.EMPTY_TEXT, null, "empty payload");
    }
    String type =
        record.contentType() == null
            ? sniff(record.body())
            : record.contentType().toLowerCase(Locale.ROOT);
    if (type.equals("text/html") || type.equals("application/xhtml+xml")) {
      return HtmlExtractor.extract(record.body(), record.charsetHint(), record.url());
    }
    if (type.equals("text/plain")) {
      Charset charset = Charsets.forLabel(record.charsetHint()).orElse(StandardCharsets.UTF_8);
      return new ExtractedDocument(null, Charsets.decodeStrictly(record.body(), charset));
    }
    throw new CrawlContentException(
        CrawlRejectReason.NOT_HTML, null, "Content-Type " + record.contentType());
  }

  /** Without a Content-Type, markup at the start means HTML; anything else is not taken. */
  private static String sniff(byte[] body) {
    for (byte b : body) {
      if (b == '<') {
        return "text/html";
      }
      if (b != ' '
          && b != '\t'
          && b != '\r'
          && b != '\n'
          && (b & 0xff) != 0xef
          && (b & 0xff) != 0xbb
          && (b & 0xff) != 0xbf) {
        break;
      }
    }
    return "application/octet-stream";
  }

  private static String singleLine(String s) {
    return TextNormalizer.normalize(s).replace("\n\n", " ").replace('\n', ' ');
  }

  private static int letters(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (Character.isLetter(s.charAt(i))) {
        n++;
      }
    }
    return n;
  }

  private static int words(String s) {
    int n = 0;
    boolean inWord = false;
    for (int i = 0; i < s.length(); i++) {
      boolean space = Character.isWhitespace(s.charAt(i));
      if (!space && !inWord) {
        n++;
      }
      inWord = !space;
    }
    return n;
  }
}
