package org.synthweave.jobs;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.synthweave.core.config.Settings;
import org.synthweave.verification.VerificationErrors;
import org.synthweave.verification.synthetic.SyntheticConfig;
import org.synthweave.verification.synthetic.SyntheticEvaluator;
import org.synthweave.verification.synthetic.SyntheticReport;
import org.synthweave.verification.synthetic.SyntheticReportHtml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synthweave evaluate-synthetic}: fidelity and privacy of a synthetic table. */
@Command(
    name = "evaluate-synthetic",
    mixinStandardHelpOptions = true,
    description = {
      "Compare a synthetic table with the real table it imitates: SDMetrics quality score (column"
          + " shapes, column pair trends), train-on-synthetic/test-on-real F1 and (binary"
          + " target) ROC AUC against train-on-real, detection AUC of a random forest telling"
          + " real holdout rows from synthetic ones, distance to the closest training record"
          + " against a real holdout, and exact copies; by default also for the"
          + " class-conditional independent-marginals sampler, the baseline a synthesizer must"
          + " beat.",
      "The real table is split by the seed into training rows and a holdout"
          + " (verify.synthetic.holdout-fraction), or --holdout names a table of real rows the"
          + " synthesizer never saw. Prints a summary and one JSON line; writes index.html,"
          + " report.json and fidelity.json (the per-column distributions a published dataset"
          + " carries) to --report (default: _report inside the synthetic table's folder)."
    })
final class EvaluateSyntheticCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--real",
      required = true,
      paramLabel = "TABLE",
      description = "The real table, e.g. silver/telco.")
  String real;

  @Option(
      names = "--synthetic",
      required = true,
      paramLabel = "TABLE",
      description = "The synthetic table, e.g. gold/telco_synthetic.")
  String synthetic;

  @Option(
      names = "--target",
      required = true,
      paramLabel = "COLUMN",
      description = "The label column (categorical, 2 to 100 values).")
  String target;

  @Option(
      names = "--holdout",
      paramLabel = "TABLE",
      description =
          "Real rows the synthesizer never saw; then all of --real are training rows and"
              + " --holdout-fraction is unused.")
  String holdout;

  @Option(
      names = "--holdout-fraction",
      paramLabel = "F",
      description = "Overrides verify.synthetic.holdout-fraction (default 0.2).")
  Double holdoutFraction;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Overrides verify.synthetic.seed (default 42).")
  Long seed;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description =
          "Overrides verify.synthetic.report-dir: the folder of index.html and report.json.")
  String report;

  @Override
  public void run() {
    ConfigOptions o = Main.options(spec);
    try (JobContext job = new JobContext("evaluate-synthetic", o.confFile, o.sets, System.out)) {
      Settings s = job.settings;
      if (holdoutFraction != null) {
        s = s.with(SyntheticConfig.HOLDOUT_FRACTION.name(), holdoutFraction);
      }
      if (seed != null) {
        s = s.with(SyntheticConfig.SEED.name(), seed);
      }
      if (report != null) {
        s = s.with(SyntheticConfig.REPORT_DIR.name(), report);
      }
      SyntheticConfig cfg = SyntheticConfig.from(s);
      SparkSession spark = job.spark();
      Dataset<Row> realRows = read(spark, job, real);
      Dataset<Row> synRows = read(spark, job, synthetic);
      SyntheticEvaluator evaluator = new SyntheticEvaluator(cfg.options());
      Dataset<Row> held = holdout == null ? null : read(spark, job, holdout);
      spark.sparkContext().setJobDescription("evaluate-synthetic " + synthetic);
      SyntheticReport r =
          evaluator.evaluate(realRows, held, cfg.holdoutFraction(), synRows, target);
      spark.sparkContext().setJobDescription(null);
      String dir =
          cfg.reportDir().isBlank() ? job.catalog.path(synthetic) + "/_report" : cfg.reportDir();
      write(spark, dir, "index.html", SyntheticReportHtml.render(r));
      write(spark, dir, "report.json", r.toJson() + "\n");
      write(spark, dir, SyntheticReport.FIDELITY_FILE_NAME, r.fidelityJson() + "\n");
      System.out.print(r.summary());
      System.out.println("report: " + dir + "/index.html");
      System.out.println(r.toJson());
      job.summary.note("evaluate-synthetic " + synthetic, "report in " + dir);
      job.finish();
    }
  }

  private static Dataset<Row> read(SparkSession spark, JobContext job, String table) {
    String path = job.catalog.path(table);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      throw JobErrors.noTable(table, path);
    }
    return spark.read().format("delta").load(path);
  }

  private static void write(SparkSession spark, String dir, String name, String text) {
    Path file = new Path(dir, name);
    try {
      FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(file, true)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw VerificationErrors.unwritable(java.nio.file.Path.of(file.toUri().getPath()), e);
    }
  }
}
