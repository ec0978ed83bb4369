package org.synthweave.market.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.synthweave.market.CatalogSearch;
import org.synthweave.market.CatalogSearch.Filters;
import org.synthweave.market.CatalogSearch.Mode;
import org.synthweave.market.CatalogSearch.Sort;
import org.synthweave.market.Listing;

/**
 * Search latency of {@link CatalogSearch}: the listings are indexed (and embedded) once, then every
 * query runs in each {@link Mode} one after the other on this one thread (the order of the modes
 * rotating from one query to the next, so none always runs with the caches the previous one
 * warmed), after a warm-up of the same calls. Each call is timed on its own: wall time, this
 * process's CPU time, this thread's CPU time (ONNX Runtime runs a query on the calling thread when
 * it has one intra-op thread; on a shared machine the thread's CPU time percentiles say what the
 * code costs when the wall time also holds waits for a core), and for the modes that embed the
 * query, the time inside the encoder.
 */
public final class SearchBench {
  /** Hits asked for per query, as a search page shows them. */
  public static final int K = 10;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private SearchBench() {}

  /**
   * Options.
   *
   * @param warmUp queries (from the start of the list) run untimed in every mode first
   * @param topOut when not null, each query's top {@link #K} ids per mode are written there (one
   *     line per query and mode: mode, tab, query, tab, ids), to compare rankings across code
   *     changes
   * @param cpuNanos this process's CPU time so far, in nanoseconds (the caller's clock, shared with
   *     its other figures)
   * @param keepVectors when not null, receives the passage vectors computed, so that a later search
   *     over the same listings need not embed them again
   */
  public record Options(
      int warmUp, Path topOut, LongSupplier cpuNanos, Map<String, float[]> keepVectors) {
    public Options {
      if (warmUp < 0) {
        throw new IllegalArgumentException("warmUp must be >= 0, got " + warmUp);
      }
      if (cpuNanos == null) {
        throw new IllegalArgumentException("cpuNanos must not be null");
      }
    }
  }

  /**
   * Indexes {@code listings} with {@code encoder} and runs every query of {@code queries} in each
   * mode; returns the figures in the order of a JSON line.
   */
  public static Map<String, Object> run(
      List<Listing> listings, List<String> queries, CatalogSearch.Encoder encoder, Options o) {
    if (listings.isEmpty() || queries.isEmpty()) {
      throw new IllegalArgumentException("listings and queries must not be empty");
    }
    TimedEncoder timed = new TimedEncoder(encoder);
    Map<String, Object> fig = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    long c0 = o.cpuNanos().getAsLong();
    try (CatalogSearch search = CatalogSearch.of(listings, timed)) {
      if (o.keepVectors() != null) {
        o.keepVectors().putAll(search.vectors());
      }
      double buildS = (System.nanoTime() - t0) / 1e9;
      double embedS = timed.nanos / 1e9;
      fig.put("search_listings", search.size());
      fig.put("search_queries", queries.size());
      fig.put("search_warm_up", Math.min(o.warmUp(), queries.size()));
      fig.put("embed_s", round(embedS));
      fig.put("embed_passages_per_s", round(search.embedded() / embedS));
      fig.put("index_s", round(buildS - embedS));
      fig.put("build_cpu_s", round((o.cpuNanos().getAsLong() - c0) / 1e9));
      Mode[] modes = {Mode.HYBRID, Mode.BM25, Mode.VECTOR};
      for (int i = 0; i < Math.min(o.warmUp(), queries.size()); i++) {
        for (Mode m : modes) {
          search.search(queries.get(i), m, Filters.none(), Sort.RELEVANCE, K);
        }
      }
      Map<Mode, Timings> t = new EnumMap<>(Mode.class);
      for (Mode m : modes) {
        t.put(m, new Timings(queries.size()));
      }
      PrintWriter top = o.topOut() == null ? null : writer(o.topOut());
      try {
        for (int q = 0; q < queries.size(); q++) {
          String text = queries.get(q);
          for (int j = 0; j < modes.length; j++) {
            Mode m = modes[(q + j) % modes.length];
            timed.nanos = 0;
            long c = o.cpuNanos().getAsLong();
            long tc = THREADS.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            List<CatalogSearch.Hit> hits =
                search.search(text, m, Filters.none(), Sort.RELEVANCE, K);
            long wall = System.nanoTime() - s;
            long thread = THREADS.getCurrentThreadCpuTime() - tc;
            t.get(m).add(q, wall, o.cpuNanos().getAsLong() - c, thread, timed.nanos);
            if (top != null) {
              top.println(
                  m
                      + "\t"
                      + text.replace('\t', ' ')
                      + "\t"
                      + hits.stream().map(h -> h.listing().id()).collect(Collectors.joining(",")));
            }
          }
        }
      } finally {
        if (top != null) {
          top.close();
        }
      }
      for (Mode m : modes) {
        t.get(m).put(m.name().toLowerCase(java.util.Locale.ROOT), fig);
      }
      Timings h = t.get(Mode.HYBRID);
      fig.put("hybrid_encode_share", round((double) h.encodeTotal() / h.wallTotal()));
      fig.put("hybrid_encode_p50_ms", round(percentile(h.encode, 0.5) / 1e6));
      fig.put(
          "hybrid_vs_bm25_p99",
          round(percentile(h.wall, 0.99) / percentile(t.get(Mode.BM25).wall, 0.99)));
      return fig;
    }
  }

  /** Wall, CPU and encoder nanoseconds of each query in one mode. */
  private static final class Timings {
    final long[] wall;
    final long[] cpu;
    final long[] thread;
    final long[] encode;

    Timings(int n) {
      wall = new long[n];
      cpu = new long[n];
      thread = new long[n];
      encode = new long[n];
    }

    void add(int q, long wallNs, long cpuNs, long threadNs, long encodeNs) {
      wall[q] = wallNs;
      cpu[q] = cpuNs;
      thread[q] = threadNs;
      encode[q] = encodeNs;
    }

    long wallTotal() {
      return Arrays.stream(wall).sum();
    }

    long encodeTotal() {
      return Arrays.stream(encode).sum();
    }

    void put(String mode, Map<String, Object> fig) {
      fig.put(mode + "_p50_ms", round(percentile(wall, 0.5) / 1e6));
      fig.put(mode + "_p99_ms", round(percentile(wall, 0.99) / 1e6));
      fig.put(mode + "_max_ms", round(Arrays.stream(wall).max().orElse(0) / 1e6));
      fig.put(mode + "_qps", round(wall.length / (wallTotal() / 1e9)));
      fig.put(mode + "_cpu_ms_per_query", round(Arrays.stream(cpu).sum() / 1e6 / cpu.length));
      fig.put(mode + "_thread_cpu_p50_ms", round(percentile(thread, 0.5) / 1e6));
      fig.put(mode + "_thread_cpu_p99_ms", round(percentile(thread, 0.99) / 1e6));
    }
  }

  /** The value at quantile {@code q} (nearest rank) of {@code values}. */
  static double percentile(long[] values, double q) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** An encoder that adds the time spent in it to {@link #nanos}; one thread only. */
  private static final class TimedEncoder implements CatalogSearch.Encoder {
    private final CatalogSearch.Encoder inner;
    long nanos;

    TimedEncoder(CatalogSearch.Encoder inner) {
      this.inner = inner;
    }

    @Override
    public float[][] encode(List<String> texts) {
      long s = System.nanoTime();
      try {
        return inner.encode(texts);
      } finally {
        nanos += System.nanoTime() - s;
      }
    }
  }

  private static PrintWriter writer(Path file) {
    try {
      return new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
