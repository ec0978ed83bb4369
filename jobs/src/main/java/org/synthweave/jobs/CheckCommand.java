package org.synthweave.jobs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.synthweave.verification.checks.CheckResult;
import org.synthweave.verification.checks.DatasetChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code synthweave check [DATASET...]}: runs the declared data checks of datasets. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Run the data checks declared under verify.dataset.<name> (row count, columns and types,"
          + " completeness, uniqueness, value ranges, categorical domains; see config --keys) on"
          + " the dataset's table, all metrics of a table in one Spark aggregation; for a synthetic"
          + " table the thresholds of evaluate-synthetic (quality score, detection AUC, exact"
          + " copies, DCR ratio), and for an embedding index its recall@10 against exact search,"
          + " model and dimensions.",
      "Prints each check and a summary, appends the results to the _checks table and writes"
          + " quality.json and quality.html into the table version's export folder if publish made one. Exits 1"
          + " when a check fails, 2 on a configuration error (unknown check, missing column)."
    })
final class CheckCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "DATASET",
      description = "Datasets to check (names under verify.dataset); default: every declared one.")
  List<String> datasets = new ArrayList<>();

  @Option(
      names = "--table-version",
      paramLabel = "V",
      description = "Delta version of the table to check (one dataset only). Default: the latest.")
  Long version;

  @Override
  public void run() {
    PrintStream out = System.out;
    ConfigOptions o = Main.options(spec);
    try (JobContext job = new JobContext("check", o.confFile, o.sets, System.err)) {
      // Every declared dataset is parsed, so a bad check anywhere fails before any work.
      List<DatasetChecks> all = DatasetChecks.all(job.settings.explicitValues());
      List<DatasetChecks> chosen = new ArrayList<>();
      if (datasets.isEmpty()) {
        chosen.addAll(all);
      } else {
        for (String d : datasets) {
          chosen.add(DatasetChecks.from(d, job.settings.explicitValues()));
        }
      }
      if (chosen.isEmpty()) {
        throw org.synthweave.verification.VerificationErrors.noChecksDeclared();
      }
      if (version != null && chosen.size() != 1) {
        throw JobErrors.checkVersionNeedsOneDataset(
            chosen.stream().map(DatasetChecks::name).toList());
      }
      SparkSession spark = job.spark();
      List<Long> versions = new ArrayList<>();
      for (DatasetChecks c : chosen) {
        versions.add(DatasetChecking.resolveVersion(spark, job.catalog, c.table(), version));
      }
      List<CheckResult> failures = new ArrayList<>();
      for (int i = 0; i < chosen.size(); i++) {
        DatasetChecking.Outcome r =
            DatasetChecking.run(spark, job.catalog, job.settings, chosen.get(i), versions.get(i));
        DatasetChecking.print(r, out);
        DatasetChecking.record(spark, job.catalog, r, job.summary.runId());
        failures.addAll(r.failures());
      }
      if (!failures.isEmpty()) {
        throw JobErrors.checksFailed(
            "check",
            failures,
            "Fix the data or the thresholds under verify.dataset.<name>; the results are in the"
                + " _checks table.");
      }
    }
  }
}
