package org.synthweave.core.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.testing.SparkTestBase;

/** Every rejected record ends up in quarantine, identical ones included, and only once per run. */
class SparkQuarantineTest extends SparkTestBase {
  private static final StructType REJECTED =
      new StructType()
          .add("source_file", DataTypes.StringType)
          .add("position", DataTypes.LongType)
          .add("record_id", DataTypes.StringType)
          .add("reason", DataTypes.StringType)
          .add("field", DataTypes.StringType)
          .add("detail", DataTypes.StringType)
          .add("raw_text", DataTypes.StringType);

  /** A malformed CSV line as ingest-table hands it over: no position, no record id. */
  private static Row malformed(String file, String line) {
    return RowFactory.create(
        file, -1L, null, "malformed_row", null, "the line is not a well-formed record", line);
  }

  private Dataset<Row> frame(Row... rows) {
    return spark.createDataFrame(List.of(rows), REJECTED);
  }

  private long quarantined(String table) {
    return spark.read().format("delta").load(catalog.path(table)).count();
  }

  @Test
  void identicalDamagedRecordsAreEachKept() {
    String table = TableCatalog.quarantine("table");
    Row damaged = malformed("a.csv", "1,\"open quote,3");
    Map<String, Long> counts =
        SparkQuarantine.write(
            spark,
            catalog,
            "table",
            frame(damaged, damaged, malformed("a.csv", "2,,,,")),
            4096,
            "run-1");
    assertEquals(List.of(3L), List.copyOf(counts.values()), "counted per file: " + counts);
    assertEquals(3, quarantined(table), "every counted record is in quarantine");
    assertEquals(
        2,
        spark
            .read()
            .format("delta")
            .load(catalog.path(table))
            .where("CAST(raw AS STRING) = '1,\"open quote,3'")
            .select("quarantine_key")
            .distinct()
            .count(),
        "the two copies have keys of their own");

    // A rerun over the same input adds nothing; a third copy in the file adds exactly one row.
    SparkQuarantine.write(spark, catalog, "table", frame(damaged, damaged), 4096, "run-2");
    assertEquals(3, quarantined(table));
    SparkQuarantine.write(spark, catalog, "table", frame(damaged, damaged, damaged), 4096, "run-3");
    assertEquals(4, quarantined(table));
    // The same line in another file is another record.
    SparkQuarantine.write(
        spark, catalog, "table", frame(malformed("b.csv", "1,\"open quote,3")), 4096, "run-4");
    assertEquals(5, quarantined(table));
  }
}
