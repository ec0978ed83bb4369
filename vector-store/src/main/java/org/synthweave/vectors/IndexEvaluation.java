package org.synthweave.vectors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Recall@k of an index's graph search against its exact search, and the search's speed, at several
 * search efforts. Queries are vectors (drawn from the index or embedded text); a query drawn from
 * the index finds itself, so its own id is left out of both result lists.
 */
public final class IndexEvaluation {
  /** The figures at one search effort. */
  public record Point(
      int candidates, double recall, double qps, double p50Ms, double p99Ms, int queries) {}

  private IndexEvaluation() {}

  /**
   * Runs every query at every effort in {@code candidates} (one thread issuing queries, the index
   * searching shards in parallel) and compares with exact results.
   *
   * @param selfIds per query, an id to leave out (the query's own), or null
   */
  public static List<Point> evaluate(
      VectorIndex index,
      float[][] queries,
      String[] selfIds,
      int k,
      int[] candidates,
      Map<String, String> filter) {
    if (queries.length == 0) {
      throw new IllegalArgumentException("no queries");
    }
    int extra = selfIds == null ? 0 : 1;
    List<List<ShardSearcher.Hit>> exact = index.exact(queries, k + extra, filter);
    String[][] truth = new String[queries.length][];
    for (int q = 0; q < queries.length; q++) {
      truth[q] =
          topIds(exact.get(q), selfIds == null ? null : selfIds[q], k).toArray(String[]::new);
    }
    // Warm-up: one pass at the largest effort, so the JIT and the page cache are not measured.
    int most = Arrays.stream(candidates).max().orElse(k);
    for (float[] q : queries) {
      index.search(q, k + extra, Math.max(most, k + extra), filter);
    }
    List<Point> points = new ArrayList<>();
    for (int c : candidates) {
      int effort = Math.max(c, k + extra);
      double[] ms = new double[queries.length];
      double recall = 0;
      long start = System.nanoTime();
      for (int q = 0; q < queries.length; q++) {
        long t = System.nanoTime();
        List<ShardSearcher.Hit> hits = index.search(queries[q], k + extra, effort, filter);
        ms[q] = (System.nanoTime() - t) / 1e6;
        recall +=
            ExactSearch.recall(truth[q], topIds(hits, selfIds == null ? null : selfIds[q], k));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Arrays.sort(ms);
      points.add(
          new Point(
              effort,
              recall / queries.length,
              queries.length / seconds,
              ms[ms.length / 2],
              ms[Math.min(ms.length - 1, (int) Math.ceil(ms.length * 0.99) - 1)],
              queries.length));
    }
    return points;
  }

  private static List<String> topIds(List<ShardSearcher.Hit> hits, String self, int k) {
    List<String> ids = new ArrayList<>();
    for (ShardSearcher.Hit h : hits) {
      if (!h.id().equals(self) && ids.size() < k) {
        ids.add(h.id());
      }
    }
    return ids;
  }
}
