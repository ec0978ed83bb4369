package org.synthweave.jobs;

import io.delta.tables.DeltaTable;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.verification.QualityReport;
import org.synthweave.verification.checks.CheckResult;
import org.synthweave.verification.checks.DatasetChecks;
import org.synthweave.verification.checks.SparkChecks;

/**
 * Runs a dataset's declared checks on one table version and records them: printed, appended to
 * {@code _checks}, and written as {@code quality.json} into the version's export folder when there
 * is one. Shared by {@code check} and {@code publish}'s gate.
 */
final class DatasetChecking {
  private DatasetChecking() {}

  /** The results of {@code checks} on {@code version} of their table. */
  record Outcome(DatasetChecks checks, long version, Instant at, List<CheckResult> results) {
    boolean passed() {
      return results.stream().allMatch(CheckResult::pass);
    }

    List<CheckResult> failures() {
      return results.stream().filter(r -> !r.pass()).toList();
    }

    QualityReport report() {
      return QualityReport.of(checks.name(), checks.table(), version, at.toString(), results);
    }
  }

  /**
   * The latest version of {@code table}, or {@code version} after checking that it exists; fails
   * with a clear error when the table or version does not.
   */
  static long resolveVersion(SparkSession spark, TableCatalog catalog, String table, Long version) {
    String path = catalog.path(table);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      throw JobErrors.noTable(table, path);
    }
    long latest = DeltaTable.forPath(spark, path).history(1).first().getAs("version");
    if (version == null) {
      return latest;
    }
    if (version < 0 || version > latest) {
      throw JobErrors.noTableVersion(table, version, latest);
    }
    return version;
  }

  /** Runs {@code checks} on {@code version} (already resolved) in one aggregation pass. */
  static Outcome run(SparkSession spark, TableCatalog catalog, DatasetChecks checks, long version) {
    Dataset<Row> df =
        spark
            .read()
            .format("delta")
            .option("versionAsOf", version)
            .load(catalog.path(checks.table()));
    spark.sparkContext().setJobDescription("checks of " + checks.name());
    try {
      return new Outcome(checks, version, Instant.now(), SparkChecks.run(df, checks));
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
  }

  /** Prints every result and a summary line. */
  static void print(Outcome o, PrintStream out) {
    out.println(
        "checks of "
            + o.checks().name()
            + " on "
            + o.checks().table()
            + " version "
            + o.version()
            + ":");
    for (CheckResult r : o.results()) {
      out.println("  " + r.describe());
    }
    int failed = o.failures().size();
    out.println(
        o.checks().name()
            + ": "
            + o.results().size()
            + " checks, "
            + (o.results().size() - failed)
            + " passed, "
            + failed
            + " failed");
    out.flush();
  }

  /** Appends {@code o} to {@code _checks}; writes quality.json into an existing export folder. */
  static void record(SparkSession spark, TableCatalog catalog, Outcome o, String runId) {
    List<Row> rows = new ArrayList<>();
    Timestamp at = Timestamp.from(o.at());
    for (CheckResult r : o.results()) {
      rows.add(
          RowFactory.create(
              o.checks().name(),
              o.checks().table(),
              o.version(),
              r.check(),
              r.column(),
              r.metric(),
              r.threshold(),
              Double.isNaN(r.value()) ? null : r.value(),
              r.actual().isEmpty() ? null : r.actual(),
              r.pass(),
              at,
              runId));
    }
    if (!rows.isEmpty()) {
      spark.sparkContext().setJobDescription("append check results to _checks");
      spark
          .createDataFrame(rows, TableCatalog.CHECKS_SCHEMA)
          .write()
          .format("delta")
          .mode(SaveMode.Append)
          .save(catalog.path(TableCatalog.CHECKS));
      spark.sparkContext().setJobDescription(null);
    }
    writeQuality(catalog, o);
  }

  /** Writes quality.json into the export folder of the checked version, when it exists. */
  static void writeQuality(TableCatalog catalog, Outcome o) {
    Path dir = DatasetExport.folder(catalog, o.checks().table(), o.version());
    if (Files.isDirectory(dir)) {
      o.report().writeTo(dir);
    }
  }
}
