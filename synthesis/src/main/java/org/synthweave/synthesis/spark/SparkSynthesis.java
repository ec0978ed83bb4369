package org.synthweave.synthesis.spark;

import io.delta.tables.DeltaTable;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
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
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.spark.DeltaWrites;
import org.synthweave.synthesis.Condition;
import org.synthweave.synthesis.SynthesisConfig;
import org.synthweave.synthesis.SynthesisErrors;
import org.synthweave.synthesis.SynthesisModel;
import org.synthweave.synthesis.copula.GaussianCopula;
import org.synthweave.synthesis.ctgan.Checkpoint;
import org.synthweave.synthesis.ctgan.CtganModel;
import org.synthweave.synthesis.ctgan.CtganNetwork;
import org.synthweave.synthesis.ctgan.CtganTrainer;
import org.synthweave.synthesis.ctgan.EpochRunner;
import org.synthweave.synthesis.ctgan.ParamState;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.EncodedTable;
import org.synthweave.synthesis.data.Seeds;
import org.synthweave.synthesis.model.ModelFiles;
import org.synthweave.synthesis.tvae.TvaeModel;
import org.synthweave.synthesis.tvae.TvaeTrainer;

/**
 * The synthesis stage on Spark: trains (or reuses) a model of a silver table, saves it as a
 * versioned model folder under {@code <warehouse>/models/synthesis/<dataset>/<kind>}, samples rows
 * in parallel (deterministic per seed) and merges them into {@code gold/<dataset>_synthetic} with
 * provenance columns {@code id}, {@code origin} = synthetic, {@code generator} = model id and
 * {@code seed}.
 */
public final class SparkSynthesis {
  public static final String STAGE = "synthesize";
  private static final Map<String, SynthesisModel> MODELS = new ConcurrentHashMap<>();

  private final SparkSession spark;
  private final TableCatalog catalog;
  private final SynthesisConfig cfg;
  private final PrintStream out;
  private final ModelStore store;

  public SparkSynthesis(
      SparkSession spark, TableCatalog catalog, SynthesisConfig cfg, PrintStream out) {
    this.spark = spark;
    this.catalog = catalog;
    this.cfg = cfg;
    this.out = out;
    this.store = new ModelStore(spark.sparkContext().hadoopConfiguration());
  }

  /** {@code silver/telco_churn} → {@code telco_churn}. */
  public static String dataset(String table) {
    int slash = table.lastIndexOf('/');
    return slash < 0 ? table : table.substring(slash + 1);
  }

  public String modelDir(String table, String kind) {
    return catalog.root() + "/models/synthesis/" + dataset(table) + "/" + kind;
  }

  /** A model ready to sample, where it lives, and what training it took. */
  public record Trained(
      ModelFiles.Loaded loaded,
      String dir,
      boolean reused,
      long rows,
      int epochsRun,
      double trainSeconds,
      long processCpuNanos) {}

  /** The modelled columns of {@code table} and the table reduced to them. */
  public SparkTableSpecs.Prepared prepare(String table) {
    String path = catalog.path(table);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      throw SynthesisErrors.noSourceTable(table, path);
    }
    return SparkTableSpecs.prepare(spark.read().format("delta").load(path), table, cfg, out);
  }

  /**
   * The model of {@code table} for the configured synthesizer: the saved one when it exists and
   * {@code retrain} is off (its schema checked against the table), otherwise a new training, which
   * resumes from the checkpoint of an interrupted one.
   */
  public Trained train(String table, boolean retrain) {
    SparkTableSpecs.Prepared p = prepare(table);
    String dir = modelDir(table, cfg.synthesizer());
    if (!retrain && store.exists(dir)) {
      ModelFiles.Loaded loaded = load(dir);
      ModelFiles.checkSchema(loaded.model(), loaded.info().id(), table, p.specs());
      out.printf("synthesis: %s: using the saved model %s (%s)%n", table, loaded.info().id(), dir);
      return new Trained(loaded, dir, true, 0, 0, 0, 0);
    }
    Dataset<Row> rows = p.rows().cache();
    try {
      long n = rows.count();
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      SynthesisModel model;
      int epochs = 0;
      if (cfg.synthesizer().equals("copula")) {
        model = SparkCopulaFit.fit(rows, p.specs(), cfg.seed());
      } else if (cfg.synthesizer().equals("tvae")) {
        model = trainTvae(table, rows, p.specs(), n, dir);
        epochs = cfg.tvae().epochs();
      } else {
        if (n < cfg.ctgan().pac()) {
          throw SynthesisErrors.tooFewRows(table, n, cfg.ctgan().pac());
        }
        model = trainCtgan(table, rows, p.specs(), n, dir);
        epochs = cfg.ctgan().epochs();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long cpu = processCpuNanos() - cpu0;
      Map<String, byte[]> files = ModelFiles.encode(model, dataset(table), cfg.seed(), epochs);
      store.write(dir, files);
      store.delete(dir + "/checkpoint");
      ModelFiles.Loaded loaded = ModelFiles.decode(files, dir, cfg.torchThreads());
      out.printf(
          Locale.ROOT,
          "synthesis: %s: trained %s on %d rows in %.1f s, saved to %s%n",
          table,
          loaded.info().id(),
          n,
          seconds,
          dir);
      return new Trained(loaded, dir, false, n, epochs, seconds, cpu);
    } finally {
      rows.unpersist();
    }
  }

  private SynthesisModel trainCtgan(
      String table, Dataset<Row> rows, List<ColumnSpec> specs, long n, String dir) {
    DataTransformer t =
        SparkModeNormalizer.fit(
            rows,
            specs,
            cfg.ctgan().maxModes(),
            cfg.ctgan().modeWeightThreshold(),
            cfg.ctgan().pointMassShare());
    try {
      CtganNetwork.classifierColumn(t, cfg.ctgan());
    } catch (IllegalArgumentException e) {
      throw SynthesisErrors.badOption(
          SynthesisConfig.CLASSIFIER_TARGET.name(),
          cfg.ctgan().classifierTarget(),
          "in " + table + " " + e.getMessage());
    }
    int partitions = cfg.trainPartitions();
    String fingerprint =
        ContentIds.sha256Hex(
            String.join(
                "|",
                t.columns().toString(),
                cfg.ctgan().toString(),
                Long.toString(cfg.seed()),
                Integer.toString(partitions),
                Integer.toString(cfg.roundsPerEpoch()),
                Long.toString(n),
                java.util.Arrays.toString(
                    t.columns().stream()
                        .map(c -> c.continuous() == null ? null : c.continuous().means())
                        .map(m -> m == null ? "" : java.util.Arrays.toString(m))
                        .toArray())));
    Checkpoint checkpoint = store.checkpoint(dir + "/checkpoint", fingerprint);
    String name = dataset(table) + "/ctgan";
    out.printf(
        "synthesis: %s: CTGAN on %d rows, %d encoded features, %d condition values, %s%n",
        table,
        n,
        t.dim(),
        t.condDim(),
        partitions == 1 && n <= cfg.localMaxRows()
            ? "trained on the driver"
            : partitions + " data-parallel copies");
    ParamState state;
    if (partitions == 1 && n <= cfg.localMaxRows()) {
      List<Object[]> local = new ArrayList<>();
      for (Row r : rows.collectAsList()) {
        local.add(SparkTableSpecs.values(r, specs));
      }
      EncodedTable data =
          EncodedTable.encode(t, local, new SplittableRandom(Seeds.mix(cfg.seed(), 0x656e63L, 0)));
      EpochRunner runner =
          CtganTrainer.localRunner(t, cfg.ctgan(), data, cfg.seed(), cfg.torchThreads());
      state =
          CtganTrainer.train(
              t, cfg.ctgan(), cfg.seed(), runner, checkpoint, cfg.checkpointEvery(), name, out);
    } else {
      try (SparkCtganTraining runner =
          new SparkCtganTraining(
              rows,
              specs,
              t,
              cfg.ctgan(),
              cfg.seed(),
              partitions,
              cfg.roundsPerEpoch(),
              cfg.torchThreads())) {
        state =
            CtganTrainer.train(
                t, cfg.ctgan(), cfg.seed(), runner, checkpoint, cfg.checkpointEvery(), name, out);
      }
    }
    return new CtganModel(t, cfg.ctgan(), state, cfg.torchThreads());
  }

  /**
   * TVAE on the driver: the transformer fitted on Spark (CTGAN's mode settings), the rows collected
   * and encoded once, SDV's epochs with progress lines and a checkpoint.
   */
  private SynthesisModel trainTvae(
      String table, Dataset<Row> rows, List<ColumnSpec> specs, long n, String dir) {
    if (n > cfg.localMaxRows()) {
      throw SynthesisErrors.tooManyRowsForTvae(table, n, cfg.localMaxRows());
    }
    DataTransformer t =
        SparkModeNormalizer.fit(
            rows,
            specs,
            cfg.ctgan().maxModes(),
            cfg.ctgan().modeWeightThreshold(),
            cfg.ctgan().pointMassShare());
    List<Object[]> local = new ArrayList<>();
    for (Row r : rows.collectAsList()) {
      local.add(SparkTableSpecs.values(r, specs));
    }
    EncodedTable data =
        EncodedTable.encode(t, local, new SplittableRandom(Seeds.mix(cfg.seed(), 0x656e63L, 0)));
    String fingerprint =
        ContentIds.sha256Hex(
            String.join(
                "|",
                "tvae",
                t.columns().toString(),
                java.util.Arrays.toString(
                    t.columns().stream()
                        .map(
                            c ->
                                c.continuous() == null
                                    ? ""
                                    : java.util.Arrays.toString(c.continuous().means()))
                        .toArray()),
                cfg.tvae().toString(),
                Long.toString(cfg.seed()),
                Long.toString(n)));
    out.printf(
        "synthesis: %s: TVAE on %d rows, %d encoded features, trained on the driver%n",
        table, n, t.dim());
    ParamState state =
        new TvaeTrainer(t, cfg.tvae(), data, cfg.torchThreads())
            .train(
                cfg.seed(),
                store.checkpoint(dir + "/checkpoint", fingerprint),
                cfg.checkpointEvery(),
                dataset(table) + "/tvae",
                out);
    return new TvaeModel(t, cfg.tvae(), state, cfg.torchThreads());
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
                    List<Object[]> drawn = m.sample((int) count, Seeds.mix(seed, p), condition);
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

  /** Merges sampled rows into gold/&lt;dataset&gt;_synthetic by id; returns rows inserted. */
  public long write(Dataset<Row> sampled, String dataset, String source, RunSummary summary) {
    String gold = TableCatalog.gold(dataset + "_synthetic");
    Dataset<Row> rows = sampled.cache();
    try {
      long n = rows.count();
      long inserted =
          DeltaWrites.insertNew(spark, rows, catalog.path(gold), List.of("id"), List.of());
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
    long rows =
        cfg.rows() > 0
            ? cfg.rows()
            : spark.read().format("delta").load(catalog.path(table)).count();
    return write(
        sample(t.loaded(), t.dir(), rows, cfg.seed(), null), dataset(table), table, summary);
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
