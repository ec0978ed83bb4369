package org.synthweave.augmentation.bench;

import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.synthweave.augmentation.AugmentationConfig;
import org.synthweave.augmentation.DatasetSpec;
import org.synthweave.augmentation.spark.SparkAugmentation;
import org.synthweave.core.catalog.TableCatalog;

/**
 * {@code synthweave bench augment}: one JSON line per op family (tabular on Telco churn, SMOTE with
 * the blocked and the exact neighbour search, time-series on the LWSNDR readings, GPS perturbation
 * on the vehicle tracks, text on the spam-ham mails, image on Fashion-MNIST) with {@code
 * rows_per_s_per_core} (output rows per second of process CPU time) and {@code ratio_vs_copy}
 * (against exploding the same rows into the same number of copies, no op), then one line per
 * usefulness set: accuracy and macro F1 of a logistic regression trained on real rows only vs on
 * real + augmented rows, tested on held-out real rows.
 */
public final class AugmentationBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;
  private final TableCatalog catalog;
  private final AugmentationConfig cfg;
  private final Path repo;
  private final int cores;

  public AugmentationBench(
      SparkSession spark, TableCatalog catalog, AugmentationConfig cfg, Path repo) {
    this.spark = spark;
    this.catalog = catalog;
    this.cfg = cfg;
    this.repo = repo;
    this.cores = spark.sparkContext().defaultParallelism();
  }

  /** Runs every family and usefulness set, handing each JSON line to {@code out}. */
  public void run(int copies, int images, Consumer<String> out) {
    Dataset<Row> telco = csv("data/samples/tables/telco-churn.csv").distinct().cache();
    Dataset<Row> readings =
        spark
            .read()
            .json(repo.resolve("data/samples/telemetry/readings.jsonl").toString())
            .withColumn("timestamp", col("timestamp").cast("timestamp"))
            .drop("signature")
            .cache();
    Dataset<Row> tracks =
        spark
            .read()
            .option("header", "true")
            .schema(
                "device_id STRING, timestamp TIMESTAMP, lat DOUBLE, lon DOUBLE, leg_kmh INT,"
                    + " next_station STRING")
            .csv(repo.resolve("data/samples/telemetry/gps-tracks.csv").toString())
            .cache();
    Dataset<Row> mails =
        spark
            .read()
            .option("header", "true")
            .option("sep", "\t")
            .csv(repo.resolve("data/samples/text/spam-ham.tsv").toString())
            .cache();
    Dataset<Row> fashion = fashion("train", images).cache();

    out.accept(
        family(
            "tabular",
            telco,
            spec(
                "telco",
                "label",
                "churn",
                "copies",
                copies,
                "ops",
                "noise sigma=0.05; scale range=0.05; mixup; categorical-resample p=0.2"),
            copies));
    out.accept(
        family(
            "tabular-smote",
            telco,
            spec("telco", "label", "churn", "balance", true, "ops", "smote k=5"),
            -1));
    // The same balancing with the exact neighbour search (one block holds the whole class).
    out.accept(
        family(
            "tabular-smote-exact",
            telco,
            spec("telco", "label", "churn", "balance", true, "ops", "smote k=5 block=1000000"),
            -1));
    out.accept(
        family(
            "time-series",
            readings,
            spec(
                "telemetry",
                "kind",
                "time-series",
                "series",
                "device_id",
                "time",
                "timestamp",
                "columns",
                List.of("humidity", "temperature"),
                "copies",
                copies,
                "ops",
                "jitter; magnitude-scale; magnitude-warp; time-warp; crop fraction=0.9"),
            copies));
    out.accept(
        family(
            "time-series-gps",
            tracks,
            spec(
                "tracks",
                "kind",
                "time-series",
                "series",
                "device_id",
                "time",
                "timestamp",
                "lat",
                "lat",
                "lon",
                "lon",
                "copies",
                copies,
                "ops",
                "gps-perturb radius=25 max-speed=40"),
            copies));
    out.accept(
        family(
            "text",
            mails,
            spec(
                "mails",
                "kind",
                "text",
                "column",
                "text",
                "label",
                "label",
                "id",
                "source",
                "copies",
                copies,
                "ops",
                "synonym-replace; random-insert; random-swap; random-delete; sentence-shuffle"),
            copies));
    out.accept(
        family(
            "image",
            fashion,
            spec(
                "fashion",
                "kind",
                "image",
                "column",
                "pixels",
                "width",
                28,
                "height",
                28,
                "label",
                "label",
                "copies",
                copies,
                "ops",
                "rotate; reflect; crop-image; translate; image-noise; brightness; contrast"),
            copies));
    out.accept(usefulnessTelco(telco));
    out.accept(usefulnessFashion(images));
  }

  /** Only the Fashion-MNIST usefulness figures (the slowest part), as one JSON line. */
  public void runFashionUsefulness(int images, Consumer<String> out) {
    out.accept(usefulnessFashion(images));
  }

  private String family(String name, Dataset<Row> source, DatasetSpec spec, int copies) {
    SparkAugmentation aug = new SparkAugmentation(spark, catalog, cfg, "bench");
    source.count();
    // The peer: the same rows exploded into the same copies, written to the same sink.
    SparkAugmentation.Plan plan = aug.plan(spec, source);
    // The peer: the same rows exploded into the same number of copies, written to the same sink;
    // with balance (copies < 0) the minority class's rows, as many times as it gets copies.
    Dataset<Row> copy;
    if (copies >= 0) {
      copy = source.select(col("*"), posexplode(array_repeat(lit(true), lit(copies)))).drop("col");
    } else {
      Dataset<Row> minority = source.where("churn = 'Yes'");
      int perRow = (int) Math.max(1, plan.expected() / Math.max(1, minority.count()));
      copy =
          minority.select(col("*"), posexplode(array_repeat(lit(true), lit(perRow)))).drop("col");
    }
    long[] copyRun = timed(copy);
    long[] augRun = timed(plan.valid());
    plan.release();
    double augRate = augRun[0] / (augRun[1] / 1e9);
    double copyRate = copyRun[0] / (copyRun[1] / 1e9);
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("bench", "augment");
    fig.put("family", name);
    fig.put("ops", spec.ops().stream().map(o -> o.op().id()).toList());
    fig.put("cores", cores);
    fig.put("source_rows", source.count());
    fig.put("output_rows", augRun[0]);
    fig.put("cpu_s", round(augRun[1] / 1e9));
    fig.put("wall_s", round(augRun[2] / 1e9));
    fig.put("rows_per_s_per_core", round(augRate));
    fig.put("copy_rows_per_s_per_core", round(copyRate));
    fig.put("ratio_vs_copy", round(augRate / copyRate));
    return json(fig);
  }

  /** {rows, process CPU nanoseconds, wall nanoseconds} of writing {@code rows} to a no-op sink. */
  private long[] timed(Dataset<Row> rows) {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    rows.write().format("noop").mode("overwrite").save();
    long cpu = os.getProcessCpuTime() - cpu0;
    long wall = System.nanoTime() - t0;
    return new long[] {rows.count(), cpu, wall};
  }

  private String usefulnessTelco(Dataset<Row> telco) {
    Dataset<Row> withSplit = telco.withColumn("_test", expr("pmod(hash(*), 5) = 0"));
    Dataset<Row> train = withSplit.where("not _test").drop("_test").cache();
    Dataset<Row> test = withSplit.where("_test").drop("_test").cache();
    DatasetSpec spec =
        spec(
            "telco",
            "label",
            "churn",
            "balance",
            true,
            "ops",
            "smote k=5; categorical-resample p=0.1; noise sigma=0.02");
    SparkAugmentation.Plan plan =
        new SparkAugmentation(spark, catalog, cfg, "bench").plan(spec, train);
    List<String> cols = List.of(train.columns());
    Dataset<Row> augmented = plan.valid().select(org.synthweave.core.spark.Columns.cols(cols));
    Dataset<Row> both = train.unionByName(augmented).cache();
    List<String> numeric = new ArrayList<>();
    List<String> categorical = new ArrayList<>();
    for (var f : train.schema().fields()) {
      if (f.name().equals("churn")) {
        continue;
      }
      (f.dataType().equals(DataTypes.StringType) ? categorical : numeric).add(f.name());
    }
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("bench", "augment");
    fig.put("usefulness", "telco-churn");
    fig.put("classifier", "spark.ml LogisticRegression (one-hot categoricals)");
    fig.put("augmentation", "balance churn=Yes: smote k=5, categorical-resample p=0.1, noise 0.02");
    fig.put("train_real_rows", train.count());
    fig.put("train_augmented_rows", both.count() - train.count());
    fig.put("test_real_rows", test.count());
    double[] real = tabularScores(train, test, numeric, categorical);
    double[] aug = tabularScores(both, test, numeric, categorical);
    fig.put("real_only_accuracy", round(real[0]));
    fig.put("real_only_f1_macro", round(real[1]));
    fig.put("real_plus_augmented_accuracy", round(aug[0]));
    fig.put("real_plus_augmented_f1_macro", round(aug[1]));
    plan.release();
    return json(fig);
  }

  private double[] tabularScores(
      Dataset<Row> train, Dataset<Row> test, List<String> numeric, List<String> categorical) {
    List<PipelineStage> stages = new ArrayList<>();
    List<String> features = new ArrayList<>();
    for (String c : categorical) {
      stages.add(
          new StringIndexer().setInputCol(c).setOutputCol(c + "_ix").setHandleInvalid("keep"));
      stages.add(new OneHotEncoder().setInputCol(c + "_ix").setOutputCol(c + "_oh"));
      features.add(c + "_oh");
    }
    features.addAll(numeric);
    stages.add(new StringIndexer().setInputCol("churn").setOutputCol("label"));
    stages.add(
        new VectorAssembler()
            .setInputCols(features.toArray(String[]::new))
            .setOutputCol("features")
            .setHandleInvalid("skip"));
    stages.add(new LogisticRegression().setMaxIter(100).setStandardization(true));
    PipelineModel model = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(train);
    return scores(model.transform(test));
  }

  private String usefulnessFashion(int images) {
    Dataset<Row> train = vectors(fashion("train", images)).cache();
    Dataset<Row> test = vectors(fashion("t10k", Math.min(2000, images))).cache();
    DatasetSpec spec =
        spec(
            "fashion",
            "kind",
            "image",
            "column",
            "pixels",
            "width",
            28,
            "height",
            28,
            "label",
            "label",
            "ops",
            "rotate degrees=10; translate pixels=2; reflect p=0.5");
    SparkAugmentation.Plan plan =
        new SparkAugmentation(spark, catalog, cfg, "bench").plan(spec, fashion("train", images));
    Dataset<Row> augmented =
        vectors(plan.valid().select(col("aug_source_id").as("id"), col("label"), col("pixels")));
    Dataset<Row> both = train.unionByName(augmented).cache();
    LogisticRegression lr = new LogisticRegression().setMaxIter(60).setRegParam(0.001);
    double[] real = scores(lr.fit(train).transform(test));
    double[] aug = scores(lr.fit(both).transform(test));
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("bench", "augment");
    fig.put("usefulness", "fashion-mnist");
    fig.put("classifier", "spark.ml LogisticRegression (multinomial, 784 pixels / 255)");
    fig.put("augmentation", "1 copy: rotate 10 deg, translate 2 px, reflect p=0.5");
    fig.put("train_real_rows", train.count());
    fig.put("train_augmented_rows", both.count() - train.count());
    fig.put("test_real_rows", test.count());
    fig.put("real_only_accuracy", round(real[0]));
    fig.put("real_only_f1_macro", round(real[1]));
    fig.put("real_plus_augmented_accuracy", round(aug[0]));
    fig.put("real_plus_augmented_f1_macro", round(aug[1]));
    plan.release();
    return json(fig);
  }

  private static double[] scores(Dataset<Row> predictions) {
    MulticlassClassificationEvaluator e = new MulticlassClassificationEvaluator();
    return new double[] {
      e.setMetricName("accuracy").evaluate(predictions), e.setMetricName("f1").evaluate(predictions)
    };
  }

  private Dataset<Row> vectors(Dataset<Row> images) {
    StructType schema =
        new StructType()
            .add("label", DataTypes.DoubleType)
            .add("features", SQLDataTypes.VectorType());
    return spark.createDataFrame(
        images
            .select("label", "pixels")
            .javaRDD()
            .map(
                r -> {
                  byte[] p = r.getAs(1);
                  double[] v = new double[p.length];
                  for (int i = 0; i < p.length; i++) {
                    v[i] = (p[i] & 0xFF) / 255.0;
                  }
                  return RowFactory.create(((Number) r.get(0)).doubleValue(), Vectors.dense(v));
                }),
        schema);
  }

  /** The first {@code n} images of Fashion-MNIST's train or t10k set: id, label, pixels. */
  private Dataset<Row> fashion(String set, int n) {
    Path dir = repo.resolve("data/bench/fashion-mnist");
    List<Row> rows = new ArrayList<>();
    try (DataInputStream img = open(dir.resolve(set + "-images-idx3-ubyte.gz"));
        DataInputStream lab = open(dir.resolve(set + "-labels-idx1-ubyte.gz"))) {
      if (img.readInt() != 0x803 || lab.readInt() != 0x801) {
        throw new IOException("not Fashion-MNIST idx files in " + dir);
      }
      int count = Math.min(n, Math.min(img.readInt(), lab.readInt()));
      int pixels = img.readInt() * img.readInt();
      for (int i = 0; i < count; i++) {
        byte[] p = new byte[pixels];
        img.readFully(p);
        rows.add(RowFactory.create(set + "-" + i, lab.readUnsignedByte(), p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read Fashion-MNIST from "
              + dir
              + " (run data/scripts/vectors/fetch-fashion-mnist.sh)",
          e);
    }
    StructType schema =
        new StructType()
            .add("id", DataTypes.StringType)
            .add("label", DataTypes.IntegerType)
            .add("pixels", DataTypes.BinaryType);
    return spark.createDataFrame(rows, schema);
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
  }

  private Dataset<Row> csv(String relative) {
    return spark
        .read()
        .option("header", "true")
        .option("inferSchema", "true")
        .csv(repo.resolve(relative).toString());
  }

  private static DatasetSpec spec(String name, Object... keyValues) {
    Map<String, Object> v = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      v.put(DatasetSpec.PREFIX + name + "." + keyValues[i], keyValues[i + 1]);
    }
    return DatasetSpec.from(name, v);
  }

  private static double round(double d) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.4g", d));
  }

  private static String json(Map<String, Object> fig) {
    try {
      return JSON.writeValueAsString(fig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
