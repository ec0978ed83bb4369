package org.synthweave.synthesis.spark;

import io.delta.tables.DeltaTable;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.synthweave.core.ContentIds;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.run.CommitLineage;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.spark.DeltaReads;
import org.synthweave.core.spark.DeltaWrites;
import org.synthweave.synthesis.Condition;
import org.synthweave.synthesis.ConditionTooRareException;
import org.synthweave.synthesis.SynthesisConfig;
import org.synthweave.synthesis.SynthesisErrors;
import org.synthweave.synthesis.SynthesisModel;
import org.synthweave.synthesis.copula.GaussianCopula;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.Seeds;
import org.synthweave.synthesis.model.ModelFiles;
import org.synthweave.synthesis.train.AutoChoice;
import org.synthweave.synthesis.train.TrainingSchedule;

/**
 * The synthesis stage on Spark: trains (or reuses) a model of a silver table, saves it as a
 * versioned model folder under {@code <warehouse>/models/synthesis/<dataset>/<kind>}, samples rows
 * in parallel (deterministic per seed) and merges them into {@code gold/<dataset>_synthetic} with
 * provenance columns {@code id}, {@code origin} = synthetic, {@code generator} = model id and
 * {@code seed}.
 *
 * <p>An instance reads each source table at one Delta version, resolved at its first read, and
 * records the version a model learned from in the model folder ({@value #SOURCE_JSON}) and in the
 * commit that adds its samples ({@link CommitLineage}).
 */
public final class SparkSynthesis {
  public static final String STAGE = "synthesize";
  private static final Map<String, SynthesisModel> MODELS = new ConcurrentHashMap<>();

  private final SparkSession spark;
  private final TableCatalog catalog;
  private final SynthesisConfig cfg;
  private final PrintStream out;
  private final ModelStore store;
  private final CandidateScorer scorer;
  private final Map<String, DeltaReads.Pinned> pinned = new ConcurrentHashMap<>();

  public SparkSynthesis(
      SparkSession spark, TableCatalog catalog, SynthesisConfig cfg, PrintStream out) {
    this(spark, catalog, cfg, out, null);
  }

  /**
   * With the scorer {@code synth.synthesizer = auto} judges candidates by when the table has a
   * target (null, or no target: {@link CandidateScorer#fidelity}).
   */
  public SparkSynthesis(
      SparkSession spark,
      TableCatalog catalog,
      SynthesisConfig cfg,
      PrintStream out,
      CandidateScorer scorer) {
    this.spark = spark;
    this.catalog = catalog;
    this.cfg = cfg;
    this.out = out;
    this.store = new ModelStore(spark.sparkContext().hadoopConfiguration());
    this.scorer = scorer;
  }

  /** {@code silver/telco_churn} → {@code telco_churn}. */
  public static String dataset(String table) {
    int slash = table.lastIndexOf('/');
    return slash < 0 ? table : table.substring(slash + 1);
  }

  public String modelDir(String table, String kind) {
    return catalog.root() + "/models/synthesis/" + dataset(table) + "/" + kind;
  }

  /**
   * A model ready to sample, where it lives, and what training it took; {@code candidates} holds
   * every candidate's scores when {@code synth.synthesizer} is auto (empty otherwise); {@code
   * trainedOn} the table version it learned from (null for a reused model whose folder does not
   * record it).
   */
  public record Trained(
      ModelFiles.Loaded loaded,
      String dir,
      boolean reused,
      long rows,
      int epochsRun,
      double trainSeconds,
      long processCpuNanos,
      List<AutoChoice.Candidate> candidates,
      CommitLineage.Source trainedOn) {
    public Trained {
      candidates = List.copyOf(candidates);
    }
  }

  /** The modelled columns of {@code table} and the table reduced to them. */
  public SparkTableSpecs.Prepared prepare(String table) {
    return SparkTableSpecs.prepare(source(table), table, cfg, out);
  }

  private Dataset<Row> source(String table) {
    return pinned(table).rows();
  }

  private DeltaReads.Pinned pinned(String table) {
    return pinned.computeIfAbsent(
        table,
        t -> {
          String path = catalog.path(t);
          if (!DeltaTable.isDeltaTable(spark, path)) {
            throw SynthesisErrors.noSourceTable(t, path);
          }
          return DeltaReads.latest(spark, path);
        });
  }

  /** The Delta version of {@code table} this instance reads: the latest at its first read. */
  public long sourceVersion(String table) {
    return pinned(table).version();
  }

  /** How many rows {@code table} holds at {@link #sourceVersion}. */
  public long sourceRows(String table) {
    return source(table).count();
  }

  /**
   * The model of {@code table} for the configured synthesizer: the saved one when it exists and
   * {@code retrain} is off (its schema checked against the table), otherwise a new training, which
   * resumes from the checkpoint of an interrupted one. For {@code auto}, see {@link #trainAuto}.
   */
  public Trained train(String table, boolean retrain) {
    if (cfg.synthesizer().equals("auto")) {
      return trainAuto(table, retrain);
    }
    SparkTableSpecs.Prepared p = prepare(table);
    String dir = modelDir(table, cfg.synthesizer());
    if (!retrain && store.exists(dir)) {
      return reuse(table, dir, p.specs(), List.of());
    }
    Dataset<Row> rows = p.rows().cache();
    try {
      return fit(cfg.synthesizer(), table, sourceVersion(table), rows, p.specs(), dir);
    } finally {
      rows.unpersist();
    }
  }

  private Trained reuse(
      String table, String dir, List<ColumnSpec> specs, List<AutoChoice.Candidate> candidates) {
    ModelFiles.Loaded loaded = load(dir);
    ModelFiles.checkSchema(loaded.model(), loaded.info().id(), table, specs);
    out.printf("synthesis: %s: using the saved model %s (%s)%n", table, loaded.info().id(), dir);
    return new Trained(
        loaded, dir, true, 0, 0, 0, 0, candidates, trainedOn(loaded, dir).orElse(null));
  }

  /**
   * The table version the model in {@code dir} learned from, as its {@value #SOURCE_JSON} records
   * it; empty when the folder does not record it (a model from before it did) or records it for
   * another model.
   */
  public java.util.Optional<CommitLineage.Source> trainedOn(ModelFiles.Loaded loaded, String dir) {
    byte[] b = store.readIfExists(dir).get(SOURCE_JSON);
    if (b == null) {
      return java.util.Optional.empty();
    }
    try {
      com.fasterxml.jackson.databind.JsonNode n =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(b);
      if (!n.path("model").asText().equals(loaded.info().id())
          || !n.path("version").canConvertToLong()) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(
          new CommitLineage.Source(n.path("table").asText(), n.path("version").asLong()));
    } catch (java.io.IOException | IllegalArgumentException e) {
      out.printf("synthesis: %s/%s is unreadable (%s); not recorded%n", dir, SOURCE_JSON, e);
      return java.util.Optional.empty();
    }
  }

  /** The file of a model folder that records the table and Delta version the model learned from. */
  public static final String SOURCE_JSON = "source.json";

  /**
   * Trains a model of {@code kind} on prepared {@code rows} (of {@code table} at {@code version})
   * and saves it into {@code dir}.
   */
  private Trained fit(
      String kind,
      String table,
      long version,
      Dataset<Row> rows,
      List<ColumnSpec> specs,
      String dir) {
    long n = rows.count();
    String target = cfg.targetOf(table);
    ModelFiles.Label label = target.isEmpty() ? null : label(rows, target);
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    SynthesisModel model;
    int epochs = 0;
    NetworkFit network = null;
    if (kind.equals("copula")) {
      model = SparkCopulaFit.fit(rows, specs, cfg.seed());
    } else if (kind.equals("tvae") || kind.equals("ctgan")) {
      network =
          kind.equals("tvae")
              ? SparkTvaeFit.fit(cfg, store, table, rows, specs, n, dir, out)
              : SparkCtganFit.fit(cfg, store, table, rows, specs, n, target, dir, out);
      model = network.model();
      epochs = network.epochsRun();
    } else {
      throw SynthesisErrors.unknownSynthesizer(kind);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long cpu = processCpuNanos() - cpu0;
    Map<String, byte[]> files = ModelFiles.encode(model, dataset(table), cfg.seed(), epochs, label);
    if (network != null && network.outcome() != null) {
      files.put(TRAINING_JSON, trainingJson(network));
    }
    ModelFiles.Loaded loaded = ModelFiles.decode(files, dir, cfg.torchThreads());
    CommitLineage.Source trainedOn = new CommitLineage.Source(table, version);
    Map<String, Object> source = new java.util.LinkedHashMap<>();
    source.put("model", loaded.info().id());
    source.put("table", table);
    source.put("version", version);
    files.put(SOURCE_JSON, json(source));
    store.write(dir, files);
    store.delete(dir + "/checkpoint");
    out.printf(
        Locale.ROOT,
        "synthesis: %s: trained %s on %d rows in %.1f s, saved to %s%n",
        table,
        loaded.info().id(),
        n,
        seconds,
        dir);
    if (target.isEmpty()) {
      out.printf(
          "synthesis: %s: no target column (--target, synth.table.%s.target): the rows keep"
              + " the table's joint distribution as learned, but whether a model trained on"
              + " them predicts a label as well as one trained on real rows (TSTR) cannot be"
              + " judged%n",
          table, dataset(table));
    }
    return new Trained(loaded, dir, false, n, epochs, seconds, cpu, List.of(), trainedOn);
  }

  /** The file of a model folder that records the training schedule's run. */
  public static final String TRAINING_JSON = "training.json";

  private byte[] trainingJson(NetworkFit r) {
    TrainingSchedule.Outcome o = r.outcome();
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("schedule", cfg.schedule());
    m.put("batch_size", r.batchSize());
    m.put("validation_rows", r.validationRows());
    m.put("steps_run", o.stepsRun());
    m.put("best_steps", o.bestSteps());
    m.put("best_validation_score", o.bestScore());
    m.put("stop_reason", o.stopReason());
    m.put("curve", o.curve());
    return json(m);
  }

  private static byte[] json(Object o) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .writerWithDefaultPrettyPrinter()
          .writeValueAsBytes(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The label column's values and their shares of the rows (nulls left out). */
  private static ModelFiles.Label label(Dataset<Row> rows, String target) {
    Map<String, Long> counts = new java.util.TreeMap<>();
    long total = 0;
    for (Row r :
        rows.groupBy(functions.col(SparkTableSpecs.quote(target))).count().collectAsList()) {
      if (!r.isNullAt(0)) {
        counts.put(r.getString(0), r.getLong(1));
        total += r.getLong(1);
      }
    }
    Map<String, Double> shares = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      shares.put(e.getKey(), (double) e.getValue() / Math.max(1, total));
    }
    return new ModelFiles.Label(target, shares);
  }

  /**
   * {@code synth.synthesizer = auto}: holds out {@code synth.auto.validation-share} of the real
   * rows, trains every synthesizer of {@code synth.auto.candidates} on the rest (each saved in its
   * own model folder), samples as many rows as were held out (at least 1,000) from each, scores
   * them with the {@link CandidateScorer} against the held-out rows, and keeps the best by {@link
   * AutoChoice}. Every candidate's scores and the choice go to {@code <dataset>/auto/choice.json}
   * and the output. Without {@code retrain} a saved choice whose model still exists is reused.
   */
  public Trained trainAuto(String table, boolean retrain) {
    SparkTableSpecs.Prepared p = prepare(table);
    String autoDir = modelDir(table, "auto");
    if (!retrain) {
      java.util.Optional<AutoRecord> saved = readChoice(autoDir);
      if (saved.isPresent() && store.exists(saved.get().chosenDir())) {
        return reuse(table, saved.get().chosenDir(), p.specs(), saved.get().candidates());
      }
    }
    String target = cfg.targetOf(table);
    Dataset<Row>[] parts =
        source(table)
            .randomSplit(
                new double[] {1 - cfg.autoValidationShare(), cfg.autoValidationShare()},
                Seeds.mix(cfg.seed(), 0x6175746fL));
    Dataset<Row> fitReal = parts[0].cache();
    Dataset<Row> holdout = parts[1].cache();
    Dataset<Row> fitRows = p.apply(fitReal).cache();
    // The evaluator's classifiers need a label; without one the module's own score decides.
    CandidateScorer s =
        scorer != null && !target.isEmpty() ? scorer : CandidateScorer.fidelity(p.specs());
    try {
      long holdoutRows = holdout.count();
      long fitCount = fitRows.count();
      if (holdoutRows == 0) {
        throw SynthesisErrors.tooFewRows(table, fitCount, 2);
      }
      out.printf(
          "synthesis: %s: auto: training %s on %d rows, scoring each on %d held-out rows by %s%n",
          table, String.join(", ", cfg.autoCandidates()), fitCount, holdoutRows, s.method());
      List<AutoChoice.Candidate> candidates = new ArrayList<>();
      List<Trained> trained = new ArrayList<>();
      double seconds = 0;
      long cpu = 0;
      long autoStart = System.nanoTime();
      List<String> kinds = cfg.autoCandidates();
      for (int i = 0; i < kinds.size(); i++) {
        String kind = kinds.get(i);
        SparkSynthesis fitter = this;
        long networksLeft =
            kinds.subList(i, kinds.size()).stream().filter(NETWORKS::contains).count();
        if (cfg.autoTimeBudgetSeconds() > 0 && NETWORKS.contains(kind)) {
          double left = cfg.autoTimeBudgetSeconds() - (System.nanoTime() - autoStart) / 1e9;
          // A spent budget still lets a network run one round (the schedule checks it after each).
          double share = Math.max(1e-3, left / networksLeft);
          SynthesisConfig c = cfg.withTimeBudgetAtMost(share);
          out.printf(
              Locale.ROOT,
              "synthesis: %s: auto: %s trains for at most %.0f s (%.0f s of synth.auto.time-budget-s"
                  + " left for %d network%s)%n",
              table,
              kind,
              c.schedule().timeBudgetSeconds(),
              Math.max(0, left),
              networksLeft,
              networksLeft == 1 ? "" : "s");
          fitter = new SparkSynthesis(spark, catalog, c, out, scorer);
        }
        Trained t =
            fitter.fit(
                kind, table, sourceVersion(table), fitRows, p.specs(), modelDir(table, kind));
        seconds += t.trainSeconds();
        cpu += t.processCpuNanos();
        Dataset<Row> synthetic =
            sample(t.loaded(), t.dir(), Math.max(1_000, holdoutRows), cfg.seed(), null).cache();
        try {
          AutoChoice.Scores sc;
          try {
            sc = s.score(fitReal, holdout, synthetic, target);
          } catch (Exception e) { // Spark's own SparkException is checked, but Scala throws it
            if (!ConditionTooRareException.in(e) || (i == kinds.size() - 1 && trained.isEmpty())) {
              throw e;
            }
            // It cannot hold the label shares: a fact about this model, not a reason to stop.
            out.printf(
                "synthesis: %s: auto: %s left out: it cannot keep the label shares (%s)%n",
                table, kind, rootMessage(e));
            continue;
          }
          candidates.add(new AutoChoice.Candidate(kind, t.loaded().info().id(), sc));
          out.printf(
              Locale.ROOT,
              "synthesis: %s: auto: %-6s detection AUC %.3f  quality %.3f  TSTR ratio %.3f"
                  + "  TSTR AUC ratio %.3f%n",
              table,
              kind,
              sc.detectionAuc(),
              sc.quality(),
              sc.tstrRatio(),
              sc.tstrAucRatio());
        } finally {
          synthetic.unpersist();
        }
        trained.add(t);
      }
      AutoChoice.Choice choice = AutoChoice.choose(candidates, !target.isEmpty());
      Trained chosen = trained.get(choice.index());
      AutoRecord record =
          new AutoRecord(
              candidates.get(choice.index()).kind(),
              chosen.dir(),
              choice.reason(),
              s.method(),
              target,
              holdoutRows,
              candidates);
      store.write(autoDir, Map.of(CHOICE_JSON, json(record)));
      out.printf(
          "synthesis: %s: auto chose %s (%s): %s; scores in %s/%s%n",
          table,
          record.chosen(),
          chosen.loaded().info().id(),
          choice.reason(),
          autoDir,
          CHOICE_JSON);
      return new Trained(
          chosen.loaded(),
          chosen.dir(),
          false,
          chosen.rows(),
          chosen.epochsRun(),
          seconds,
          cpu,
          candidates,
          chosen.trainedOn());
    } finally {
      fitRows.unpersist();
      fitReal.unpersist();
      holdout.unpersist();
    }
  }

  /** The message of the deepest cause: the task's own, not Spark's wrapping of it. */
  private static String rootMessage(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage();
  }

  /** The candidates that train a network by steps, on auto's time budget. */
  private static final java.util.Set<String> NETWORKS = java.util.Set.of("ctgan", "tvae");

  /** The file of {@code <dataset>/auto} that records auto's choice. */
  public static final String CHOICE_JSON = "choice.json";

  /** What auto chose, why, and every candidate's scores. */
  public record AutoRecord(
      String chosen,
      String chosenDir,
      String reason,
      String method,
      String target,
      long holdoutRows,
      List<AutoChoice.Candidate> candidates) {}

  private java.util.Optional<AutoRecord> readChoice(String autoDir) {
    Map<String, byte[]> files = store.readIfExists(autoDir);
    byte[] b = files.get(CHOICE_JSON);
    if (b == null) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(
          new com.fasterxml.jackson.databind.ObjectMapper().readValue(b, AutoRecord.class));
    } catch (java.io.IOException e) {
      out.printf("synthesis: %s/%s is unreadable (%s); training anew%n", autoDir, CHOICE_JSON, e);
      return java.util.Optional.empty();
    }
  }

  public ModelFiles.Loaded load(String dir) {
    return ModelFiles.decode(store.read(dir), dir, cfg.torchThreads());
  }

  /**
   * {@code rows} rows from the model, drawn by {@code synth.sample.partitions} tasks, task {@code
   * p} with seed {@code mix(seed, p)}: the same model, seed and row count give the same rows on any
   * cluster.
   */
  public Dataset<Row> sample(
      ModelFiles.Loaded loaded, String dir, long rows, long seed, Condition condition) {
    // Check the condition on the driver, where a bad one is a clear error rather than a task
    // failure.
    loaded.model().sample(0, seed, condition);
    List<ColumnSpec> specs = loaded.model().columns();
    Map<String, byte[]> files = store.read(dir);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<Map<String, byte[]>> bc = jsc.broadcast(files);
    int parts = cfg.samplePartitions();
    String modelId = loaded.info().id();
    int threads = cfg.torchThreads();
    ModelFiles.Label label = condition == null ? loaded.info().label() : null;
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      ids.add(i);
    }
    JavaRDD<Row> out =
        jsc.parallelize(ids, parts)
            .mapPartitions(
                (Iterator<Integer> it) -> {
                  List<Row> res = new ArrayList<>();
                  while (it.hasNext()) {
                    int p = it.next();
                    long count = rows / parts + (p < rows % parts ? 1 : 0);
                    SynthesisModel m =
                        MODELS.computeIfAbsent(
                            modelId, k -> ModelFiles.decode(bc.value(), dir, threads).model());
                    List<Object[]> drawn =
                        label == null
                            ? m.sample((int) count, Seeds.mix(seed, p), condition)
                            : atLabelShares(m, label, (int) count, Seeds.mix(seed, p));
                    for (int i = 0; i < drawn.size(); i++) {
                      Object[] v = drawn.get(i);
                      Object[] r = new Object[v.length + 4];
                      System.arraycopy(v, 0, r, 0, v.length);
                      r[v.length] = ContentIds.sha256Hex(modelId + "/" + seed + "/" + p + "/" + i);
                      r[v.length + 1] = "synthetic";
                      r[v.length + 2] = modelId;
                      r[v.length + 3] = seed;
                      res.add(RowFactory.create(r));
                    }
                  }
                  return res.iterator();
                });
    StructType schema = new StructType();
    for (ColumnSpec s : specs) {
      schema =
          schema.add(
              s.name(),
              s.kind() == ColumnSpec.Kind.CONTINUOUS ? DataTypes.DoubleType : DataTypes.StringType,
              true);
    }
    schema =
        schema
            .add("id", DataTypes.StringType, false)
            .add("origin", DataTypes.StringType, false)
            .add("generator", DataTypes.StringType, false)
            .add("seed", DataTypes.LongType, false);
    Dataset<Row> df = spark.createDataFrame(out, schema);
    List<Column> typed = new ArrayList<>();
    for (ColumnSpec s : specs) {
      // A relation's target was modelled as its ratio to the product of its factors.
      Column c =
          s.ratioOf().isEmpty()
              ? functions.col(SparkTableSpecs.quote(s.name()))
              : SparkTableSpecs.fromRatio(s);
      typed.add(c.cast(s.sqlType()).as(s.name()));
    }
    for (String c : List.of("id", "origin", "generator", "seed")) {
      typed.add(functions.col(c));
    }
    return df.select(typed.toArray(Column[]::new));
  }

  /**
   * {@code n} rows whose labels keep the real shares: each value's count by largest remainder of
   * {@code n × share}, drawn with that value as the condition, then shuffled (seeded) so the rows
   * are not ordered by label.
   */
  static List<Object[]> atLabelShares(SynthesisModel m, ModelFiles.Label label, int n, long seed) {
    List<String> values = new ArrayList<>(label.shares().keySet());
    int[] counts = new int[values.size()];
    double[] rest = new double[values.size()];
    int given = 0;
    for (int i = 0; i < counts.length; i++) {
      double exact = n * label.shares().get(values.get(i));
      counts[i] = (int) Math.floor(exact);
      rest[i] = exact - counts[i];
      given += counts[i];
    }
    while (given < n) {
      int best = 0;
      for (int i = 1; i < rest.length; i++) {
        if (rest[i] > rest[best]) {
          best = i;
        }
      }
      counts[best]++;
      rest[best] = -1;
      given++;
    }
    List<Object[]> out = new ArrayList<>(n);
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        out.addAll(
            m.sample(
                counts[i],
                Seeds.mix(seed, i, 0x6c6162L),
                new Condition(label.column(), values.get(i))));
      }
    }
    java.util.Collections.shuffle(out, new java.util.Random(Seeds.mix(seed, 0x73687566L)));
    return out;
  }

  /**
   * Merges sampled rows into gold/&lt;dataset&gt;_synthetic by id, recording no source version;
   * returns rows inserted.
   */
  public long write(Dataset<Row> sampled, String dataset, String source, RunSummary summary) {
    return write(sampled, dataset, source, null, summary);
  }

  /**
   * Merges sampled rows into gold/&lt;dataset&gt;_synthetic by id, recording in the commit the
   * table version the model learned from ({@code trainedOn}; null: unknown); returns rows inserted.
   */
  public long write(
      Dataset<Row> sampled,
      String dataset,
      String source,
      CommitLineage.Source trainedOn,
      RunSummary summary) {
    String gold = TableCatalog.gold(dataset + "_synthetic");
    CommitLineage lineage =
        new CommitLineage(
            STAGE,
            trainedOn == null ? List.of() : List.of(trainedOn),
            summary == null ? null : summary.runId());
    Dataset<Row> rows = sampled.cache();
    try {
      long n = rows.count();
      long inserted =
          DeltaWrites.insertNew(spark, rows, catalog.path(gold), List.of("id"), List.of(), lineage);
      if (summary != null) {
        summary.add(new SourceCounts(STAGE, source, n, inserted, 0, n - inserted, 0));
      }
      out.printf("synthesis: %d rows sampled, %d new in %s%n", n, inserted, gold);
      return inserted;
    } finally {
      rows.unpersist();
    }
  }

  /** Train (or reuse) and sample {@code table} into its synthetic gold table. */
  public long synthesize(String table, boolean retrain, RunSummary summary) {
    Trained t = train(table, retrain);
    long rows = cfg.rows() > 0 ? cfg.rows() : sourceRows(table);
    return write(
        sample(t.loaded(), t.dir(), rows, cfg.seed(), null),
        dataset(table),
        table,
        t.trainedOn(),
        summary);
  }

  static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }

  /** Which model kind a folder holds, for the command line. */
  public static boolean isCopula(SynthesisModel m) {
    return m instanceof GaussianCopula;
  }
}
