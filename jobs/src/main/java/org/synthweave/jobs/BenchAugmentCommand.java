package org.synthweave.jobs;

import java.io.PrintWriter;
import java.nio.file.Paths;
import java.util.List;
import org.synthweave.augmentation.AugmentationConfig;
import org.synthweave.augmentation.bench.AugmentationBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synthweave bench augment}: see {@link AugmentationBench}. */
@Command(
    name = "augment",
    mixinStandardHelpOptions = true,
    description = {
      "Augmentation throughput per op family (tabular on Telco churn, SMOTE blocked and exact,"
          + " time series on the telemetry readings, GPS perturbation on the vehicle tracks, EDA"
          + " text on spam-ham, images on Fashion-MNIST) as output rows per"
          + " second of process CPU time per core, and its ratio to a plain copy of the same rows"
          + " in the same run; then train-on-real+augmented / test-on-real usefulness with a"
          + " Spark MLlib logistic regression on Telco churn and Fashion-MNIST. One JSON line"
          + " each; needs data/scripts/vectors/fetch-fashion-mnist.sh and"
          + " data/scripts/text/fetch-wordnet.sh to have run."
    })
final class BenchAugmentCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--copies",
      defaultValue = "4",
      description = "Augmented copies per source row (default ${DEFAULT-VALUE}).")
  int copies;

  @Option(
      names = "--images",
      defaultValue = "10000",
      description = "Fashion-MNIST training images used (default ${DEFAULT-VALUE}).")
  int images;

  @Option(
      names = "--fashion-only",
      description = "Measure only the Fashion-MNIST usefulness (train on real + augmented images).")
  boolean fashionOnly;

  @Override
  public void run() {
    ConfigOptions o = Main.options(spec);
    List<String> sets = BenchCommand.benchSets(o, BenchCommand.workDir("augment"));
    try (JobContext job = new JobContext("bench augment", o.confFile, sets, System.err)) {
      PrintWriter out = spec.commandLine().getOut();
      AugmentationBench bench =
          new AugmentationBench(
              job.spark(),
              job.catalog,
              AugmentationConfig.from(job.settings),
              Paths.get("").toAbsolutePath());
      java.util.function.Consumer<String> print =
          line -> {
            out.println(line);
            out.flush();
          };
      if (fashionOnly) {
        bench.runFashionUsefulness(images, print);
      } else {
        bench.run(copies, images, print);
      }
    }
  }
}
