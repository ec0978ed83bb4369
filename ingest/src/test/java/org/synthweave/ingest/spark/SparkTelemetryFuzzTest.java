package org.synthweave.ingest.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.Settings;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.testing.Mutations;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.ingest.IngestConfig;
import org.synthweave.ingest.telemetry.TelemetryParquet;

/**
 * A few dozen mutated telemetry files (JSON lines and CSV with damaged bytes, Parquet with damaged
 * values, damaged bytes, or cut short) through {@link SparkTelemetryIngest} in one run: the run
 * completes, its summary balances per file, and silver holds exactly the readings the summary says
 * went out. The seed is printed on failure; {@code -Dtests.seed=N} replays it.
 */
class SparkTelemetryFuzzTest extends SparkTestBase {
  private static final Path ROOT = repoRoot();
  private static final int JSON_FILES = 14;
  private static final int CSV_FILES = 14;
  private static final int PARQUET_FILES = 6;
  private static final int LINES = 25;

  @Test
  void mutatedFilesNeverAbortTheRunAndBalance(@TempDir Path dir) throws Exception {
    long seed = Mutations.seed();
    try {
      assertTimeoutPreemptively(Duration.ofMinutes(10), () -> run(dir, seed));
    } catch (Throwable e) {
      fail(
          "SparkTelemetryFuzzTest failed with seed="
              + seed
              + " (replay: -Dtests.seed="
              + seed
              + "): "
              + e,
          e);
    }
  }

  private void run(Path dir, long seed) throws Exception {
    Mutations m = new Mutations(seed);
    List<String> json = Files.readAllLines(ROOT.resolve("data/samples/telemetry/readings.jsonl"));
    List<String> csv = Files.readAllLines(ROOT.resolve("data/samples/telemetry/readings.csv"));
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < JSON_FILES; i++) {
      int start = m.nextInt(json.size() - LINES);
      String text = String.join("\n", json.subList(start, start + LINES)) + "\n";
      Path f = dir.resolve("fuzz-" + i + ".jsonl");
      Files.write(f, m.mutate(text.getBytes(StandardCharsets.UTF_8)));
      inputs.add(f.toString());
    }
    for (int i = 0; i < CSV_FILES; i++) {
      int start = 1 + m.nextInt(csv.size() - LINES - 1);
      String text = csv.get(0) + "\n" + String.join("\n", csv.subList(start, start + LINES)) + "\n";
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      // keep the header intact in most files: a damaged header is a different file format
      int headerEnd = csv.get(0).length() + 1;
      byte[] body = m.mutate(Arrays.copyOfRange(bytes, headerEnd, bytes.length));
      byte[] out = i % 5 == 0 ? m.mutate(bytes) : concat(Arrays.copyOf(bytes, headerEnd), body);
      Path f = dir.resolve("fuzz-" + i + ".csv");
      Files.write(f, out);
      inputs.add(f.toString());
    }
    String[] header = csv.get(0).split(",", -1);
    for (int i = 0; i < PARQUET_FILES; i++) {
      int start = 1 + m.nextInt(csv.size() - LINES - 1);
      List<Map<String, String>> rows = new ArrayList<>();
      for (String line : csv.subList(start, start + LINES)) {
        String[] cells = line.split(",", -1);
        Map<String, String> row = new LinkedHashMap<>();
        for (int c = 0; c < header.length; c++) {
          row.put(header[c], cells[c].isEmpty() ? null : cells[c]);
        }
        if (m.nextInt(3) == 0) {
          row.put(
              "timestamp",
              Long.toString(
                  new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0, 9_223_372_036_854_776L}
                      [m.nextInt(4)]));
        }
        if (m.nextInt(3) == 0) {
          row.put(
              "humidity", Double.toString(new double[] {Double.NaN, -0.0, 1e308}[m.nextInt(3)]));
        }
        rows.add(row);
      }
      Path f = dir.resolve("fuzz-" + i + ".parquet");
      TelemetryParquet.write(f, rows);
      if (i % 3 == 1) {
        Files.write(f, m.mutate(Files.readAllBytes(f))); // damaged bytes: footer, pages or values
      } else if (i % 3 == 2) {
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, 1 + m.nextInt(b.length - 1))); // cut: footer lost
      }
      inputs.add(f.toString());
    }

    TableCatalog c = new TableCatalog(warehouse.resolve("fuzz-" + seed).toString());
    Settings s =
        Settings.defaults()
            .with(IngestConfig.TELEMETRY_INPUTS.name(), inputs)
            .with(
                IngestConfig.TELEMETRY_SCHEMA.name(),
                ROOT.resolve("conf/telemetry-schema.conf").toString())
            .with(
                IngestConfig.TELEMETRY_DEVICES.name(), ROOT.resolve("conf/devices.csv").toString());
    RunSummary summary = new RunSummary("fuzz", "ingest", Instant.now());
    new SparkTelemetryIngest(spark, c, IngestConfig.from(s)).ingest(summary);
    summary.checkBalanced();
    SourceCounts total = summary.total(SparkTelemetryIngest.STAGE);
    assertEquals(
        inputs.size(),
        summary.rows().stream().filter(r -> !r.source().equals(SourceCounts.TOTAL)).count(),
        "one summary row per file");
    assertTrue(total.in() > 0 && total.out() > 0, total.toString());
    assertEquals(
        total.out(),
        spark.read().format("delta").load(c.path(TableCatalog.SILVER_TELEMETRY)).count(),
        "silver holds exactly the readings counted out");
    // identical damaged records of one file are kept once in the quarantine table
    assertTrue(
        total.quarantined()
            >= spark
                .read()
                .format("delta")
                .load(c.path(TableCatalog.quarantine(SparkTelemetryIngest.STAGE)))
                .count(),
        "the quarantine holds no more than the records counted quarantined");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
