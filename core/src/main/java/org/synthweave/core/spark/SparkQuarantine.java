package org.synthweave.core.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.synthweave.core.catalog.TableCatalog;

/**
 * Writes rejected records to {@code quarantine/<stage>} (schema {@link
 * TableCatalog#QUARANTINE_SCHEMA}), idempotently, and counts them per source file. Callers give a
 * frame with {@code source_file, position, record_id, reason, field, detail}, either {@code
 * raw_text} (string) or {@code raw} (binary), and optionally {@code raw_length} when the raw bytes
 * are only a prefix of the record. Every record given is kept, identical ones too: a damaged record
 * has no parsed identity that would make two copies one record, so the stage's duplicate rules
 * (which judge parsed records) cannot apply to it, and a replay after repair needs every copy.
 */
public final class SparkQuarantine {
  private SparkQuarantine() {}

  /**
   * @return rejected records per source file in this run (whether or not an earlier run already
   *     quarantined them)
   */
  public static Map<String, Long> write(
      SparkSession spark,
      TableCatalog catalog,
      String stage,
      Dataset<Row> rejected,
      int rawMaxBytes,
      String runId) {
    Column raw =
        java.util.Arrays.asList(rejected.columns()).contains("raw")
            ? col("raw")
            : col("raw_text").cast(DataTypes.BinaryType);
    boolean hasLength = java.util.Arrays.asList(rejected.columns()).contains("raw_length");
    // Readers may hand over only a prefix of a huge record, with its full length beside it.
    Column fullLength =
        hasLength
            ? col("raw_length").cast(DataTypes.LongType)
            : length(col("_raw_full")).cast(DataTypes.LongType);
    // Records that agree in everything the key holds (a repeated damaged line of a reader that
    // gives no position) are still separate records: each copy gets its own key, the first the
    // key it always had, so every record counted is kept and a rerun adds none of them again.
    Column identity =
        sha2(
            concat_ws(
                "|",
                lit(stage),
                col("source_file"),
                col("position").cast(DataTypes.StringType),
                coalesce(col("record_id"), lit("")),
                col("reason"),
                coalesce(sha2(col("_raw_full"), 256), lit(""))),
            256);
    WindowSpec copies =
        Window.partitionBy("_identity").orderBy(col("field").asc(), col("detail").asc());
    Dataset<Row> rows =
        rejected
            .withColumn("_raw_full", raw)
            .withColumn("_identity", identity)
            .withColumn("_copy", row_number().over(copies))
            .select(
                when(col("_copy").equalTo(1), col("_identity"))
                    .otherwise(
                        sha2(
                            concat_ws(
                                "|", col("_identity"), col("_copy").cast(DataTypes.StringType)),
                            256))
                    .as("quarantine_key"),
                lit(stage).as("stage"),
                col("source_file"),
                col("position").cast(DataTypes.LongType).as("position"),
                col("record_id").cast(DataTypes.StringType).as("record_id"),
                col("reason"),
                col("field").cast(DataTypes.StringType).as("field"),
                col("detail").cast(DataTypes.StringType).as("detail"),
                substring(col("_raw_full"), 1, rawMaxBytes).as("raw"),
                fullLength.as("raw_length"),
                coalesce(
                        fullLength.gt(functions.least(length(col("_raw_full")), lit(rawMaxBytes))),
                        lit(false))
                    .as("raw_truncated"),
                current_timestamp().as("quarantined_at"),
                lit(runId).as("run_id"));
    rows =
        TableCatalog.conform(rows, TableCatalog.QUARANTINE_SCHEMA)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<String, Long> counts = InputFiles.countPerFile(rejected, "source_file");
      DeltaWrites.insertNew(
          spark,
          rows,
          catalog.path(TableCatalog.quarantine(stage)),
          List.of("quarantine_key"),
          List.of());
      return counts;
    } finally {
      rows.unpersist();
    }
  }
}
