package org.synthweave.jobs;

import java.util.List;
import org.synthweave.augmentation.AugmentationConfig;
import org.synthweave.augmentation.spark.SparkAugmentation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code synthweave augment}: augmented copies of configured datasets into gold/*_augmented. */
@Command(
    name = "augment",
    mixinStandardHelpOptions = true,
    description = {
      "Augment the datasets named (default: augment.datasets, i.e. telemetry) as declared under"
          + " augment.dataset.<name> {source, kind, label, copies | copies-per-class | balance,"
          + " constraints, ops}; output: gold/<name>_augmented (augmented rows only, with"
          + " provenance columns origin, aug_source_id, aug_partner_ids, aug_copy, aug_ops,"
          + " aug_seed).",
      "Every value derives from (augment.seed, source id, op index, copy, draw): a rerun adds"
          + " nothing. Rows that break a constraint under on-violation=reject go to"
          + " quarantine/augment with the reason."
    })
final class AugmentCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "DATASET", description = "Datasets to augment.")
  List<String> datasets;

  @Override
  public void run() {
    ConfigOptions o = Main.options(spec);
    try (JobContext job = new JobContext("augment", o.confFile, o.sets, System.out)) {
      augment(job, datasets);
      job.finish();
    }
  }

  /** Runs the augment stage inside an existing job (also used by {@code synthweave run}). */
  static void augment(JobContext job, List<String> names) {
    AugmentationConfig cfg = AugmentationConfig.from(job.settings);
    List<String> todo = names == null || names.isEmpty() ? cfg.datasets() : names;
    for (String name : todo) {
      cfg.spec(name);
    }
    SparkAugmentation aug =
        new SparkAugmentation(job.spark(), job.catalog, cfg, job.summary.runId());
    for (String name : todo) {
      aug.augment(name, job.summary);
    }
  }
}
