package org.synthweave.ingest.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reads one line of a telemetry JSON lines file into the raw record {@link TelemetryValidator}
 * takes, the way the Spark adapter's JSON reader does ({@code primitivesAsString}): every value as
 * its text (numbers as written, so {@code 45.010} stays {@code 45.010}), JSON null as null, a
 * nested object or array as its JSON text, the last of duplicate keys winning, single quotes and
 * {@code NaN}/{@code Infinity} allowed, anything after the first value ignored.
 *
 * <p>Limits are deliberate rather than Jackson's defaults (20 M characters per string, 1000 per
 * number): a line may hold up to {@link #MAX_RECORD_CHARS} characters, and so may any one value in
 * it; a longer line or value is {@link TelemetryRejectReason#RECORD_TOO_LARGE}, with the limit in
 * the detail. The Spark adapter gives its JSON reader the same limits and asks this class why a
 * line it could not read was bad.
 */
public final class TelemetryJsonLine {
  /**
   * The maximum size of one value of a telemetry record, in characters: 64 Mi, the same bound as
   * the crawl readers' maximum record size. Far above any real reading, it only stops a damaged or
   * hostile line from taking the memory of a task.
   */
  public static final int MAX_RECORD_CHARS =
      Math.toIntExact(org.synthweave.ingest.crawl.CrawlFileReader.DEFAULT_MAX_RECORD_BYTES);

  private static final JsonFactory DEFAULT = factory(MAX_RECORD_CHARS);

  private TelemetryJsonLine() {}

  /** What one line gave: a record, nothing (a blank line is not a record), or a reject reason. */
  public sealed interface Parsed permits Fields, Blank, Bad {}

  /** A JSON object: field name to raw text, null for JSON null. */
  public record Fields(Map<String, String> values) implements Parsed {
    public Fields {
      Objects.requireNonNull(values, "values");
    }
  }

  /** A blank line, which holds no record (Spark skips it too). */
  public record Blank() implements Parsed {}

  /** Not a record: {@code reason} is malformed_row or record_too_large, detail says why. */
  public record Bad(TelemetryRejectReason reason, String detail) implements Parsed {
    public Bad {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** Reads {@code line} with the limit {@link #MAX_RECORD_CHARS}. */
  public static Parsed parse(String line) {
    return parse(line, DEFAULT, MAX_RECORD_CHARS);
  }

  /** Reads {@code line} with another limit (tests use small ones to cross it cheaply). */
  public static Parsed parse(String line, int maxRecordChars) {
    if (maxRecordChars < 1) {
      throw new IllegalArgumentException("maxRecordChars must be positive, got " + maxRecordChars);
    }
    return parse(
        line,
        maxRecordChars == MAX_RECORD_CHARS ? DEFAULT : factory(maxRecordChars),
        maxRecordChars);
  }

  /** The detail of a record over the limit; the Spark adapter uses it for long rows too. */
  public static String tooLargeDetail(long chars, int maxRecordChars) {
    return "the record is "
        + chars
        + " characters long, over the maximum record size of "
        + maxRecordChars
        + " characters; split the record or shorten its values";
  }

  private static Parsed parse(String line, JsonFactory factory, int max) {
    if (line == null) {
      throw new IllegalArgumentException("line must not be null");
    }
    try (JsonParser p = factory.createParser(line)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return new Blank();
      }
      if (first != JsonToken.START_OBJECT) {
        return new Bad(
            TelemetryRejectReason.MALFORMED_ROW,
            "the line is not a JSON object (it starts with " + first.asString() + ")");
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        values.put(name, text(p, v, factory));
      }
      return new Fields(values);
    } catch (StreamConstraintsException e) {
      return new Bad(
          TelemetryRejectReason.RECORD_TOO_LARGE,
          "a value is over the maximum record size of "
              + max
              + " characters ("
              + e.getOriginalMessage()
              + "); split the record or shorten its values");
    } catch (JsonProcessingException e) {
      return new Bad(
          TelemetryRejectReason.MALFORMED_ROW,
          "the line is not well-formed JSON: "
              + e.getOriginalMessage()
              + " at column "
              + e.getLocation().getColumnNr());
    } catch (IOException e) {
      throw new UncheckedIOException("reading a string cannot fail", e);
    }
  }

  private static String text(JsonParser p, JsonToken v, JsonFactory factory) throws IOException {
    switch (v) {
      case VALUE_NULL:
        return null;
      case START_OBJECT:
      case START_ARRAY:
        StringWriter out = new StringWriter();
        try (JsonGenerator g = factory.createGenerator(out)) {
          g.copyCurrentStructure(p);
        }
        return out.toString();
      default:
        return p.getText();
    }
  }

  private static JsonFactory factory(int maxRecordChars) {
    return JsonFactory.builder()
        .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxStringLength(maxRecordChars)
                .maxNumberLength(maxRecordChars)
                .build())
        .build();
  }
}
