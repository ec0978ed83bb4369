package org.synthweave.market.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The search API of {@code market serve} under a bounded concurrent load from loopback: {@code
 * clients} threads, each sending its next query to {@code /api/search} as soon as the previous
 * answer is read (a closed loop, so the load never exceeds what the server answers), for a fixed
 * time after a warm-up. Every answer that is not 200 or whose body holds no hits list counts as an
 * error. The heap after a full collection is read before and after the timed run, so a server that
 * keeps something per request shows as growth.
 */
public final class ServeLoad {
  private ServeLoad() {}

  /**
   * Options.
   *
   * @param clients concurrent clients (at most the server's concurrent request limit, so no answer
   *     is a 503 for being busy)
   * @param warmUp untimed load first
   * @param duration timed load
   * @param mode the search mode asked for ({@code hybrid}, {@code bm25} or {@code vector})
   * @param cpuNanos this process's CPU time so far, in nanoseconds
   */
  public record Options(
      int clients, Duration warmUp, Duration duration, String mode, LongSupplier cpuNanos) {
    public Options {
      if (clients < 1) {
        throw new IllegalArgumentException("clients must be at least 1, got " + clients);
      }
      if (warmUp.isNegative() || duration.isZero() || duration.isNegative()) {
        throw new IllegalArgumentException("warm-up must be >= 0 and duration > 0");
      }
    }
  }

  /** Runs the load against the server at {@code base}; returns the figures, prefixed by mode. */
  public static Map<String, Object> run(URI base, List<String> queries, Options o)
      throws InterruptedException {
    if (queries.isEmpty()) {
      throw new IllegalArgumentException("queries must not be empty");
    }
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    AtomicInteger next = new AtomicInteger();
    load(http, base, queries, o, next, o.warmUp().toNanos(), null);
    long heapBefore = heapAfterGc();
    long c0 = o.cpuNanos().getAsLong();
    long t0 = System.nanoTime();
    List<long[]> perClient = load(http, base, queries, o, next, o.duration().toNanos(), o);
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (o.cpuNanos().getAsLong() - c0) / 1e9;
    long heapAfter = heapAfterGc();

    int n = 0;
    long errors = 0;
    for (long[] r : perClient) {
      n += (int) r[0];
      errors += r[1];
    }
    long[] lat = new long[n];
    int at = 0;
    for (long[] r : perClient) {
      System.arraycopy(r, 2, lat, at, (int) r[0]);
      at += (int) r[0];
    }
    String p = "serve_" + o.mode() + "_";
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put(p + "clients", o.clients());
    fig.put(p + "requests", n);
    fig.put(p + "errors", errors);
    fig.put(p + "rps", round(n / wall));
    fig.put(p + "p50_ms", round(percentile(lat, 0.50) / 1e6));
    fig.put(p + "p99_ms", round(percentile(lat, 0.99) / 1e6));
    fig.put(p + "wall_s", round(wall));
    fig.put(p + "cpu_s", round(cpu));
    fig.put(p + "heap_before_mb", round(heapBefore / 1048576.0));
    fig.put(p + "heap_after_mb", round(heapAfter / 1048576.0));
    return fig;
  }

  /**
   * {@code clients} closed loops for {@code nanos}; each client's result is {requests, errors,
   * latency...} (latencies only when {@code timed} is not null).
   */
  private static List<long[]> load(
      HttpClient http,
      URI base,
      List<String> queries,
      Options o,
      AtomicInteger next,
      long nanos,
      Options timed)
      throws InterruptedException {
    if (nanos == 0) {
      return List.of();
    }
    long end = System.nanoTime() + nanos;
    ExecutorService pool = Executors.newFixedThreadPool(o.clients());
    try {
      List<Future<long[]>> futures = new ArrayList<>();
      for (int c = 0; c < o.clients(); c++) {
        futures.add(
            pool.submit(
                () -> {
                  long[] lat = new long[1024];
                  int count = 0;
                  long errors = 0;
                  while (System.nanoTime() < end) {
                    String q = queries.get(Math.floorMod(next.getAndIncrement(), queries.size()));
                    URI u =
                        base.resolve(
                            "/api/search?mode="
                                + o.mode()
                                + "&k=10&q="
                                + URLEncoder.encode(q, StandardCharsets.UTF_8));
                    long s = System.nanoTime();
                    boolean ok;
                    try {
                      HttpResponse<String> r =
                          http.send(
                              HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(30)).build(),
                              HttpResponse.BodyHandlers.ofString());
                      ok = r.statusCode() == 200 && r.body().contains("\"hits\"");
                    } catch (java.io.IOException e) {
                      ok = false;
                    }
                    long took = System.nanoTime() - s;
                    if (!ok) {
                      errors++;
                    }
                    if (count == lat.length) {
                      lat = Arrays.copyOf(lat, lat.length * 2);
                    }
                    lat[count++] = took;
                  }
                  long[] r = new long[2 + (timed == null ? 0 : count)];
                  r[0] = timed == null ? 0 : count;
                  r[1] = errors;
                  if (timed != null) {
                    System.arraycopy(lat, 0, r, 2, count);
                  }
                  return r;
                }));
      }
      List<long[]> results = new ArrayList<>();
      for (Future<long[]> f : futures) {
        try {
          results.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("a load client failed", e.getCause());
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static long heapAfterGc() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    mem.gc();
    return mem.getHeapMemoryUsage().getUsed();
  }

  /** {@link SearchBench#percentile}, NaN when nothing was timed. */
  private static double percentile(long[] values, double q) {
    return values.length == 0 ? Double.NaN : SearchBench.percentile(values, q);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
