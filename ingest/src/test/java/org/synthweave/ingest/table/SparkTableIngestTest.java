package org.synthweave.ingest.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.testing.SparkTestBase;

/** ingest-table on the real UCI wine data (data/samples/tables/wine.csv), clean and damaged. */
class SparkTableIngestTest extends SparkTestBase {
  private static final Path WINE = repoRoot().resolve("data/samples/tables/wine.csv");

  private RunSummary summary() {
    return new RunSummary("t-" + System.nanoTime(), "ingest-table", Instant.now());
  }

  private SourceCounts total(RunSummary s) {
    List<SourceCounts> rows = s.rows();
    return rows.get(rows.size() - 1);
  }

  @Test
  void infersTypesAndIsIdempotent() {
    SparkTableIngest ingest = new SparkTableIngest(spark, catalog, 1 << 20);
    RunSummary first = summary();
    String path = ingest.ingest("wine", List.of(WINE.toString()), null, null, first);
    first.checkBalanced();
    Dataset<Row> wine = spark.read().format("delta").load(path);
    assertEquals(178, wine.count());
    assertEquals(DataTypes.DoubleType, wine.schema().apply("alcohol").dataType());
    assertEquals(DataTypes.IntegerType, wine.schema().apply("magnesium").dataType());
    assertEquals(DataTypes.StringType, wine.schema().apply("cultivar").dataType());
    assertEquals(71, wine.where("cultivar = 'class_1'").count());
    assertEquals(178, total(first).in());
    assertEquals(178, total(first).out());

    RunSummary second = summary();
    ingest.ingest("wine", List.of(WINE.toString()), null, null, second);
    second.checkBalanced();
    assertEquals(0, total(second).out());
    assertEquals(178, total(second).duplicates());
    assertEquals(178, spark.read().format("delta").load(path).count());
  }

  @Test
  void damagedRowsAreQuarantinedWithTheirReason(@TempDir Path dir) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(WINE, StandardCharsets.UTF_8));
    // Row 1: a value that is not a number; row 2: duplicated; a broken quote that swallows the
    // rest of the line into malic_acid. Plus a JSON lines file with one real row and a cut line.
    lines.set(1, lines.get(1).replaceFirst("^14\\.23", "fourteen"));
    lines.add(lines.get(2));
    lines.add("13.1,\"2.1,2.3,oops");
    String[] h = lines.get(0).split(",");
    String[] v = lines.get(5).split(",");
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < h.length; i++) {
      json.append(i == 0 ? "" : ",").append('"').append(h[i]).append("\":");
      json.append(i == h.length - 1 ? "\"" + v[i] + "\"" : v[i]);
    }
    json.append("}");
    Files.write(
        dir.resolve("wine-extra.jsonl"),
        List.of(json.toString(), json.substring(0, 40)),
        StandardCharsets.UTF_8);
    Path damaged = dir.resolve("wine-damaged.csv");
    Files.write(damaged, lines, StandardCharsets.UTF_8);
    String ddl =
        "alcohol DOUBLE, malic_acid DOUBLE, ash DOUBLE, alcalinity_of_ash DOUBLE, magnesium INT,"
            + " total_phenols DOUBLE, flavanoids DOUBLE, nonflavanoid_phenols DOUBLE,"
            + " proanthocyanins DOUBLE, color_intensity DOUBLE, hue DOUBLE, od280_od315 DOUBLE,"
            + " proline INT, cultivar STRING";

    RunSummary s = summary();
    String path =
        new SparkTableIngest(spark, catalog, 1 << 20)
            .ingest("wine_damaged", List.of(dir.toString()), null, ddl, s);
    s.checkBalanced();
    SourceCounts t = total(s);
    assertEquals(182, t.in());
    assertEquals(177, t.out());
    assertEquals(2, t.duplicates());
    assertEquals(3, t.quarantined());
    Dataset<Row> q =
        spark.read().format("delta").load(catalog.path(TableCatalog.quarantine("table")));
    assertEquals(1, q.where("reason = 'unparsable_field' AND field = 'alcohol'").count());
    // The unclosed quote: Spark's CSV parser reports it as malformed or puts the rest of the line
    // into malic_acid; either way it is quarantined, not loaded.
    assertEquals(
        1,
        q.where(
                "source_file LIKE '%wine-damaged.csv' AND NOT (field <=> 'alcohol')"
                    + " AND reason IN ('malformed_row', 'unparsable_field')")
            .count());
    assertEquals(
        1, q.where("source_file LIKE '%wine-extra.jsonl' AND reason = 'malformed_row'").count());
    assertEquals(177, spark.read().format("delta").load(path).count());
  }

  @Test
  void parquetAndJsonLinesOfTheSameRowsAreDuplicates(@TempDir Path dir) {
    SparkTableIngest ingest = new SparkTableIngest(spark, catalog, 1 << 20);
    ingest.ingest("wine_formats", List.of(WINE.toString()), null, null, summary());
    Dataset<Row> wine = spark.read().format("delta").load(catalog.path("silver/wine_formats"));
    Dataset<Row> data = wine.drop("_row_id", "_source_file", "_ingested_at", "_run_id");
    data.coalesce(1).write().parquet(dir.resolve("pq").toString());
    data.coalesce(1).write().json(dir.resolve("js").toString());

    RunSummary s = summary();
    ingest.ingest(
        "wine_formats",
        List.of(dir.resolve("pq").toString(), dir.resolve("js").toString()),
        null,
        null,
        s);
    s.checkBalanced();
    assertEquals(356, total(s).in());
    assertEquals(0, total(s).out());
    assertEquals(356, total(s).duplicates());
  }

  @Test
  void aDeclaredColumnTheFileLacksIsAClearError() {
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class,
            () ->
                new SparkTableIngest(spark, catalog, 1 << 20)
                    .ingest(
                        "wine_bad",
                        List.of(WINE.toString()),
                        null,
                        "alcohol DOUBLE, vintage INT",
                        summary()));
    assertTrue(e.getMessage().contains("vintage"), e.getMessage());
  }
}
