package org.synthweave.core.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.delta.tables.DeltaTable;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.run.CommitLineage;
import org.synthweave.core.run.RunLog;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.testing.SparkTestBase;

class DeltaWritesTest extends SparkTestBase {
  private static final StructType SCHEMA =
      new StructType().add("id", DataTypes.StringType).add("v", DataTypes.IntegerType);

  private Dataset<Row> rows(Object[]... values) {
    return spark.createDataFrame(List.of(values).stream().map(RowFactory::create).toList(), SCHEMA);
  }

  @Test
  void insertNewIsIdempotentAndMakesNoEmptyCommits() {
    String path = catalog.path("silver/kv");
    assertEquals(
        2,
        DeltaWrites.insertNew(
            spark,
            rows(new Object[] {"a", 1}, new Object[] {"b", 2}),
            path,
            List.of("id"),
            List.of()));
    long version = DeltaTable.forPath(spark, path).history(1).head().getLong(0);

    assertEquals(
        0,
        DeltaWrites.insertNew(
            spark,
            rows(new Object[] {"a", 1}, new Object[] {"b", 2}),
            path,
            List.of("id"),
            List.of()));
    assertEquals(version, DeltaTable.forPath(spark, path).history(1).head().getLong(0));

    // A changed value under an existing key is not an update: ids are content hashes.
    assertEquals(
        1,
        DeltaWrites.insertNew(
            spark,
            rows(new Object[] {"a", 9}, new Object[] {"c", 3}),
            path,
            List.of("id"),
            List.of()));
    assertEquals(3, spark.read().format("delta").load(path).count());
    assertEquals(1, spark.read().format("delta").load(path).where("id = 'a' AND v = 1").count());
  }

  @Test
  void aWriteRecordsItsLineageInTheCommitItMakes() {
    String path = catalog.path("gold/kv_lineage");
    CommitLineage first = CommitLineage.of("augment", "silver/kv", 3L, "run-1");
    CommitLineage second = CommitLineage.of("augment", "silver/kv", 4L, "run-2");
    // The table is created by a write (an option), then merged into (the session setting).
    DeltaWrites.insertNew(
        spark, rows(new Object[] {"a", 1}), path, List.of("id"), List.of(), first);
    DeltaWrites.insertNew(
        spark, rows(new Object[] {"b", 2}), path, List.of("id"), List.of(), second);
    List<Row> history =
        DeltaTable.forPath(spark, path)
            .history()
            .orderBy("version")
            .select("operation", "userMetadata")
            .collectAsList();
    assertEquals("WRITE", history.get(0).getString(0));
    assertEquals(first, CommitLineage.parse(history.get(0).getString(1)).orElseThrow());
    assertEquals("MERGE", history.get(1).getString(0));
    assertEquals(second, CommitLineage.parse(history.get(1).getString(1)).orElseThrow());
    assertFalse(
        spark.conf().getOption(DeltaWrites.USER_METADATA_CONF).isDefined(),
        "the session setting is restored after the merge");
  }

  @Test
  void runLogAppendsOneRowPerSourceAndTotal() {
    RunSummary summary = new RunSummary("run-1", "ingest", Instant.parse("2026-01-01T00:00:00Z"));
    summary.add(new SourceCounts("crawl", "a.warc", 3, 2, 1, 0, 0));
    RunLog.append(spark, catalog, summary, Instant.parse("2026-01-01T00:00:05Z"), "h", "dev");
    Dataset<Row> runs = spark.read().format("delta").load(catalog.path(TableCatalog.RUNS));
    assertEquals(2, runs.count());
    assertEquals(2, runs.where("balanced AND run_id = 'run-1'").count());
  }
}
