package org.synthweave.ingest.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.testing.Mutations;

/**
 * Fuzzes the Spark-free read-and-validate path of telemetry (issue 17) with seeded mutations of the
 * committed samples: JSON lines and CSV as damaged bytes, Parquet as files of damaged values and as
 * damaged bytes. For every case: no exception escapes, nothing hangs, in = out + quarantined +
 * duplicates, every quarantined record has a reason and a detail, and every line the mutations did
 * not touch still validates to the same typed reading as before. A failure prints the seed; {@code
 * -Dtests.seed=N} replays the run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelemetryFuzzTest {
  // Sized for CI: signature checks (pure-Java Ed25519) dominate the time of a case.
  private static final int TEXT_CASES = 2000;
  private static final int PARQUET_VALUE_FILES = 60;
  private static final int PARQUET_BYTE_FILES = 100;
  private static final int WINDOW = 4;

  private final TelemetryValidator validator = TelemetrySamples.validator();
  private final long seed = Mutations.seed();

  private List<String> jsonLines;
  private List<String> csvLines;
  private String csvHeader;

  /** Each sample line's typed reading: what an untouched line must still give. */
  private final Map<String, TypedReading> expected = new HashMap<>();

  @BeforeAll
  void loadSamples() throws IOException {
    jsonLines = Files.readAllLines(TelemetrySamples.sample("readings.jsonl"));
    List<String> csv = Files.readAllLines(TelemetrySamples.sample("readings.csv"));
    csvHeader = csv.get(0);
    csvLines = csv.subList(1, csv.size());
    for (String line : jsonLines) {
      expected.put(line, valid(readJson(line)));
    }
    String[] header = csvHeader.split(",", -1);
    for (String line : csvLines) {
      expected.put(line, valid(readCsvRow(header, line)));
    }
  }

  /** Counts of one case, as a run summary would hold them. */
  private static final class Tally {
    long in;
    long quarantined;
    final List<TypedReading> good = new ArrayList<>();
    final Set<String> keys = new HashSet<>();

    void good(TypedReading r) {
      in++;
      good.add(r);
      keys.add(r.deviceId() + "@" + r.timestampMillis());
    }

    void quarantined(String reason, String detail) {
      in++;
      quarantined++;
      assertNotNull(reason, "a quarantined record has a reason");
      assertTrue(detail != null && !detail.isBlank(), "a quarantined record has a detail");
    }

    void checkBalanced() {
      long out = keys.size();
      long duplicates = good.size() - out;
      assertEquals(in, out + quarantined + duplicates, "in = out + quarantined + duplicates");
    }
  }

  @Test
  void jsonLines() {
    fuzzText("jsonl", jsonLines, null, this::readJsonLines);
  }

  @Test
  void csv() {
    fuzzText("csv", csvLines, csvHeader, this::readCsvLines);
  }

  /** Parquet files of readings whose values are damaged within their column types. */
  @Test
  void parquetValues(@TempDir Path dir) {
    String[] header = csvHeader.split(",", -1);
    runCases(
        "parquet-values",
        PARQUET_VALUE_FILES,
        (m, i) -> {
          int start = m.nextInt(csvLines.size() - 3 * WINDOW);
          List<Map<String, String>> rows = new ArrayList<>();
          Set<String> untouched = new HashSet<>();
          for (String line : csvLines.subList(start, start + 3 * WINDOW)) {
            Map<String, String> row = readCsvRow(header, line);
            if (m.nextInt(2) == 0) {
              damageValue(m, row);
            } else {
              untouched.add(key(expected.get(line)));
            }
            rows.add(row);
          }
          Path file = dir.resolve("case-" + i + ".parquet");
          TelemetryParquet.write(file, rows);
          Tally t = new Tally();
          List<Map<String, String>> read = readParquet(file);
          assertEquals(rows.size(), read.size(), "Parquet keeps every row it was given");
          Set<String> seenUntouched = new HashSet<>();
          for (Map<String, String> raw : read) {
            ValidationResult r = validator.validate(raw, file.toString(), -1);
            if (r instanceof ValidationResult.ValidReading v) {
              t.good(v.reading());
              if (untouched.contains(key(v.reading()))) {
                seenUntouched.add(key(v.reading()));
              }
            } else {
              ValidationResult.Rejection rej = (ValidationResult.Rejection) r;
              t.quarantined(rej.reasonCode(), rej.detail());
            }
          }
          t.checkBalanced();
          assertEquals(untouched, seenUntouched, "every undamaged row is kept");
        });
  }

  /** Parquet files with damaged bytes: read what can be read, or report the file; never crash. */
  @Test
  void parquetBytes(@TempDir Path dir) throws IOException {
    String[] header = csvHeader.split(",", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : csvLines.subList(0, 40)) {
      rows.add(readCsvRow(header, line));
    }
    Path good = dir.resolve("good.parquet");
    TelemetryParquet.write(good, rows);
    byte[] original = Files.readAllBytes(good);
    int[] unreadable = {0};
    runCases(
        "parquet-bytes",
        PARQUET_BYTE_FILES,
        (m, i) -> {
          Path file = dir.resolve("damaged-" + i + ".parquet");
          Files.write(file, m.mutate(original));
          List<Map<String, String>> read;
          try {
            read = readParquet(file);
          } catch (DamagedFile e) {
            unreadable[0]++;
            assertNotNull(e.getMessage());
            return; // reported as a damaged file: the Spark adapter quarantines it whole
          }
          Tally t = new Tally();
          for (Map<String, String> raw : read) {
            ValidationResult r = validator.validate(raw, file.toString(), -1);
            if (r instanceof ValidationResult.ValidReading v) {
              t.good(v.reading());
            } else {
              ValidationResult.Rejection rej = (ValidationResult.Rejection) r;
              t.quarantined(rej.reasonCode(), rej.detail());
            }
          }
          t.checkBalanced();
        });
    assertTrue(unreadable[0] > 0, "some damage must make a file unreadable");
  }

  // ---- the text fuzz ----

  private interface Reader {
    /** Reads a file's bytes into the tally; returns the lines that were read as records. */
    List<String> read(byte[] file, Tally tally);
  }

  private void fuzzText(String kind, List<String> lines, String header, Reader reader) {
    runCases(
        kind,
        TEXT_CASES,
        (m, i) -> {
          int start = m.nextInt(lines.size() - WINDOW);
          List<String> window = lines.subList(start, start + WINDOW);
          String text = (header == null ? "" : header + "\n") + String.join("\n", window) + "\n";
          byte[] mutant = m.mutate(text.getBytes(StandardCharsets.UTF_8));
          Tally t = new Tally();
          List<String> read = reader.read(mutant, t);
          t.checkBalanced();
          if (header != null && (read.isEmpty() || !read.get(0).equals(header))) {
            return; // a damaged header changes what every row means; balance is all to check
          }
          // every sample line still present verbatim gives the same typed reading as before
          Set<String> goodKeys = new HashSet<>();
          for (TypedReading r : t.good) {
            goodKeys.add(key(r) + "#" + r.signature());
          }
          for (String line : read) {
            TypedReading before = expected.get(line);
            if (before != null && window.contains(line)) {
              assertTrue(
                  goodKeys.contains(key(before) + "#" + before.signature()),
                  "untouched line lost: " + line);
            }
          }
        });
  }

  private List<String> readJsonLines(byte[] file, Tally t) {
    List<String> lines = splitLines(file);
    for (String line : lines) {
      TelemetryJsonLine.Parsed p = TelemetryJsonLine.parse(line);
      if (p instanceof TelemetryJsonLine.Blank) {
        continue;
      }
      if (p instanceof TelemetryJsonLine.Bad bad) {
        t.quarantined(bad.reason().code(), bad.detail());
        continue;
      }
      record(((TelemetryJsonLine.Fields) p).values(), t);
    }
    return lines;
  }

  private List<String> readCsvLines(byte[] file, Tally t) {
    List<String> lines = splitLines(file);
    if (lines.isEmpty()) {
      return lines;
    }
    List<String> header = csvCells(lines.get(0));
    if (header == null) {
      header = List.of(lines.get(0)); // Spark takes a broken header as one column name
    }
    for (String line : lines.subList(1, lines.size())) {
      if (line.isEmpty()) {
        continue; // Spark's CSV reader skips empty lines
      }
      List<String> cells = csvCells(line);
      if (cells == null || cells.size() != header.size()) {
        t.quarantined("malformed_row", "the CSV row does not match the file's header");
        continue;
      }
      Map<String, String> raw = new LinkedHashMap<>();
      for (int c = 0; c < header.size(); c++) {
        raw.put(header.get(c), cells.get(c).isEmpty() ? null : cells.get(c));
      }
      record(raw, t);
    }
    return lines;
  }

  private void record(Map<String, String> raw, Tally t) {
    ValidationResult r = validator.validate(raw, "fuzz", -1);
    if (r instanceof ValidationResult.ValidReading v) {
      t.good(v.reading());
      // a valid reading always has a canonical encoding and a hash
      assertEquals(64, CanonicalReadingEncoding.readingHash(v.reading()).length());
      assertNotNull(v.reading().timestamp());
    } else {
      ValidationResult.Rejection rej = (ValidationResult.Rejection) r;
      t.quarantined(rej.reasonCode(), rej.detail());
    }
  }

  /** Lines as Hadoop's line reader splits them (LF, CR or CRLF); bad UTF-8 becomes U+FFFD. */
  private static List<String> splitLines(byte[] file) {
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    String text;
    try {
      text = d.decode(ByteBuffer.wrap(file)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new AssertionError("REPLACE never throws", e);
    }
    List<String> lines = new ArrayList<>(List.of(text.split("\r\n|\r|\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  /** RFC 4180 cells (quote ", escape "" or \"), or null for an unterminated quoted cell. */
  static List<String> csvCells(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if ((c == '"' || c == '\\') && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"' && cell.length() == 0) {
        quoted = true;
      } else if (c == ',') {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    if (quoted) {
      return null;
    }
    cells.add(cell.toString());
    return cells;
  }

  // ---- Parquet ----

  private static final double[] EDGE_DOUBLES = {
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    -0.0,
    Double.MIN_VALUE,
    -Double.MAX_VALUE,
    Double.MAX_VALUE,
    1e-300,
    100.0000000001,
    -90.0,
    180.0
  };

  private static final long[] EDGE_LONGS = {
    Long.MIN_VALUE,
    Long.MAX_VALUE,
    0,
    -1,
    9_223_372_036_854_775L, // the largest millis a Spark timestamp (micros) can hold
    9_223_372_036_854_776L,
    946_684_799_999L,
    1_273_374_200_000_000L // microseconds written as millis
  };

  /** Replaces one value of {@code row} by an edge case of its column's type, or removes it. */
  private static void damageValue(Mutations m, Map<String, String> row) {
    Type field =
        TelemetryParquet.SCHEMA.getType(m.nextInt(TelemetryParquet.SCHEMA.getFieldCount()));
    String name = field.getName();
    String value;
    if (m.nextInt(8) == 0) {
      value = null;
    } else {
      switch (field.asPrimitiveType().getPrimitiveTypeName()) {
        case DOUBLE -> value = Double.toString(EDGE_DOUBLES[m.nextInt(EDGE_DOUBLES.length)]);
        case INT64 -> value = Long.toString(EDGE_LONGS[m.nextInt(EDGE_LONGS.length)]);
        case INT32 ->
            value =
                Integer.toString(
                    new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 2}[m.nextInt(4)]);
        case BOOLEAN -> value = Boolean.toString(!Boolean.parseBoolean(row.get(name)));
        default -> {
          byte[] b = row.get(name) == null ? new byte[0] : row.get(name).getBytes();
          value = new String(m.mutate(b), StandardCharsets.UTF_8);
        }
      }
    }
    row.put(name, value);
  }

  /** A Parquet file the reader cannot decode: reported for the whole file. */
  private static final class DamagedFile extends Exception {
    DamagedFile(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Reads a Parquet file into raw records the way the Spark adapter casts them: timestamps as epoch
   * milliseconds, numbers and booleans as their text.
   */
  private static List<Map<String, String>> readParquet(Path file) throws DamagedFile {
    List<Map<String, String>> rows = new ArrayList<>();
    try (ParquetReader<Group> r =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
            .build()) {
      for (Group g = r.read(); g != null; g = r.read()) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (Type f : g.getType().getFields()) {
          String name = f.getName();
          if (g.getFieldRepetitionCount(name) == 0) {
            raw.put(name, null);
            continue;
          }
          raw.put(
              name,
              switch (f.asPrimitiveType().getPrimitiveTypeName()) {
                case DOUBLE -> Double.toString(g.getDouble(name, 0));
                case INT64 -> Long.toString(g.getLong(name, 0));
                case INT32 -> Integer.toString(g.getInteger(name, 0));
                case BOOLEAN -> Boolean.toString(g.getBoolean(name, 0));
                default -> g.getString(name, 0);
              });
        }
        rows.add(raw);
      }
    } catch (IOException | RuntimeException e) {
      // parquet-mr reports damage as IOException, ParquetDecodingException or other runtime
      // exceptions; any of them means this file cannot be read
      throw new DamagedFile(file + ": " + e, e);
    }
    return rows;
  }

  // ---- helpers ----

  private interface Case {
    void run(Mutations m, int caseIndex) throws Exception;
  }

  private void runCases(String kind, int cases, Case body) {
    Mutations m = new Mutations(seed);
    int[] at = {-1};
    try {
      assertTimeoutPreemptively(
          Duration.ofSeconds(90),
          () -> {
            for (int i = 0; i < cases; i++) {
              at[0] = i;
              body.run(m, i);
            }
          });
    } catch (Throwable e) {
      fail(
          "TelemetryFuzzTest "
              + kind
              + " failed at case "
              + at[0]
              + " with seed="
              + seed
              + " (replay: -Dtests.seed="
              + seed
              + "): "
              + e,
          e);
    }
  }

  private Map<String, String> readJson(String line) {
    return ((TelemetryJsonLine.Fields) TelemetryJsonLine.parse(line)).values();
  }

  private static Map<String, String> readCsvRow(String[] header, String line) {
    List<String> cells = csvCells(line);
    Map<String, String> row = new LinkedHashMap<>();
    for (int i = 0; i < header.length; i++) {
      row.put(header[i], cells.get(i).isEmpty() ? null : cells.get(i));
    }
    return row;
  }

  private TypedReading valid(Map<String, String> raw) {
    ValidationResult r = validator.validate(raw, "sample", 1);
    assertTrue(r.isValid(), r.toString());
    return ((ValidationResult.ValidReading) r).reading();
  }

  private static String key(TypedReading r) {
    return r.deviceId() + "@" + Instant.ofEpochMilli(r.timestampMillis());
  }
}
