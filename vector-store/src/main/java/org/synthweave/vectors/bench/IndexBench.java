package org.synthweave.vectors.bench;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.synthweave.vectors.ExactSearch;
import org.synthweave.vectors.HnswParams;
import org.synthweave.vectors.HnswShardWriter;
import org.synthweave.vectors.IndexDescriptor;
import org.synthweave.vectors.ShardSearcher;
import org.synthweave.vectors.SparkVectorIndex;
import org.synthweave.vectors.VectorIndex;

/**
 * The vector index benchmark on Fashion-MNIST (ann-benchmarks' fashion-mnist-784-euclidean): the
 * same vectors indexed (a) by our Spark build into shards and searched with the fan-out searcher,
 * (b) into one Lucene index by one thread, searched by one thread, (c) by jvector, and (d) searched
 * exactly. For each, recall@k against exact results and queries per second over a sweep of search
 * effort, and the first effort that reaches recall 0.95 and 0.99. Queries are issued one after the
 * other from one thread; the sharded searcher fans each query out over its shards, with spinning
 * search threads (the default), with threads that sleep at once, and in the caller's thread only.
 */
public final class IndexBench {
  /** The configurations {@link #run} can measure. */
  public static final List<String> CONFIGS = List.of("sharded", "lucene", "jvector", "exact");

  /**
   * What to run: {@code configs} is a subset of {@link #CONFIGS}; each effort's queries are timed
   * {@code passes} times and the fastest pass counts (as ann-benchmarks does), since one pass of
   * 1,000 queries takes a fraction of a second and a hiccup of the machine moves it.
   */
  public record Options(
      int base,
      int queries,
      int k,
      int shards,
      HnswParams params,
      int[] efforts,
      int passes,
      Path work,
      Set<String> configs) {
    public Options {
      if (passes < 1) {
        throw new IllegalArgumentException("passes must be >= 1, got " + passes);
      }
      for (String c : configs) {
        if (!CONFIGS.contains(c)) {
          throw new IllegalArgumentException(
              "unknown configuration '" + c + "'; choose from " + String.join(", ", CONFIGS));
        }
      }
    }
  }

  private final SparkSession spark;
  private final FashionMnist data;
  private final PrintStream progress;

  public IndexBench(SparkSession spark, FashionMnist data, PrintStream progress) {
    this.spark = spark;
    this.data = data;
    this.progress = progress;
  }

  /** Runs every configuration; returns one map of figures per configuration, then a summary. */
  public List<Map<String, Object>> run(Options o) throws IOException, InterruptedException {
    float[][] base = data.images(FashionMnist.TRAIN_IMAGES, o.base());
    float[][] queries = data.images(FashionMnist.TEST_IMAGES, o.queries());
    HnswParams.Similarity sim = o.params().similarity();
    int k = o.k();

    progress.printf(
        "exact ground truth for %d queries over %d vectors%n", queries.length, base.length);
    int[][] truth = new int[queries.length][];
    IntStream.range(0, queries.length)
        .parallel()
        .forEach(q -> truth[q] = ExactSearch.topK(base, queries[q], k, sim, i -> true));
    List<Map<String, Object>> out = new ArrayList<>();

    if (o.configs().contains("exact")) {
      out.add(exact(base, queries, o));
    }
    Map<String, Object> sharded = null;
    Map<String, Object> sequential = null;
    Map<String, Object> noSpin = null;
    Map<String, Object> lucene = null;
    Map<String, Object> jvector = null;
    long t;
    long c0;
    double buildS;

    // Warm-up build (untimed): the JIT compiles the graph code before any timed build, so the
    // first configuration does not pay for it.
    Path warm = o.work().resolve("warm-up");
    try (HnswShardWriter w = new HnswShardWriter(warm, base[0].length, o.params())) {
      for (int i = 0; i < Math.min(base.length, 3000); i++) {
        w.add("train-" + i, base[i], Map.of());
      }
    }

    if (o.configs().contains("sharded")) {
      // (a) our Spark build into shards, fan-out search.
      progress.printf("Spark build: %d shards%n", o.shards());
      Path parquet = o.work().resolve("vectors.parquet");
      writeParquet(base, parquet);
      Path indexDir = o.work().resolve("index-sharded");
      IndexDescriptor template =
          new IndexDescriptor(
              "fashion-mnist",
              base[0].length,
              o.params(),
              "image",
              "pixels",
              "raw",
              "fashion-mnist/train",
              -1,
              List.of(),
              List.of(),
              0,
              List.of(),
              null);
      c0 = cpuNanos();
      t = System.nanoTime();
      SparkVectorIndex.Update u =
          new SparkVectorIndex(spark)
              .update(
                  spark.read().parquet(parquet.toString()),
                  indexDir.toUri().toString(),
                  template,
                  new SparkVectorIndex.Options(Long.MAX_VALUE / 2, o.shards(), 0, 1 << 20, 1.0),
                  true,
                  false,
                  rejected -> {
                    throw new IllegalStateException("Fashion-MNIST vectors were rejected");
                  });
      buildS = (System.nanoTime() - t) / 1e9;
      sharded = figures("sharded_spark", base.length, o);
      int shardCount = u.descriptor().shards().size();
      sharded.put("shards", shardCount);
      sharded.put("build_phases", u.phases());
      build(sharded, base.length, buildS, cpuNanos() - c0);
      sharded.put("spin_micros", ShardSearcher.DEFAULT_SPIN_MICROS);
      sweepIndex(
          sharded, indexDir, o.shards(), ShardSearcher.DEFAULT_SPIN_MICROS, o, queries, truth);
      // The same fan-out with search threads that sleep as soon as they are idle (a plain pool):
      // what the spinning buys.
      noSpin = figures("sharded_spark_spin_0", base.length, o);
      noSpin.put("shards", shardCount);
      noSpin.put("spin_micros", 0);
      sweepIndex(noSpin, indexDir, o.shards(), 0, o, queries, truth);
      // The same shards searched one after the other in the caller's thread: what a server with
      // more concurrent queries than cores gets per query.
      sequential = figures("sharded_spark_1_thread", base.length, o);
      sequential.put("shards", shardCount);
      sweepIndex(sequential, indexDir, 1, 0, o, queries, truth);
      // Incremental update and compaction cost: 2% more vectors become a new small shard, then
      // compaction merges every shard into one.
      int extra = Math.max(1, base.length / 50);
      float[][] more = data.images(FashionMnist.TEST_IMAGES, o.queries() + extra);
      Path moreParquet = o.work().resolve("more.parquet");
      writeParquet(base, java.util.Arrays.copyOfRange(more, o.queries(), more.length), moreParquet);
      Dataset<Row> all =
          spark
              .read()
              .parquet(parquet.toString())
              .unionByName(spark.read().parquet(moreParquet.toString()));
      SparkVectorIndex.Options keep =
          new SparkVectorIndex.Options(Long.MAX_VALUE / 2, o.shards(), 0, 1 << 20, 1.0);
      t = System.nanoTime();
      SparkVectorIndex.Update added =
          new SparkVectorIndex(spark)
              .update(all, indexDir.toUri().toString(), template, keep, false, false, r -> {});
      sharded.put("incremental_vectors", added.added());
      sharded.put("incremental_s", round((System.nanoTime() - t) / 1e9));
      sharded.put("incremental_phases", added.phases());
      int before = added.descriptor().shards().size();
      c0 = cpuNanos();
      t = System.nanoTime();
      SparkVectorIndex.Update compacted =
          new SparkVectorIndex(spark)
              .update(
                  all,
                  indexDir.toUri().toString(),
                  template,
                  new SparkVectorIndex.Options(
                      Long.MAX_VALUE / 2, o.shards(), Long.MAX_VALUE / 2, 1 << 20, 1.0),
                  false,
                  true,
                  r -> {});
      sharded.put("compact_s", round((System.nanoTime() - t) / 1e9));
      sharded.put("compact_cpu_s", round((cpuNanos() - c0) / 1e9));
      sharded.put("compact_shards", before + " -> " + compacted.descriptor().shards().size());
      out.add(sharded);
      out.add(noSpin);
      out.add(sequential);
    }

    if (o.configs().contains("lucene")) {
      // (b) one Lucene index, one thread.
      progress.println("single Lucene index, one thread");
      Path single = o.work().resolve("index-single");
      c0 = cpuNanos();
      t = System.nanoTime();
      try (HnswShardWriter w = new HnswShardWriter(single, base[0].length, o.params())) {
        for (int i = 0; i < base.length; i++) {
          w.add("train-" + i, base[i], Map.of());
        }
      }
      buildS = (System.nanoTime() - t) / 1e9;
      lucene = figures("lucene_single", base.length, o);
      build(lucene, base.length, buildS, cpuNanos() - c0);
      try (ShardSearcher s = ShardSearcher.open(List.of(single), 1)) {
        sweep(
            lucene,
            o,
            queries,
            truth,
            (q, effort) -> ids(s.search(queries[q], k, Math.max(k, effort), Map.of()), "train-"));
      }
      out.add(lucene);
    }

    if (o.configs().contains("jvector")) {
      // (c) jvector: degree 2M as Lucene's bottom layer, the same beam width.
      progress.println("jvector");
      VectorTypeSupport vts = VectorizationProvider.getInstance().getVectorTypeSupport();
      List<VectorFloat<?>> vectors = new ArrayList<>(base.length);
      for (float[] v : base) {
        vectors.add(vts.createFloatVector(v));
      }
      ListRandomAccessVectorValues ravv = new ListRandomAccessVectorValues(vectors, base[0].length);
      VectorSimilarityFunction jsim =
          switch (sim) {
            case EUCLIDEAN -> VectorSimilarityFunction.EUCLIDEAN;
            case COSINE -> VectorSimilarityFunction.COSINE;
            case DOT_PRODUCT -> VectorSimilarityFunction.DOT_PRODUCT;
          };
      c0 = cpuNanos();
      t = System.nanoTime();
      ImmutableGraphIndex graph;
      try (GraphIndexBuilder builder =
          new GraphIndexBuilder(
              ravv, jsim, 2 * o.params().m(), o.params().beamWidth(), 1.2f, 1.2f, true)) {
        graph = builder.build(ravv);
      }
      buildS = (System.nanoTime() - t) / 1e9;
      jvector = figures("jvector", base.length, o);
      jvector.put("degree", 2 * o.params().m());
      build(jvector, base.length, buildS, cpuNanos() - c0);
      List<VectorFloat<?>> qv = new ArrayList<>();
      for (float[] q : queries) {
        qv.add(vts.createFloatVector(q));
      }
      try (GraphSearcher searcher = new GraphSearcher(graph)) {
        sweep(
            jvector,
            o,
            queries,
            truth,
            (q, effort) -> {
              SearchResult r =
                  searcher.search(
                      DefaultSearchScoreProvider.exact(qv.get(q), jsim, ravv),
                      k,
                      Math.max(k, effort),
                      0f,
                      0f,
                      Bits.ALL);
              List<Integer> found = new ArrayList<>();
              for (SearchResult.NodeScore ns : r.getNodes()) {
                found.add(ns.node);
              }
              return found;
            });
      }
      out.add(jvector);
      graph.close();
    }

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("bench", "index");
    summary.put("config", "summary");
    for (String level : List.of("0.95", "0.99")) {
      summary.put(
          "qps_ratio_vs_jvector_at_" + level, ratio(sharded, jvector, "qps_at_recall_" + level));
      summary.put(
          "qps_ratio_vs_lucene_single_at_" + level,
          ratio(sharded, lucene, "qps_at_recall_" + level));
      summary.put(
          "qps_ratio_spin_0_vs_lucene_single_at_" + level,
          ratio(noSpin, lucene, "qps_at_recall_" + level));
      summary.put(
          "qps_ratio_1_thread_vs_lucene_single_at_" + level,
          ratio(sequential, lucene, "qps_at_recall_" + level));
    }
    summary.put("build_ratio_vs_lucene_single", ratio(sharded, lucene, "build_vectors_per_s"));
    out.add(summary);
    return out;
  }

  /** (d) exact search: one thread, a slice of the queries. */
  private static Map<String, Object> exact(float[][] base, float[][] queries, Options o) {
    int exactQueries = Math.min(queries.length, 100);
    long t = System.nanoTime();
    for (int q = 0; q < exactQueries; q++) {
      ExactSearch.topK(base, queries[q], o.k(), o.params().similarity(), i -> true);
    }
    double exactQps = exactQueries / ((System.nanoTime() - t) / 1e9);
    Map<String, Object> exact = figures("exact", base.length, o);
    exact.put("recall_at_" + o.k(), 1.0);
    exact.put("qps", round(exactQps));
    return exact;
  }

  /** A search of query {@code q} at an effort: the base indices found, best first. */
  private interface Search {
    List<Integer> run(int q, int effort) throws IOException;
  }

  /** The effort sweep of the index in {@code dir} opened with {@code threads} search threads. */
  private void sweepIndex(
      Map<String, Object> fig,
      Path dir,
      int threads,
      int spinMicros,
      Options o,
      float[][] queries,
      int[][] truth)
      throws IOException {
    try (VectorIndex index = VectorIndex.open(dir, threads, spinMicros)) {
      sweep(
          fig,
          o,
          queries,
          truth,
          (q, effort) ->
              ids(index.search(queries[q], o.k(), Math.max(o.k(), effort), Map.of()), "train-"));
    }
  }

  private void sweep(
      Map<String, Object> fig, Options o, float[][] queries, int[][] truth, Search search)
      throws IOException {
    // Warm-up (JIT, page cache): every effort over the queries until 3 s have passed, at least
    // once, so that no configuration pays for compiling the code the others share.
    long until = System.nanoTime() + 3_000_000_000L;
    do {
      for (int effort : o.efforts()) {
        for (int q = 0; q < queries.length; q++) {
          search.run(q, effort);
        }
      }
    } while (System.nanoTime() < until);
    List<Map<String, Object>> points = new ArrayList<>();
    for (int effort : o.efforts()) {
      // Recall from an untimed pass; then the timed passes.
      double recall = 0;
      for (int q = 0; q < queries.length; q++) {
        List<Integer> found = search.run(q, effort);
        Set<Integer> expect = new HashSet<>();
        for (int i : truth[q]) {
          expect.add(i);
        }
        long hit = found.stream().limit(o.k()).filter(expect::contains).count();
        recall += hit / (double) truth[q].length;
      }
      double best = Double.MAX_VALUE;
      long bestCpu = 0;
      for (int pass = 0; pass < o.passes(); pass++) {
        long c0 = cpuNanos();
        long t = System.nanoTime();
        for (int q = 0; q < queries.length; q++) {
          search.run(q, effort);
        }
        double s = (System.nanoTime() - t) / 1e9;
        if (s < best) {
          best = s;
          bestCpu = cpuNanos() - c0;
        }
      }
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("effort", effort);
      p.put("recall", round(recall / queries.length));
      p.put("qps", round(queries.length / best));
      p.put("cpu_ms_per_query", round(bestCpu / 1e6 / queries.length));
      points.add(p);
      progress.printf(
          "  %s effort %d: recall %.4f, %.0f qps (best of %d)%n",
          fig.get("config"), effort, recall / queries.length, queries.length / best, o.passes());
    }
    fig.put("sweep", points);
    for (Map<String, Object> p : points) {
      if (((Number) p.get("effort")).intValue() == 100) {
        fig.put("recall_at_" + o.k(), p.get("recall"));
        fig.put("qps", p.get("qps"));
      }
    }
    for (String level : List.of("0.95", "0.99")) {
      double goal = Double.parseDouble(level);
      for (Map<String, Object> p : points) {
        if (((Number) p.get("recall")).doubleValue() >= goal) {
          fig.put("effort_at_recall_" + level, p.get("effort"));
          fig.put("qps_at_recall_" + level, p.get("qps"));
          fig.put("cpu_ms_per_query_at_recall_" + level, p.get("cpu_ms_per_query"));
          break;
        }
      }
    }
  }

  private static List<Integer> ids(List<ShardSearcher.Hit> hits, String prefix) {
    List<Integer> out = new ArrayList<>(hits.size());
    for (ShardSearcher.Hit h : hits) {
      out.add(Integer.parseInt(h.id().substring(prefix.length())));
    }
    return out;
  }

  private void writeParquet(float[][] base, Path file) {
    writeParquet(null, base, file);
  }

  /** Writes vectors keyed train-i, or extra-i when {@code prefixExtra} is given. */
  private void writeParquet(float[][] prefixExtra, float[][] base, Path file) {
    String prefix = prefixExtra == null ? "train-" : "extra-";
    StructType schema =
        new StructType()
            .add(SparkVectorIndex.KEY, DataTypes.StringType)
            .add(SparkVectorIndex.VECTOR, DataTypes.createArrayType(DataTypes.FloatType, false));
    IntFunction<Row> row =
        i -> {
          List<Float> v = new ArrayList<>(base[i].length);
          for (float f : base[i]) {
            v.add(f);
          }
          return RowFactory.create(prefix + i, v);
        };
    List<Row> rows = IntStream.range(0, base.length).mapToObj(row).toList();
    Dataset<Row> df = spark.createDataFrame(rows, schema);
    // Dictionary encoding of 784 pixel values per row only slows the write here.
    df.write()
        .option("parquet.enable.dictionary", "false")
        .mode("overwrite")
        .parquet(file.toString());
  }

  private static Map<String, Object> figures(String config, int n, Options o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bench", "index");
    m.put("config", config);
    m.put("dataset", "fashion-mnist-784-euclidean");
    m.put("vectors", n);
    m.put("queries", o.queries());
    m.put("k", o.k());
    m.put("m", o.params().m());
    m.put("beam_width", o.params().beamWidth());
    m.put("quantization", o.params().quantization().name().toLowerCase(java.util.Locale.ROOT));
    return m;
  }

  private static void build(Map<String, Object> fig, int n, double seconds, long cpuNanos) {
    fig.put("build_s", round(seconds));
    fig.put("build_vectors_per_s", round(n / seconds));
    fig.put("build_cpu_s", round(cpuNanos / 1e9));
  }

  private static Object ratio(Map<String, Object> a, Map<String, Object> b, String key) {
    Object x = a == null ? null : a.get(key);
    Object y = b == null ? null : b.get(key);
    if (x == null || y == null) {
      return null; // one of them never reached the recall
    }
    return round(((Number) x).doubleValue() / ((Number) y).doubleValue());
  }

  /** CPU time of this whole process (all threads). */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
