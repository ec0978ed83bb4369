package org.synthweave.embedding.bench;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.synthweave.core.ContentIds;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.run.RunSummary;
import org.synthweave.embedding.EmbeddingConfig;
import org.synthweave.embedding.spark.SparkTextEmbedding;
import org.synthweave.embedding.text.EncoderOptions;
import org.synthweave.embedding.text.Passage;
import org.synthweave.embedding.text.TextEncoder;
import org.synthweave.embedding.text.TextEncoders;
import org.synthweave.embedding.text.TextModel;

/**
 * Embedding throughput of (a) the Spark job, (b) the encoder alone on one thread per core, and (c)
 * langchain4j's {@code embedAll} (its own thread pool), on the same sentences in the same run, for
 * the fp32 and the int8 model; plus recall@10 of int8 neighbours against fp32 neighbours.
 *
 * <p>Every side embeds the same texts, each short enough (at most 128 tokens) that all three read
 * every token, so sentences/s and tokens/s compare like with like. Models are loaded and warmed up
 * before timing. Per-core figures divide by the cores all three use.
 */
public final class EmbeddingBench {
  private static final int WARMUP = 64;
  private static final int RECALL_QUERIES = 200;
  private static final int K = 10;

  /** langchain4j reads at most 128 tokens of a text (see TextEncoderMatchesLangchain4jTest). */
  private static final int MAX_TOKENS = 128;

  private final SparkSession spark;
  private final TableCatalog catalog;
  private final EmbeddingConfig config;
  private final Consumer<String> progress;

  public EmbeddingBench(
      SparkSession spark, TableCatalog catalog, EmbeddingConfig config, Consumer<String> progress) {
    this.spark = spark;
    this.catalog = catalog;
    this.config = config;
    this.progress = progress;
  }

  /**
   * Runs the benchmark on up to {@code limit} of {@code candidates}: those of 4 or more words that
   * fit in 128 tokens, distinct. Returns the figures in print order.
   */
  public Map<String, Object> run(List<String> candidates, int limit) {
    TextEncoder fp32Encoder = TextEncoders.shared(TextModel.ALL_MINILM_L6_V2, config.encoder());
    List<String> sentences =
        candidates.stream()
            .map(String::strip)
            .filter(s -> s.split("\\s+").length >= 4)
            .distinct()
            .filter(s -> fp32Encoder.passages(s).get(0).tokens() <= MAX_TOKENS)
            .limit(limit)
            .toList();
    int cores = spark.sparkContext().defaultParallelism();
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("bench", "embed");
    fig.put("cores", cores);
    fig.put("sentences", sentences.size());
    float[][] fp32 = measure(TextModel.ALL_MINILM_L6_V2, "", sentences, cores, fig);
    float[][] int8 = measure(TextModel.ALL_MINILM_L6_V2_Q, "int8_", sentences, cores, fig);
    fig.put("recall_at_10_int8_vs_fp32", round(recall(fp32, int8)));
    return fig;
  }

  private float[][] measure(
      TextModel model, String prefix, List<String> sentences, int cores, Map<String, Object> fig) {
    EncoderOptions options = config.encoder();
    TextEncoder encoder = TextEncoders.shared(model, options);
    long tokens = 0;
    for (String s : sentences) {
      tokens += encoder.passages(s).get(0).tokens();
    }
    if (prefix.isEmpty()) {
      fig.put("tokens", tokens);
    }

    List<String> warmup = sentences.subList(0, Math.min(WARMUP, sentences.size()));
    progress.accept(model.id() + ": encoder alone, " + cores + " threads");
    encodeOnThreads(encoder, warmup, cores);
    long t0 = System.nanoTime();
    long c0 = cpuNanos();
    float[][] vectors = encodeOnThreads(encoder, sentences, cores);
    double encoderS = (System.nanoTime() - t0) / 1e9;
    double encoderCpu = (cpuNanos() - c0) / 1e9;

    progress.accept(model.id() + ": langchain4j embedAll");
    EmbeddingModel reference =
        model == TextModel.ALL_MINILM_L6_V2
            ? new AllMiniLmL6V2EmbeddingModel()
            : new AllMiniLmL6V2QuantizedEmbeddingModel();
    List<TextSegment> segments = sentences.stream().map(TextSegment::from).toList();
    reference.embedAll(segments.subList(0, warmup.size()));
    long t1 = System.nanoTime();
    long c1 = cpuNanos();
    reference.embedAll(segments);
    double referenceS = (System.nanoTime() - t1) / 1e9;
    double referenceCpu = (cpuNanos() - c1) / 1e9;

    progress.accept(model.id() + ": Spark job (local[" + cores + "])");
    String table = "bench/" + model.id().replace('-', '_');
    // The Spark side gets its warm-up too: the same job on the warm-up sentences first (the first
    // Spark jobs of a JVM spend many seconds loading classes and compiling).
    writeDocuments(table + "_warmup", warmup);
    sparkJob(model, table + "_warmup", options);
    writeDocuments(table, sentences);
    long t2 = System.nanoTime();
    long c2 = cpuNanos();
    RunSummary summary = sparkJob(model, table, options);
    double sparkS = (System.nanoTime() - t2) / 1e9;
    double sparkCpu = (cpuNanos() - c2) / 1e9;
    long embedded = summary.total(SparkTextEmbedding.STAGE + ":" + SparkTextEmbedding.KIND).out();
    if (embedded != sentences.size()) {
      throw new IllegalStateException(
          "the Spark job embedded " + embedded + " of " + sentences.size() + " sentences");
    }

    int n = sentences.size();
    put(fig, prefix + "spark", n, tokens, sparkS, sparkCpu, cores);
    put(fig, prefix + "encoder", n, tokens, encoderS, encoderCpu, cores);
    put(fig, prefix + "langchain4j", n, tokens, referenceS, referenceCpu, cores);
    fig.put(prefix + "ratio_encoder_vs_langchain4j", round(referenceS / encoderS));
    fig.put(prefix + "ratio_spark_vs_encoder", round(encoderS / sparkS));
    // The same ratios by CPU time, which other load on a shared machine disturbs less.
    fig.put(prefix + "cpu_ratio_encoder_vs_langchain4j", round(referenceCpu / encoderCpu));
    fig.put(prefix + "cpu_ratio_spark_vs_encoder", round(encoderCpu / sparkCpu));
    fig.put(prefix + "spark_phases", summary.notes().get("embed text"));
    return vectors;
  }

  private RunSummary sparkJob(TextModel model, String table, EncoderOptions options) {
    EmbeddingConfig cfg =
        new EmbeddingConfig(
            model,
            table,
            options,
            config.tasksPerCore(),
            List.of(),
            List.of(),
            config.rowMaxOneHot(),
            config.rowHashBuckets());
    RunSummary summary = new RunSummary("bench", "bench embed", Instant.now());
    new SparkTextEmbedding(spark, catalog, cfg, 1024).embed(summary);
    return summary;
  }

  /** CPU time of this whole process (all threads, ONNX Runtime's and GC included). */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void put(
      Map<String, Object> fig,
      String name,
      int n,
      long tokens,
      double seconds,
      double cpuSeconds,
      int cores) {
    fig.put(name + "_s", round(seconds));
    fig.put(name + "_cpu_s", round(cpuSeconds));
    fig.put(name + "_sentences_per_s_per_core", round(n / seconds / cores));
    fig.put(name + "_tokens_per_s_per_core", round(tokens / seconds / cores));
  }

  /** The encoder as a Spark task uses it: one thread per core, each on its share of the texts. */
  private static float[][] encodeOnThreads(TextEncoder encoder, List<String> texts, int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      int per = (texts.size() + threads - 1) / threads;
      List<Future<float[][]>> parts = new ArrayList<>();
      for (int from = 0; from < texts.size(); from += per) {
        List<String> slice = texts.subList(from, Math.min(texts.size(), from + per));
        parts.add(pool.submit(() -> encodeWindowed(encoder, slice)));
      }
      float[][] out = new float[texts.size()][];
      int i = 0;
      for (Future<float[][]> f : parts) {
        for (float[] v : f.get()) {
          out[i++] = v;
        }
      }
      return out;
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("encoder benchmark failed", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Like a task's DocumentEmbedder: sorted and batched within windows of sortWindow passages. */
  private static float[][] encodeWindowed(TextEncoder encoder, List<String> texts) {
    int window = encoder.options().sortWindow();
    float[][] out = new float[texts.size()][];
    for (int from = 0; from < texts.size(); from += window) {
      int to = Math.min(texts.size(), from + window);
      List<Passage> passages = new ArrayList<>(to - from);
      for (String t : texts.subList(from, to)) {
        passages.add(encoder.passages(t).get(0));
      }
      float[][] v = encoder.embed(passages);
      System.arraycopy(v, 0, out, from, v.length);
    }
    return out;
  }

  private void writeDocuments(String table, List<String> sentences) {
    StructType schema =
        new StructType()
            .add("id", DataTypes.StringType, false)
            .add("text", DataTypes.StringType, false);
    // In slices, so that no task carries megabytes of local rows.
    for (int from = 0; from < sentences.size(); from += 1000) {
      List<Row> rows = new ArrayList<>();
      for (String s : sentences.subList(from, Math.min(sentences.size(), from + 1000))) {
        rows.add(RowFactory.create(ContentIds.sha256Hex(s), s));
      }
      spark
          .createDataFrame(rows, schema)
          .write()
          .format("delta")
          .mode(from == 0 ? "overwrite" : "append")
          .save(catalog.path(table));
    }
  }

  /** Mean share of each query's 10 nearest fp32 neighbours that int8 vectors find too. */
  static double recall(float[][] exact, float[][] approx) {
    int queries = Math.min(RECALL_QUERIES, exact.length);
    double sum = 0;
    for (int q = 0; q < queries; q++) {
      int[] a = top(exact, q);
      int[] b = top(approx, q);
      int hit = 0;
      for (int x : a) {
        for (int y : b) {
          if (x == y) {
            hit++;
            break;
          }
        }
      }
      sum += hit / (double) K;
    }
    return sum / queries;
  }

  private static int[] top(float[][] v, int q) {
    int[] best = new int[K];
    double[] score = new double[K];
    java.util.Arrays.fill(score, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < v.length; i++) {
      if (i == q) {
        continue;
      }
      double s = 0;
      for (int d = 0; d < v[q].length; d++) {
        s += v[q][d] * v[i][d];
      }
      if (s > score[K - 1]) {
        int j = K - 1;
        while (j > 0 && score[j - 1] < s) {
          score[j] = score[j - 1];
          best[j] = best[j - 1];
          j--;
        }
        score[j] = s;
        best[j] = i;
      }
    }
    return best;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
