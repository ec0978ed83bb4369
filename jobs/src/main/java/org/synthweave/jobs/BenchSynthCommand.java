package org.synthweave.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.synthweave.core.run.RunSummary;
import org.synthweave.ingest.IngestConfig;
import org.synthweave.ingest.table.SparkTableIngest;
import org.synthweave.synthesis.SynthesisConfig;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.model.ModelFiles;
import org.synthweave.synthesis.spark.SparkSynthesis;
import org.synthweave.verification.synthetic.SyntheticEvaluator;
import org.synthweave.verification.synthetic.SyntheticOptions;
import org.synthweave.verification.synthetic.SyntheticReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code synthweave bench synth}: training and sampling figures of each synthesizer on the real
 * tables of data/samples/tables, one JSON line per dataset and synthesizer; with {@code --suite},
 * on every table of {@link SynthSuite} with issue 18's goals judged per line and a summary line of
 * medians ({@link SuiteSummary}); with {@code --scaling}, CTGAN's time per epoch with 1 and 2
 * data-parallel copies on the same data.
 */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    description = {
      "Train and sample each synthesizer on each real sample table (registered into a scratch"
          + " warehouse) and print one JSON line each: train_s, cpu_ms_per_row_epoch (process CPU"
          + " time of training / rows / epochs), sample_rows_per_s, and categorical_tvd (mean total"
          + " variation distance of the categorical columns' frequencies, real vs synthetic).",
      "Each synthesizer learns from 80%% of the real rows (a seeded split); the other 20%% are the"
          + " holdout of the verification module's SyntheticEvaluator, which adds quality_score,"
          + " tstr_ratio (F1 of the minority class, random forest trained on synthetic vs on real"
          + " rows; null when the real-trained forest never predicts that class), tstr_auc,"
          + " trtr_auc and tstr_auc_ratio (the same forests' ROC AUC of the minority-class"
          + " probability and its ratio: threshold-free, 0.5 is chance; F1 at the default"
          + " threshold can be 0 on a rare class even for a useful forest), detection_auc,"
          + " detection_top_columns (the three columns the detection forests leaned on most, with"
          + " their share of its feature importance), baseline_detection_auc (the"
          + " class-conditional independent-marginals sampler), dcr_ratio and exact_copy_rate"
          + " (--no-evaluate skips it). With SYNTHWEAVE_KEEP_BENCH_WORK=1 each sample and its"
          + " report stay in the printed work folder.",
      "Evaluated lines also carry label_class (the real training rows' rarest class of the"
          + " target; for a binary target its minority class), label_share_real and"
          + " label_share_synthetic (that class's share of the real training rows and of the"
          + " synthetic rows), label_share_diff (the largest |real - synthetic| share over all"
          + " classes; for a binary target the same gap) and one goal_<name> per goal of issue"
          + " 18, true, false or null (undefined figure): detection_below_baseline (detection_auc <"
          + " baseline_detection_auc), tstr_ratio and tstr_auc_ratio (>= 0.85; the AUC ratio is"
          + " null for a multiclass target), exact_copies (exact_copy_rate <= 0.01), label_share"
          + " (label_share_diff <= 0.05); goals_met is true when every goal is met, a null AUC"
          + " goal aside (any other null counts as missed).",
      "--suite: every table of the suite (the real tables with a target listed in"
          + " data/samples/README.md), or those of --tables, for every synthesizer, then one summary line (\"summary\": true) with per synthesizer the"
          + " median detection_auc, baseline_detection_auc, tstr_ratio, tstr_auc_ratio (over the"
          + " binary targets), quality_score, exact_copy_rate and label_share_diff, how many"
          + " tables meet each goal and every goal, and the runs that failed (a failed run prints"
          + " an error line, the others go on, and the command exits non-zero at the end).",
      "auto with a target: after auto's line, one line per candidate it trained (\"synthesizer\":"
          + " the candidate, \"candidate_of\": \"auto\"), each judged on the same unseen 20%%"
          + " as auto's pick, so the single synthesizers' figures sit beside auto's from one"
          + " training run (each candidate learned from auto's fitting rows, 80%% of the"
          + " training split); the summary names them auto:copula, auto:ctgan, auto:tvae.",
      "--scaling: CTGAN on the first dataset with 1 and then 2 data-parallel copies (Spark"
          + " path both times), time and CPU per epoch and categorical_tvd of each."
    })
final class BenchSynthCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  /** The datasets without {@code --datasets} or {@code --suite}. */
  static final List<String> DEFAULT_DATASETS =
      List.of("telco-churn", "credit-data", "lending-club");

  @Option(
      names = "--datasets",
      split = ",",
      description =
          "CSV files under --samples (default telco-churn,credit-data,lending-club); a suite"
              + " table is evaluated against its target, any other file gets training and sampling"
              + " figures only.")
  List<String> datasets;

  @Option(
      names = "--suite",
      description = "Run every table of the suite (or those of --tables) and print a summary line.")
  boolean suite;

  @Option(
      names = "--tables",
      split = ",",
      description = "With --suite (implied): only these suite tables, e.g. penguins,wine.")
  List<String> tables;

  @Option(
      names = "--synthesizers",
      split = ",",
      defaultValue = "ctgan,copula",
      description = "Synthesizers to run: ctgan, tvae, copula (default ${DEFAULT-VALUE}).")
  List<String> synthesizers;

  @Option(
      names = "--epochs",
      description =
          "CTGAN and TVAE epochs (default: synth.ctgan.epochs and synth.tvae.epochs, 0: both"
              + " train by steps and stop on the validation signal; N > 0: the paper's N"
              + " epochs).")
  Integer epochs;

  @Option(names = "--scaling", description = "Measure 1 vs 2 data-parallel copies instead.")
  boolean scaling;

  @Option(
      names = "--samples",
      defaultValue = "data/samples/tables",
      description = "Folder of the sample tables (default ${DEFAULT-VALUE}).")
  Path samples;

  @Option(
      names = "--no-evaluate",
      description = "Skip the fidelity and privacy metrics (training and sampling figures only).")
  boolean noEvaluate;

  @Override
  public void run() {
    boolean suiteMode = suite || tables != null;
    List<SynthSuite.Table> chosen = chosenTables(suiteMode);
    ConfigOptions o = Main.options(spec);
    Path work = BenchCommand.workDir("synth");
    List<String> sets = BenchCommand.benchSets(o, work);
    if (epochs != null) {
      sets.add(SynthesisConfig.EPOCHS.name() + "=" + epochs);
      sets.add(SynthesisConfig.TVAE_EPOCHS.name() + "=" + epochs);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (JobContext job = new JobContext("bench synth", o.confFile, sets, System.err)) {
      SparkSession spark = job.spark();
      SparkTableIngest ingest =
          new SparkTableIngest(spark, job.catalog, IngestConfig.from(job.settings).rawMaxBytes());
      RunSummary summary = job.summary;
      for (SynthSuite.Table t : chosen) {
        ingest.ingest(
            t.table(), List.of(samples.resolve(t.file()).toString()), null, null, summary);
      }
      SynthesisConfig base = SynthesisConfig.from(job.settings);
      if (scaling) {
        scaling(spark, job, base, chosen.get(0).table(), out);
        return;
      }
      // An unknown synthesizer is the user's mistake, reported once before any training.
      List<SynthesisConfig> configs = synthesizers.stream().map(base::withSynthesizer).toList();
      List<SuiteResult> results = new ArrayList<>();
      Map<String, List<String>> failed = new LinkedHashMap<>();
      List<String> failedRuns = new ArrayList<>();
      for (SynthSuite.Table t : chosen) {
        for (SynthesisConfig cfg : configs) {
          String kind = cfg.synthesizer();
          try {
            Run r = figures(spark, job, cfg, t);
            r.lines().forEach(line -> out.println(json(line)));
            results.addAll(r.results());
          } catch (RuntimeException e) {
            // One table a synthesizer cannot handle must not cost the rest of a long suite.
            e.printStackTrace(System.err);
            out.println(json(errorLine(t, kind, e)));
            failed.computeIfAbsent(kind, k -> new ArrayList<>()).add(t.name());
            failedRuns.add(t.name() + "/" + kind);
          }
          out.flush();
        }
      }
      if (suiteMode) {
        out.println(json(SuiteSummary.of(results, failed)));
        out.flush();
      }
      if (!failedRuns.isEmpty()) {
        throw JobErrors.benchRunsFailed("synth", failedRuns);
      }
    }
  }

  /** The tables to run, checking the options that select them before any work starts. */
  private List<SynthSuite.Table> chosenTables(boolean suiteMode) {
    if (suiteMode) {
      if (datasets != null) {
        throw JobErrors.benchOptionsConflict(
            "--suite (or --tables)",
            "--datasets",
            "the first runs the suite's tables, the second any sample files");
      }
      if (noEvaluate) {
        throw JobErrors.benchOptionsConflict(
            "--suite", "--no-evaluate", "the suite's goals are judged on the evaluation's figures");
      }
      if (scaling) {
        throw JobErrors.benchOptionsConflict(
            "--suite", "--scaling", "--scaling measures one table's training speed only");
      }
      return SynthSuite.select(tables);
    }
    List<SynthSuite.Table> out = new ArrayList<>();
    for (String d : datasets == null ? DEFAULT_DATASETS : datasets) {
      out.add(SynthSuite.find(d).orElse(new SynthSuite.Table(d, null, null, null)));
    }
    return out;
  }

  private static Map<String, Object> errorLine(SynthSuite.Table t, String kind, Exception e) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("bench", "synth");
    line.put("dataset", t.table());
    line.put("synthesizer", kind);
    line.put("error", String.valueOf(e.getMessage()));
    return line;
  }

  /**
   * One run's printed lines (auto's, then each of its candidates') and, for those evaluated against
   * a target, their judged figures.
   */
  private record Run(List<Map<String, Object>> lines, List<SuiteResult> results) {
    Run plus(Run other) {
      List<Map<String, Object>> l = new ArrayList<>(lines);
      l.addAll(other.lines);
      List<SuiteResult> r = new ArrayList<>(results);
      r.addAll(other.results);
      return new Run(l, r);
    }
  }

  private Run figures(
      SparkSession spark, JobContext job, SynthesisConfig cfg, SynthSuite.Table suiteTable) {
    String name = suiteTable.table();
    String target = suiteTable.target();
    String table = "silver/" + name;
    SyntheticEvaluator evaluator = null;
    Dataset<Row> holdout = null;
    if (!noEvaluate && target != null) {
      // The synthesizer learns from the training split only; the holdout stays unseen.
      evaluator =
          new SyntheticEvaluator(SyntheticOptions.defaults().withSeed(cfg.seed()).withBaseline());
      Dataset<Row> real = spark.read().format("delta").load(job.catalog.path(table));
      SyntheticEvaluator.Split split = evaluator.split(real, 0.2);
      String train = table + "_train";
      split.train().write().format("delta").mode("overwrite").save(job.catalog.path(train));
      split
          .holdout()
          .write()
          .format("delta")
          .mode("overwrite")
          .save(job.catalog.path(table + "_holdout"));
      holdout = spark.read().format("delta").load(job.catalog.path(table + "_holdout"));
      table = train;
    }
    if (target != null) {
      // The suite table's label is what a user would name with --target: the label-aware
      // defaults (conditioning, auxiliary classifier, label shares, TSTR in auto) apply.
      cfg = cfg.withTarget(target);
    }
    SparkSynthesis s =
        new SparkSynthesis(spark, job.catalog, cfg, System.err, new EvaluatorScorer(cfg.seed()));
    SparkSynthesis.Trained t = s.train(table, true);
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("bench", "synth");
    fig.put("dataset", name);
    if (!t.candidates().isEmpty()) {
      // auto: what each candidate scored on auto's own held-out rows (part of the training split).
      List<Map<String, Object>> cands = new ArrayList<>();
      for (var c : t.candidates()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", c.kind());
        m.put("detection_auc", round(c.scores().detectionAuc()));
        m.put("quality", round(c.scores().quality()));
        m.put("tstr_ratio", round(c.scores().tstrRatio()));
        m.put("tstr_auc_ratio", round(c.scores().tstrAucRatio()));
        cands.add(m);
      }
      fig.put("auto_candidates", cands);
      fig.put("auto_chose", t.loaded().info().kind());
    }
    if (target != null) {
      fig.put("target", target);
      fig.put("domain", suiteTable.domain());
    }
    fig.put("synthesizer", cfg.synthesizer());
    fig.put("rows", t.rows());
    fig.put("epochs", t.epochsRun());
    fig.put("train_s", round(t.trainSeconds()));
    fig.put(
        "cpu_ms_per_row_epoch",
        t.epochsRun() > 0 ? round(t.processCpuNanos() / 1e6 / t.rows() / t.epochsRun()) : null);
    Run run =
        sampled(
            job,
            s,
            cfg,
            cfg.synthesizer(),
            t,
            t.loaded(),
            t.dir(),
            table,
            holdout,
            evaluator,
            suiteTable,
            fig);
    if (evaluator != null && !t.candidates().isEmpty()) {
      // Every candidate auto trained, judged like auto's pick on the bench's unseen split: the
      // single synthesizers' figures beside auto's, from the same training run.
      for (var c : t.candidates()) {
        String dir = s.modelDir(table, c.kind());
        String judgedAs = cfg.synthesizer() + ":" + c.kind();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "synth");
        line.put("dataset", name);
        line.put("target", target);
        line.put("domain", suiteTable.domain());
        line.put("synthesizer", c.kind());
        line.put("candidate_of", cfg.synthesizer());
        line.put("rows", t.rows());
        if (dir.equals(t.dir()) && !run.results().isEmpty()) {
          // auto's pick: the same model, seed and split as the line above, so the same figures.
          fig.forEach((k, v) -> line.putIfAbsent(k, v));
          line.remove("auto_candidates");
          line.remove("auto_chose");
          run = run.plus(new Run(List.of(line), List.of(run.results().get(0).as(judgedAs))));
          continue;
        }
        Run cr =
            sampled(
                job,
                s,
                cfg,
                judgedAs,
                t,
                s.load(dir),
                dir,
                table,
                holdout,
                evaluator,
                suiteTable,
                line);
        run = run.plus(cr);
      }
    }
    return run;
  }

  /**
   * Samples as many rows as the model trained on, adds sampling speed, categorical TVD and (with an
   * {@code evaluator}) the evaluation's figures and issue 18's goals to {@code fig}, judged under
   * the name {@code judgedAs}.
   */
  private Run sampled(
      JobContext job,
      SparkSynthesis s,
      SynthesisConfig cfg,
      String judgedAs,
      SparkSynthesis.Trained t,
      ModelFiles.Loaded model,
      String dir,
      String table,
      Dataset<Row> holdout,
      SyntheticEvaluator evaluator,
      SynthSuite.Table suiteTable,
      Map<String, Object> fig) {
    String name = suiteTable.table();
    String target = suiteTable.target();
    long t0 = System.nanoTime();
    Dataset<Row> synth = s.sample(model, dir, t.rows(), cfg.seed(), null).cache();
    long n = synth.count();
    double sampleS = (System.nanoTime() - t0) / 1e9;
    fig.put("sample_rows_per_s", round(n / sampleS));
    fig.put("categorical_tvd", round(categoricalTvd(s, table, synth, model)));
    SuiteResult result = null;
    if (evaluator != null) {
      Dataset<Row> train = job.spark().read().format("delta").load(job.catalog.path(table));
      SyntheticReport r = evaluated(evaluator, train, holdout, synth, n, name, target, cfg.seed());
      if (BenchCommand.keepWork()) {
        keep(job, name + "_" + judgedAs.replace(':', '_') + "_synthetic", synth, r);
      }
      fig.put("quality_score", round(r.qualityScore()));
      fig.put("column_shapes", round(r.columnShapes()));
      fig.put("column_pair_trends", round(r.columnPairTrends()));
      fig.put("tstr_ratio", round(r.tstrRatio()));
      fig.put("tstr_auc", round(r.tstrAuc()));
      fig.put("trtr_auc", round(r.trtrAuc()));
      fig.put("tstr_auc_ratio", round(r.tstrAucRatio()));
      fig.put("detection_auc", round(r.detectionAuc()));
      fig.put("detection_top_columns", r.topDetectionColumns(3));
      fig.put(
          "baseline_detection_auc",
          r.baseline() == null ? null : round(r.baseline().detectionAuc()));
      fig.put(
          "baseline_quality_score",
          r.baseline() == null ? null : round(r.baseline().qualityScore()));
      fig.put("dcr_ratio", round(r.dcrRatio()));
      fig.put("exact_copy_rate", round(r.exactCopyRate()));
      LabelShare share = LabelShare.of(classCounts(train, target), classCounts(synth, target));
      fig.put("label_class", share.rarestClass());
      fig.put("label_share_real", round(share.real()));
      fig.put("label_share_synthetic", round(share.synthetic()));
      fig.put("label_share_diff", round(share.maxDiff()));
      result =
          new SuiteResult(
              suiteTable.name(),
              judgedAs,
              r.qualityScore(),
              r.detectionAuc(),
              r.baseline() == null ? Double.NaN : r.baseline().detectionAuc(),
              r.tstrRatio(),
              r.tstrAucRatio(),
              r.exactCopyRate(),
              share);
      result.goals().forEach((goal, met) -> fig.put("goal_" + goal, met));
      fig.put("goals_met", result.meetsAllGoals());
    }
    fig.put("model", model.info().id());
    fig.put("load_avg", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    synth.unpersist();
    return new Run(List.of(fig), result == null ? List.of() : List.of(result));
  }

  /**
   * The independent-marginals baseline's figures per table and synthetic row count: the baseline
   * depends on neither the synthesizer nor its rows, so each is measured once per bench run.
   */
  private final Map<String, SyntheticReport.Baseline> baselines = new HashMap<>();

  private SyntheticReport evaluated(
      SyntheticEvaluator withBaseline,
      Dataset<Row> train,
      Dataset<Row> holdout,
      Dataset<Row> synth,
      long rows,
      String table,
      String target,
      long seed) {
    String key = table + "/" + rows;
    SyntheticReport.Baseline b = baselines.get(key);
    if (b == null) {
      SyntheticReport r = withBaseline.evaluate(train, holdout, synth, target);
      baselines.put(key, r.baseline());
      return r;
    }
    return new SyntheticEvaluator(SyntheticOptions.defaults().withSeed(seed))
        .evaluate(train, holdout, synth, target)
        .withBaseline(b);
  }

  /** Rows per value of {@code column}, as strings; rows without a value are left out. */
  private static Map<String, Long> classCounts(Dataset<Row> rows, String column) {
    Map<String, Long> m = new HashMap<>();
    for (Row r :
        rows.select(org.synthweave.core.spark.Columns.col(column).cast("string").as("v"))
            .where("v IS NOT NULL")
            .groupBy("v")
            .count()
            .collectAsList()) {
      m.put(r.getString(0), r.getLong(1));
    }
    return m;
  }

  /**
   * With a kept work folder, the sampled rows as {@code gold/<table>} and the report's {@code
   * index.html} and {@code report.json} in its {@code _report} folder, for a closer look (e.g.
   * {@code evaluate-synthetic --holdout silver/<dataset>_holdout}).
   */
  private static void keep(JobContext job, String table, Dataset<Row> synth, SyntheticReport r) {
    String path = job.catalog.path("gold/" + table);
    synth.write().format("delta").mode("overwrite").save(path);
    r.writeHtml(Path.of(path, "_report", "index.html"));
    try {
      Files.writeString(Path.of(path, "_report", "report.json"), r.toJson() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.err.println("bench synth: kept gold/" + table + " and its report in " + path);
  }

  private static double categoricalTvd(
      SparkSynthesis s, String table, Dataset<Row> synth, ModelFiles.Loaded model) {
    Dataset<Row> real = s.prepare(table).rows();
    double sum = 0;
    int cols = 0;
    for (ColumnSpec c : model.model().columns()) {
      if (c.kind() != ColumnSpec.Kind.CATEGORICAL) {
        continue;
      }
      Map<String, Double> a = freq(real, c.name());
      Map<String, Double> b = freq(synth, c.name());
      Map<String, Double> all = new HashMap<>(a);
      b.forEach(all::putIfAbsent);
      double d = 0;
      for (String k : all.keySet()) {
        d += Math.abs(a.getOrDefault(k, 0.0) - b.getOrDefault(k, 0.0));
      }
      sum += d / 2;
      cols++;
    }
    return cols == 0 ? 0 : sum / cols;
  }

  private static Map<String, Double> freq(Dataset<Row> rows, String column) {
    Map<String, Double> m = new HashMap<>();
    List<Row> counts =
        rows.select(org.synthweave.core.spark.Columns.col(column).cast("string").as("v"))
            .groupBy("v")
            .count()
            .collectAsList();
    long total = counts.stream().mapToLong(r -> r.getLong(1)).sum();
    for (Row r : counts) {
      m.put(String.valueOf(r.get(0)), (double) r.getLong(1) / total);
    }
    return m;
  }

  private void scaling(
      SparkSession spark, JobContext job, SynthesisConfig base, String name, PrintWriter out) {
    String table = "silver/" + name;
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("bench", "synth-scaling");
    fig.put("dataset", name);
    fig.put("cores", spark.sparkContext().defaultParallelism());
    fig.put("epochs", base.ctgan().epochs());
    double[] perEpoch = new double[3];
    for (int copies = 1; copies <= 2; copies++) {
      SynthesisConfig cfg =
          SynthesisConfig.from(
              job.settings
                  .with(SynthesisConfig.SYNTHESIZER.name(), "ctgan")
                  .with(SynthesisConfig.TRAIN_PARTITIONS.name(), copies)
                  .with(SynthesisConfig.LOCAL_MAX_ROWS.name(), 0L));
      SparkSynthesis s = new SparkSynthesis(spark, job.catalog, cfg, System.err);
      double load0 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      SparkSynthesis.Trained t = s.train(table, true);
      perEpoch[copies] = t.trainSeconds() / t.epochsRun();
      fig.put("epoch_s_" + copies, round(perEpoch[copies]));
      fig.put(
          "cpu_ms_per_row_epoch_" + copies,
          round(t.processCpuNanos() / 1e6 / t.rows() / t.epochsRun()));
      Dataset<Row> synth = s.sample(t.loaded(), t.dir(), t.rows(), cfg.seed(), null).cache();
      fig.put("categorical_tvd_" + copies, round(categoricalTvd(s, table, synth, t.loaded())));
      synth.unpersist();
      fig.put(
          "load_avg_" + copies,
          round(
              Math.max(
                  load0, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())));
    }
    fig.put("speedup", round(perEpoch[1] / perEpoch[2]));
    out.println(json(fig));
    out.flush();
  }

  private static Double round(double v) {
    if (Double.isNaN(v)) {
      return null; // e.g. TSTR of a class the holdout lacks: printed as null, not as 0
    }
    return Math.round(v * 1000) / 1000.0;
  }

  /** One JSON line; nested maps and lists become objects and arrays, strings are escaped. */
  static String json(Map<String, Object> m) {
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write bench figures as JSON: " + m, e);
    }
  }
}
