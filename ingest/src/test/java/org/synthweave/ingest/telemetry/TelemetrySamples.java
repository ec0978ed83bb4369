package org.synthweave.ingest.telemetry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the committed telemetry samples and golden files by name, as the Spark adapter sees them.
 */
final class TelemetrySamples {
  /** "Now" for tests on the samples: the day this package was written. */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T00:00:00Z"), ZoneOffset.UTC);

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          // keep 45.010 as written, like Spark's primitivesAsString does
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  private TelemetrySamples() {}

  static Path repoRoot() {
    String prop = System.getProperty("synthweave.repo.root");
    Path dir = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("conf/telemetry-schema.conf"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root above " + dir);
  }

  static Path sample(String name) {
    return repoRoot().resolve("data/samples/telemetry").resolve(name);
  }

  static TelemetrySchema schema() {
    return TelemetrySchema.load(repoRoot().resolve("conf/telemetry-schema.conf"));
  }

  static DeviceRegistry registry() {
    return DeviceRegistry.load(repoRoot().resolve("conf/devices.csv"));
  }

  static TelemetryValidator validator() {
    return new TelemetryValidator(schema(), registry(), CLOCK);
  }

  /** JSONL lines as raw string maps: numbers keep their text, JSON null becomes null. */
  static List<Map<String, String>> readJsonl(Path file) {
    List<Map<String, String>> rows = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        Map<String, String> row = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = JSON.readTree(line).fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          row.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
        }
        rows.add(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** CSV with a header; empty cells become null as Spark's CSV reader makes them. */
  static List<Map<String, String>> readCsv(Path file) {
    List<Map<String, String>> rows = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      String[] header = lines.get(0).split(",", -1);
      for (String line : lines.subList(1, lines.size())) {
        String[] cells = line.split(",", -1);
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
          row.put(header[i], cells[i].isEmpty() ? null : cells[i]);
        }
        rows.add(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  static String resource(String name) {
    try (InputStream in = TelemetrySamples.class.getResourceAsStream("/telemetry/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource telemetry/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode resourceJson(String name) {
    try {
      return JSON.readTree(resource(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
