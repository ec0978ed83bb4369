package org.synthweave.core.run;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.synthweave.core.catalog.TableCatalog;

/** Appends a {@link RunSummary} to the {@code _runs} Delta table (one row per stage and source). */
public final class RunLog {
  private RunLog() {}

  public static void append(
      SparkSession spark,
      TableCatalog catalog,
      RunSummary summary,
      Instant finishedAt,
      String configHash,
      String codeVersion) {
    List<Row> rows = new ArrayList<>();
    for (SourceCounts c : summary.rows()) {
      rows.add(
          RowFactory.create(
              summary.runId(),
              summary.command(),
              c.stage(),
              c.source(),
              c.in(),
              c.out(),
              c.quarantined(),
              c.duplicates(),
              c.skipped(),
              c.balanced(),
              Timestamp.from(summary.startedAt()),
              Timestamp.from(finishedAt),
              configHash,
              codeVersion));
    }
    if (rows.isEmpty()) {
      return;
    }
    spark
        .createDataFrame(rows, TableCatalog.RUNS_SCHEMA)
        .write()
        .format("delta")
        .mode(SaveMode.Append)
        .save(catalog.path(TableCatalog.RUNS));
  }
}
