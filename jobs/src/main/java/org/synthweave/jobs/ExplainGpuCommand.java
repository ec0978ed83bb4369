package org.synthweave.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.synthweave.synthesis.SynthesisConfig;
import org.synthweave.verification.synthetic.SyntheticConfig;
import org.synthweave.verification.synthetic.SyntheticEvaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code synthweave explain-gpu}: which operators of each stage the RAPIDS Accelerator would run.
 */
@Command(
    name = "explain-gpu",
    mixinStandardHelpOptions = true,
    description = {
      "Run the stages on the configured inputs (the bundled samples by default) in a temporary"
          + " warehouse, record every Spark query they run, and ask the RAPIDS Accelerator"
          + " (ExplainPlan.explainPotentialGpuPlan, no GPU and no plugin needed) which operators"
          + " and expressions would run on the GPU and why the others would not.",
      "Prints a table per stage and one JSON line per stage (gpu_share: the share of operators"
          + " on the GPU). Fallbacks named in the declared list (synthweave/gpu-cpu-fallbacks.txt)"
          + " are marked cpu*. Needs the RAPIDS jar: build with -Pgpu.",
      "Stages: ingest (parse, validate, deduplicate), augment (tabular and time-series),"
          + " features (row features for embeddings), synthesize (Gaussian copula on the"
          + " synth.tables), evaluate (synthetic-evaluation aggregations)."
    })
final class ExplainGpuCommand implements Runnable {
  /** The stages explain-gpu can explain, in pipeline order. */
  enum Stage {
    ingest,
    augment,
    features,
    synthesize,
    evaluate
  }

  /** Augmented in the augment stage: one time-series and one tabular dataset of the samples. */
  static final List<String> AUGMENT_DATASETS = List.of("telemetry", "wine");

  @Spec CommandSpec spec;

  @Option(
      names = "--stage",
      split = ",",
      paramLabel = "STAGE",
      description = "Only these stages (${COMPLETION-CANDIDATES}); default all. Repeatable.")
  List<Stage> stages = new ArrayList<>();

  @Option(names = "--json", description = "Print only the JSON lines, no table.")
  boolean json;

  @Override
  public void run() {
    SparkGpuPlans.explainMethod(); // the one-line error without the RAPIDS jar, before any work
    Set<Stage> wanted = stages.isEmpty() ? EnumSet.allOf(Stage.class) : EnumSet.copyOf(stages);
    List<GpuPlanReport.Stage> reports = explain(wanted);
    GpuFallbacks declared = GpuFallbacks.declared();
    for (GpuPlanReport.Stage r : reports) {
      if (!json) {
        System.out.print(r.table(declared));
      }
      System.out.println(r.toJson(declared));
    }
  }

  /** Runs the stages {@code wanted} need and explains the queries of those wanted. */
  List<GpuPlanReport.Stage> explain(Set<Stage> wanted) {
    ConfigOptions o = Main.options(spec);
    Path warehouse = tempWarehouse();
    List<String> sets = new ArrayList<>(o.sets);
    sets.add("warehouse=" + warehouse);
    // the cheap synthesizer: explain-gpu looks at Spark plans, not at model quality
    sets.add("synth.synthesizer=copula");
    List<GpuPlanReport.Stage> reports = new ArrayList<>();
    PrintStream quiet =
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    PrintStream stdout = System.out;
    try (JobContext job = new JobContext("explain-gpu", o.confFile, sets, quiet);
        SparkGpuPlans plans = SparkGpuPlans.record(job.spark())) {
      // the stages print their progress; explain-gpu's output is the report
      System.setOut(quiet);
      IngestCommand.ingest(job, null);
      keep(reports, plans, Stage.ingest, wanted);
      if (wanted.contains(Stage.augment)) {
        AugmentCommand.augment(job, AUGMENT_DATASETS);
        keep(reports, plans, Stage.augment, wanted);
      }
      if (wanted.contains(Stage.features)) {
        EmbedCommand.embed(job, EmbedCommand.Only.rows, false);
        keep(reports, plans, Stage.features, wanted);
      }
      if (wanted.contains(Stage.synthesize) || wanted.contains(Stage.evaluate)) {
        SynthesizeCommand.synthesizeAll(job);
        keep(reports, plans, Stage.synthesize, wanted);
      }
      if (wanted.contains(Stage.evaluate)) {
        evaluate(job);
        keep(reports, plans, Stage.evaluate, wanted);
      }
    } finally {
      System.setOut(stdout);
      delete(warehouse);
    }
    return reports;
  }

  private static void keep(
      List<GpuPlanReport.Stage> reports, SparkGpuPlans plans, Stage stage, Set<Stage> wanted) {
    GpuPlanReport.Stage r = plans.drain(stage.name());
    if (wanted.contains(stage)) {
      reports.add(r);
    }
  }

  /** evaluate-synthetic's computation on each synthesized table, without writing its report. */
  private static void evaluate(JobContext job) {
    SynthesisConfig synth = SynthesisConfig.from(job.settings);
    SyntheticConfig cfg = SyntheticConfig.from(job.settings);
    SparkSession spark = job.spark();
    for (String t : synth.tables()) {
      String target = synth.targetOf(t);
      if (target.isBlank()) {
        continue;
      }
      Dataset<Row> real =
          spark.read().format("delta").load(job.catalog.path(SynthesizeCommand.silver(t)));
      String name = t.substring(t.lastIndexOf('/') + 1);
      Dataset<Row> syn =
          spark.read().format("delta").load(job.catalog.path("gold/" + name + "_synthetic"));
      new SyntheticEvaluator(cfg.options())
          .evaluate(real, null, cfg.holdoutFraction(), syn, target);
    }
  }

  private static Path tempWarehouse() {
    try {
      return Files.createTempDirectory("synthweave-explain-gpu-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary folder left behind is harmless; the report is what matters
    }
  }
}
