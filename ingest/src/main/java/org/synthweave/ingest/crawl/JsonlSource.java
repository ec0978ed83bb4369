package org.synthweave.ingest.crawl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * JSON Lines: one object per line with {@code url} and {@code html} or {@code text} (html wins if
 * both are present), optionally {@code fetch_time} or {@code timestamp} as ISO-8601 or epoch
 * seconds. Offsets are byte offsets of the line start in the (uncompressed) stream; record ids are
 * {@code <file>#<line>} with 1-based line numbers.
 */
final class JsonlSource implements EntrySource {
  // Thread-safe once configured; one per JVM and record limit keeps executor start-up cheap.
  private static final Map<Integer, ObjectMapper> MAPPERS = new ConcurrentHashMap<>();

  private final Path file;
  private final String sourceFile;
  private final int maxRecordBytes;
  private InputStream in;
  private long position;
  private long lineNumber;
  private boolean started;
  private boolean done;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final ObjectMapper json;

  JsonlSource(Path file, int maxRecordBytes) {
    this.file = file;
    this.sourceFile = file.toString();
    this.maxRecordBytes = maxRecordBytes;
    this.json = MAPPERS.computeIfAbsent(maxRecordBytes, JsonlSource::mapper);
  }

  /**
   * A mapper whose string and name limits are the record limit instead of Jackson's defaults (20 M
   * characters per string, 50,000 per name): a line is at most {@code maxRecordBytes} bytes and a
   * character takes at least one byte, so every line that passes the length check can be parsed,
   * and a larger value is reported as {@code record_too_large}, never as {@code bad_json}.
   */
  private static ObjectMapper mapper(int maxRecordBytes) {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxStringLength(maxRecordBytes)
                    .maxNameLength(maxRecordBytes)
                    .build())
            .build();
    return new ObjectMapper(factory)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  @Override
  public boolean step(Consumer<CrawlEntry> out) {
    if (done) {
      return false;
    }
    if (!started) {
      started = true;
      if (!open(out)) {
        done = true;
        close();
        return true;
      }
    }
    long start = position;
    lineNumber++;
    line.reset();
    long length = 0;
    boolean sawNewline = false;
    try {
      int b;
      while ((b = in.read()) != -1) {
        position++;
        if (b == '\n') {
          sawNewline = true;
          break;
        }
        length++;
        // Past the limit the line is only counted, so a 10 GB line costs no memory.
        if (length <= maxRecordBytes) {
          line.write(b);
        }
      }
    } catch (IOException e) {
      // Inside a gzip stream there is no way to find the next line start again.
      done = true;
      out.accept(reject(start, reasonFor(e), null, e.toString(), line.toByteArray()));
      return true;
    }
    if (!sawNewline && length == 0) {
      done = true;
      return false;
    }
    if (!sawNewline) {
      done = true;
    }
    if (length > maxRecordBytes) {
      out.accept(
          new CrawlRejection(
              sourceFile,
              start,
              recordId(),
              null,
              CrawlRejectReason.RECORD_TOO_LARGE,
              null,
              "line of " + length + " bytes > max " + maxRecordBytes,
              null,
              length));
      return true;
    }
    out.accept(parse(start, line.toByteArray()));
    return true;
  }

  private boolean open(Consumer<CrawlEntry> out) {
    try {
      InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      if (CrawlFormat.isGzipStream(file)) {
        raw.mark(2);
        boolean empty = raw.read() == -1;
        raw.reset();
        if (empty) {
          raw.close();
          out.accept(new CrawlSkip(sourceFile, 0, CrawlSkipReason.EMPTY_FILE, null));
          return false;
        }
        in = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
      } else {
        in = raw;
      }
      in.mark(1);
      if (in.read() == -1) {
        out.accept(new CrawlSkip(sourceFile, 0, CrawlSkipReason.EMPTY_FILE, null));
        return false;
      }
      in.reset();
      return true;
    } catch (IOException | SecurityException e) {
      CrawlRejectReason reason =
          e instanceof IOException io ? reasonFor(io) : CrawlRejectReason.IO_ERROR;
      out.accept(reject(0, reason, null, e.toString(), null));
      return false;
    }
  }

  private static CrawlRejectReason reasonFor(IOException e) {
    return e instanceof EOFException || e instanceof java.util.zip.ZipException
        ? CrawlRejectReason.TRUNCATED_RECORD
        : CrawlRejectReason.IO_ERROR;
  }

  private String recordId() {
    return sourceFile + "#" + lineNumber;
  }

  private CrawlEntry parse(long start, byte[] bytes) {
    int end = bytes.length;
    if (end > 0 && bytes[end - 1] == '\r') {
      end--;
    }
    boolean blank = true;
    for (int i = 0; i < end && blank; i++) {
      blank = bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r';
    }
    if (blank) {
      return new CrawlSkip(sourceFile, start, CrawlSkipReason.BLANK_LINE, null);
    }
    String text;
    try {
      text = Charsets.decodeStrictly(java.util.Arrays.copyOf(bytes, end), StandardCharsets.UTF_8);
    } catch (CrawlContentException e) {
      return reject(start, e.reason(), null, "line " + lineNumber + ": " + e.getMessage(), bytes);
    }
    JsonNode node;
    try {
      node = json.readTree(text);
    } catch (StreamConstraintsException e) {
      boolean tooLong = !e.getOriginalMessage().toLowerCase(Locale.ROOT).contains("nesting");
      return reject(
          start,
          tooLong ? CrawlRejectReason.RECORD_TOO_LARGE : CrawlRejectReason.BAD_JSON,
          null,
          "line " + lineNumber + ": " + e.getOriginalMessage(),
          bytes);
    } catch (JsonProcessingException e) {
      return reject(start, CrawlRejectReason.BAD_JSON, null, e.getOriginalMessage(), bytes);
    }
    if (node == null || !node.isObject()) {
      return reject(
          start,
          CrawlRejectReason.BAD_JSON,
          null,
          "expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType()),
          bytes);
    }
    try {
      String url = requiredString(node, "url");
      String html = optionalString(node, "html");
      String plain = html == null ? optionalString(node, "text") : null;
      if (html == null && plain == null) {
        throw new CrawlContentException(
            CrawlRejectReason.MISSING_FIELD, "html", "neither html nor text is present");
      }
      Instant fetchTime = fetchTime(node);
      for (String value : new String[] {url, html, plain}) {
        if (value != null && Charsets.firstLoneSurrogate(value) >= 0) {
          throw new CrawlContentException(
              CrawlRejectReason.INVALID_ENCODING,
              null,
              "a \\u escape encodes an unpaired UTF-16 surrogate");
        }
      }
      return html != null
          ? new CrawlRecord(
              sourceFile,
              start,
              recordId(),
              url,
              fetchTime,
              null,
              "text/html",
              "UTF-8",
              CrawlRecord.TYPE_JSONL,
              html.getBytes(StandardCharsets.UTF_8),
              null)
          : new CrawlRecord(
              sourceFile,
              start,
              recordId(),
              url,
              fetchTime,
              null,
              "text/plain",
              null,
              CrawlRecord.TYPE_JSONL,
              null,
              plain);
    } catch (CrawlContentException e) {
      return reject(start, e.reason(), e.field(), e.getMessage(), bytes);
    }
  }

  private static String requiredString(JsonNode node, String field) throws CrawlContentException {
    String value = optionalString(node, field);
    if (value == null || value.isBlank()) {
      throw new CrawlContentException(
          CrawlRejectReason.MISSING_FIELD, field, field + " is missing, null or blank");
    }
    return value;
  }

  private static String optionalString(JsonNode node, String field) throws CrawlContentException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new CrawlContentException(
          CrawlRejectReason.INVALID_FIELD,
          field,
          field + " must be a string, got " + value.getNodeType());
    }
    return value.textValue();
  }

  private static Instant fetchTime(JsonNode node) throws CrawlContentException {
    for (String field : new String[] {"fetch_time", "timestamp"}) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        continue;
      }
      if (value.isIntegralNumber()) {
        // No guessing of milliseconds or microseconds: the field is documented as epoch seconds,
        // and a value whose unit cannot be proven is quarantined with the range it missed.
        if (!value.canConvertToLong()
            || value.longValue() < CrawlRecord.MIN_FETCH_TIME.getEpochSecond()
            || value.longValue() > CrawlRecord.MAX_FETCH_TIME.getEpochSecond()) {
          throw new CrawlContentException(
              CrawlRejectReason.INVALID_FIELD,
              field,
              field
                  + " "
                  + value.asText()
                  + " is out of range: epoch seconds must lie between "
                  + CrawlRecord.MIN_FETCH_TIME.getEpochSecond()
                  + " and "
                  + CrawlRecord.MAX_FETCH_TIME.getEpochSecond()
                  + " (years 1 to 9999); write seconds, not milliseconds, microseconds or"
                  + " nanoseconds");
        }
        return Instant.ofEpochSecond(value.longValue());
      }
      if (value.isTextual()) {
        String s = value.textValue().strip();
        Instant time;
        try {
          time = s.endsWith("Z") ? Instant.parse(s) : OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
          throw new CrawlContentException(
              CrawlRejectReason.INVALID_FIELD,
              field,
              field + " '" + s + "' is not ISO-8601 with offset (e.g. 2014-08-20T02:13:34Z)");
        }
        if (!CrawlRecord.fetchTimeInRange(time)) {
          throw new CrawlContentException(
              CrawlRejectReason.INVALID_FIELD,
              field,
              field + " '" + s + "' is out of range: a fetch time must lie in the years 1 to 9999");
        }
        return time;
      }
      throw new CrawlContentException(
          CrawlRejectReason.INVALID_FIELD,
          field,
          field + " must be an ISO-8601 string or epoch seconds, got " + value.getNodeType());
    }
    return null;
  }

  private CrawlRejection reject(
      long start, CrawlRejectReason reason, String field, String detail, byte[] raw) {
    return CrawlRejection.of(sourceFile, start, recordId(), null, reason, field, detail, raw);
  }

  @Override
  public void close() {
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // Read-only stream: nothing was lost, and close must not throw into the iterator.
      }
      in = null;
    }
  }
}
