package org.synthweave.jobs;

import io.delta.tables.DeltaTable;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.Settings;
import org.synthweave.embedding.EmbeddingConfig;
import org.synthweave.vectors.IndexConfig;
import org.synthweave.vectors.IndexDescriptor;
import org.synthweave.vectors.IndexEvaluation;
import org.synthweave.vectors.VectorIndex;
import org.synthweave.verification.QualityReport;
import org.synthweave.verification.VerificationErrors;
import org.synthweave.verification.checks.CheckResult;
import org.synthweave.verification.checks.DatasetChecks;
import org.synthweave.verification.checks.IndexCheck;
import org.synthweave.verification.checks.SparkChecks;
import org.synthweave.verification.checks.SyntheticCheck;
import org.synthweave.verification.synthetic.SyntheticConfig;

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

  /**
   * Runs {@code checks} on {@code version} (already resolved): the data checks in one aggregation
   * pass, then the synthetic-table checks ({@code evaluate-synthetic}'s evaluator, under the {@code
   * verify.synthetic.*} settings) and the index checks ({@code eval-index}'s recall). What every
   * check names (columns, the real table, the index) is looked up first, so a bad name fails before
   * any data is read.
   */
  static Outcome run(
      SparkSession spark,
      TableCatalog catalog,
      Settings settings,
      DatasetChecks checks,
      long version) {
    Dataset<Row> df =
        spark
            .read()
            .format("delta")
            .option("versionAsOf", version)
            .load(catalog.path(checks.table()));
    SyntheticCheck syn = checks.synthetic();
    Dataset<Row> real = null;
    Dataset<Row> holdout = null;
    SyntheticConfig synConfig = null;
    if (syn != null) {
      synConfig = SyntheticConfig.from(settings);
      real = latest(spark, catalog, syn.real());
      holdout = syn.holdout().isEmpty() ? null : latest(spark, catalog, syn.holdout());
    }
    Path indexDir = null;
    if (checks.index() != null) {
      String name = checks.index().index();
      indexDir = Indexes.dir(catalog, EmbeddingConfig.from(settings), name.isEmpty() ? null : name);
      IndexDescriptor.read(indexDir); // a missing or damaged index fails before any work
    }
    Map<String, String> types = SparkChecks.types(df.schema());
    checks.requireColumns(types);
    if (real != null && !Arrays.asList(real.columns()).contains(syn.target())) {
      throw VerificationErrors.noCheckColumn(
          DatasetChecks.PREFIX + checks.name() + ".synthetic.target",
          syn.target(),
          syn.real(),
          Arrays.asList(real.columns()));
    }
    List<CheckResult> results = new ArrayList<>();
    try {
      spark.sparkContext().setJobDescription("checks of " + checks.name());
      results.addAll(SparkChecks.run(df, checks));
      if (syn != null) {
        spark
            .sparkContext()
            .setJobDescription("synthetic checks of " + checks.name() + " against " + syn.real());
        results.addAll(SparkChecks.runSynthetic(real, holdout, df, syn, synConfig));
      }
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
    if (indexDir != null) {
      results.addAll(runIndex(indexDir, checks.index(), IndexConfig.from(settings)));
    }
    return new Outcome(checks, version, Instant.now(), results);
  }

  /**
   * The index checks of the index in {@code dir}: its model and dimensions from its descriptor, and
   * recall@10 of its graph search against exact search on vectors drawn from it, as {@code
   * eval-index} measures it.
   */
  static List<CheckResult> runIndex(Path dir, IndexCheck check, IndexConfig config) {
    try (VectorIndex vi =
        VectorIndex.open(dir, config.searchThreads(), config.searchSpinMicros())) {
      IndexDescriptor d = vi.descriptor();
      double recall = Double.NaN;
      if (check.measuresRecall()) {
        EvalIndexCommand.Sampled q = EvalIndexCommand.sample(vi, check.queries(), IndexCheck.SEED);
        int effort = check.candidates() > 0 ? check.candidates() : config.searchCandidates();
        recall =
            IndexEvaluation.evaluate(
                    vi, q.vectors(), q.ids(), IndexCheck.K, new int[] {effort}, Map.of())
                .get(0)
                .recall();
      }
      return check.evaluate(
          d.name(), new IndexCheck.Figures(d.model(), d.modelVersion(), d.dimensions(), recall));
    }
  }

  /** The latest version of {@code table}; a missing table is a clear error. */
  private static Dataset<Row> latest(SparkSession spark, TableCatalog catalog, String table) {
    String path = catalog.path(table);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      throw JobErrors.noTable(table, path);
    }
    return spark.read().format("delta").load(path);
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
