package org.synthweave.jobs;

import java.util.List;
import org.synthweave.core.run.CommitLineage;
import org.synthweave.synthesis.Condition;
import org.synthweave.synthesis.SynthesisConfig;
import org.synthweave.synthesis.model.ModelFiles;
import org.synthweave.synthesis.spark.SparkSynthesis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synthweave synthesize}: train (or reuse) a synthesizer and sample a synthetic table. */
@Command(
    name = "synthesize",
    mixinStandardHelpOptions = true,
    description = {
      "Train a synthesizer (synth.synthesizer: auto, ctgan, tvae or copula) on a silver table, or"
          + " reuse the saved model, and sample rows into gold/<dataset>_synthetic with provenance"
          + " columns (id, origin = synthetic, generator = model id, seed).",
      "auto (the default) trains every synthesizer of synth.auto.candidates on 80%% of the rows,"
          + " scores each on the other 20%% (with a --target: random-forest detection AUC,"
          + " quality score and TSTR; without: column shapes and pair trends) and keeps the best;"
          + " the scores go to <warehouse>/models/synthesis/<dataset>/auto/choice.json.",
      "With a --target (or synth.table.<name>.target) CTGAN conditions on the label and learns"
          + " it with an auxiliary classifier, and sampling keeps the real label shares.",
      "Models live under <warehouse>/models/synthesis/<dataset>/<kind>; an interrupted CTGAN"
          + " or TVAE training resumes from its last checkpoint. The same model, seed and row count give"
          + " the same rows; a rerun adds nothing."
    })
final class SynthesizeCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--table",
      paramLabel = "NAME",
      description =
          "Source table, e.g. telco_churn or silver/telco_churn. Default: synth.tables, or the"
              + " table a --model was trained on.")
  String table;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "Sample from this model folder instead of training (its schema is checked).")
  String model;

  @Option(
      names = "--rows",
      paramLabel = "N",
      description = "Rows to sample. Default: synth.rows, 0 meaning the source table's row count.")
  Long rows;

  @Option(
      names = "--condition",
      paramLabel = "COL=VALUE",
      description = "Only rows with this value of a categorical column.")
  String condition;

  @Option(names = "--seed", description = "Sampling seed. Default: synth.seed.")
  Long seed;

  @Option(
      names = "--synthesizer",
      paramLabel = "KIND",
      description = "auto, ctgan, tvae or copula. Default: synth.synthesizer (auto).")
  String synthesizer;

  @Option(
      names = "--target",
      paramLabel = "COLUMN",
      description =
          "The label column a model will learn from the rows. Default: synth.table.<name>.target,"
              + " else synth.target (empty: none).")
  String target;

  @Option(names = "--retrain", description = "Train anew even when a saved model exists.")
  boolean retrain;

  @Override
  public void run() {
    ConfigOptions o = Main.options(spec);
    try (JobContext job = new JobContext("synthesize", o.confFile, o.sets, System.out)) {
      SynthesisConfig cfg = SynthesisConfig.from(job.settings);
      if (synthesizer != null) {
        cfg = cfg.withSynthesizer(synthesizer);
      }
      if (target != null) {
        cfg = cfg.withTarget(target);
      }
      SparkSynthesis synth =
          new SparkSynthesis(
              job.spark(), job.catalog, cfg, System.out, new EvaluatorScorer(cfg.seed()));
      Condition cond = condition == null ? null : Condition.parse(condition);
      long sampleSeed = seed != null ? seed : cfg.seed();
      ModelFiles.Loaded loaded;
      String dir;
      String source;
      CommitLineage.Source trainedOn;
      if (model != null) {
        dir = model;
        loaded = synth.load(dir);
        source = table != null ? silver(table) : "silver/" + loaded.info().dataset();
        ModelFiles.checkSchema(
            loaded.model(), loaded.info().id(), source, synth.prepare(source).specs());
        trainedOn = synth.trainedOn(loaded, dir).orElse(null);
      } else {
        source = table != null ? silver(table) : onlyTable(cfg.tables());
        SparkSynthesis.Trained t = synth.train(source, retrain);
        loaded = t.loaded();
        dir = t.dir();
        trainedOn = t.trainedOn();
      }
      long n = rows != null ? rows : cfg.rows();
      if (n == 0) {
        n = synth.sourceRows(source);
      }
      synth.write(
          synth.sample(loaded, dir, n, sampleSeed, cond),
          SparkSynthesis.dataset(source),
          source,
          trainedOn,
          job.summary);
      job.finish();
    }
  }

  static String silver(String name) {
    return name.contains("/") ? name : "silver/" + name;
  }

  private static String onlyTable(List<String> tables) {
    if (tables.size() != 1) {
      throw JobErrors.needsOneTable(tables);
    }
    return silver(tables.get(0));
  }

  /** The synthesis stage of {@code synthweave run}: every table of synth.tables. */
  static void synthesizeAll(JobContext job) {
    SynthesisConfig cfg = SynthesisConfig.from(job.settings);
    if (cfg.tables().isEmpty()) {
      System.out.println("synthesis: synth.tables is empty, nothing to synthesize");
      return;
    }
    SparkSynthesis synth =
        new SparkSynthesis(
            job.spark(), job.catalog, cfg, System.out, new EvaluatorScorer(cfg.seed()));
    for (String t : cfg.tables()) {
      synth.synthesize(silver(t), false, job.summary);
    }
  }
}
