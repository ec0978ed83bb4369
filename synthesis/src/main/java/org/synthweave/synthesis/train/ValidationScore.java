package org.synthweave.synthesis.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.synthweave.synthesis.data.ColumnSpec;

/**
 * A cheap fidelity score of sampled rows against real rows that training never saw, the signal the
 * training schedule stops on. Every column is discretized the same way on both sides: a continuous
 * column into the deciles of the real rows (plus a bin for null), a categorical column into its
 * most frequent real categories (at most {@link #MAX_CATEGORIES}, the rest in one bin, plus null).
 * The score is the mean of two parts, each 1 − mean total variation distance: column shapes (the
 * marginal of every column) and pair trends (the joint of every pair of columns). 1 means the same
 * distributions; a random forest tells rows apart by exactly such marginal and pairwise
 * differences, so the score moves with detection AUC without training one.
 *
 * <p>Both sides are finite samples, so identical distributions score a little below 1; compare
 * scores of samples of the same size, as the schedule does.
 */
public final class ValidationScore {
  /** Most categories of one column kept as bins of their own. */
  public static final int MAX_CATEGORIES = 24;

  private static final int DECILES = 10;

  private final List<ColumnSpec> specs;
  private final double[][] edges;
  private final List<Map<String, Integer>> categories;
  private final int[] bins;
  private final double[][] realMarginals;
  private final double[][][] realJoints;

  /** The figures of one score. */
  public record Result(double score, double shapes, double pairs) {}

  public ValidationScore(List<ColumnSpec> specs, List<Object[]> real) {
    if (real.isEmpty()) {
      throw new IllegalArgumentException("the validation rows are empty");
    }
    this.specs = List.copyOf(specs);
    int c = specs.size();
    edges = new double[c][];
    categories = new ArrayList<>();
    bins = new int[c];
    for (int j = 0; j < c; j++) {
      if (specs.get(j).kind() == ColumnSpec.Kind.CONTINUOUS) {
        edges[j] = deciles(real, j);
        categories.add(null);
        bins[j] = edges[j].length + 2; // bins between edges, below the first, and null
      } else {
        categories.add(topCategories(real, j));
        bins[j] = categories.get(j).size() + 2; // the kept ones, "other", and null
      }
    }
    int[][] codes = codes(real);
    realMarginals = marginals(codes);
    realJoints = joints(codes);
  }

  /** Scores {@code sampled} against the validation rows. */
  public Result score(List<Object[]> sampled) {
    if (sampled.isEmpty()) {
      return new Result(0, 0, 0);
    }
    int[][] codes = codes(sampled);
    double[][] m = marginals(codes);
    double shapeDistance = 0;
    for (int j = 0; j < m.length; j++) {
      shapeDistance += tvd(realMarginals[j], m[j]);
    }
    double shapes = 1 - shapeDistance / Math.max(1, m.length);
    double[][][] joints = joints(codes);
    double pairDistance = 0;
    int pairs = 0;
    for (int a = 0; a < joints.length; a++) {
      for (int b = a + 1; b < joints.length; b++) {
        pairDistance += tvd(realJoints[a][b], joints[a][b]);
        pairs++;
      }
    }
    double pairScore = pairs == 0 ? shapes : 1 - pairDistance / pairs;
    return new Result((shapes + pairScore) / 2, shapes, pairScore);
  }

  private static double[] deciles(List<Object[]> rows, int j) {
    double[] v =
        rows.stream()
            .map(r -> r[j])
            .filter(x -> x instanceof Number)
            .mapToDouble(x -> ((Number) x).doubleValue())
            .filter(Double::isFinite)
            .sorted()
            .toArray();
    if (v.length == 0) {
      return new double[0];
    }
    double[] e = new double[DECILES - 1];
    for (int q = 1; q < DECILES; q++) {
      e[q - 1] = v[(int) Math.min(v.length - 1, (long) q * v.length / DECILES)];
    }
    // A value heavy enough to fill several deciles (a point mass) gives one edge, not several.
    return Arrays.stream(e).distinct().toArray();
  }

  private static Map<String, Integer> topCategories(List<Object[]> rows, int j) {
    Map<String, Integer> counts = new HashMap<>();
    for (Object[] r : rows) {
      if (r[j] != null) {
        counts.merge(String.valueOf(r[j]), 1, Integer::sum);
      }
    }
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(
        Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()));
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < Math.min(MAX_CATEGORIES, sorted.size()); i++) {
      index.put(sorted.get(i).getKey(), i);
    }
    return index;
  }

  /** Bin of every value: codes[column][row]. */
  private int[][] codes(List<Object[]> rows) {
    int c = specs.size();
    int[][] out = new int[c][rows.size()];
    for (int j = 0; j < c; j++) {
      int nullBin = bins[j] - 1;
      for (int i = 0; i < rows.size(); i++) {
        Object x = rows.get(i)[j];
        if (x == null) {
          out[j][i] = nullBin;
        } else if (edges[j] != null) {
          double d = x instanceof Number n ? n.doubleValue() : Double.NaN;
          out[j][i] = Double.isNaN(d) ? nullBin : bin(edges[j], d);
        } else {
          Integer k = categories.get(j).get(String.valueOf(x));
          out[j][i] = k != null ? k : categories.get(j).size();
        }
      }
    }
    return out;
  }

  /** Index of the first edge above {@code x} (0 .. edges.length). */
  private static int bin(double[] edges, double x) {
    int lo = 0;
    int hi = edges.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (x < edges[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  private double[][] marginals(int[][] codes) {
    double[][] out = new double[codes.length][];
    for (int j = 0; j < codes.length; j++) {
      out[j] = new double[bins[j]];
      for (int code : codes[j]) {
        out[j][code]++;
      }
      normalize(out[j], codes[j].length);
    }
    return out;
  }

  private double[][][] joints(int[][] codes) {
    int c = codes.length;
    double[][][] out = new double[c][c][];
    for (int a = 0; a < c; a++) {
      for (int b = a + 1; b < c; b++) {
        double[] joint = new double[bins[a] * bins[b]];
        int[] ca = codes[a];
        int[] cb = codes[b];
        for (int i = 0; i < ca.length; i++) {
          joint[ca[i] * bins[b] + cb[i]]++;
        }
        normalize(joint, ca.length);
        out[a][b] = joint;
      }
    }
    return out;
  }

  private static void normalize(double[] counts, int n) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] /= n;
    }
  }

  /** Total variation distance of two distributions over the same bins. */
  static double tvd(double[] p, double[] q) {
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      s += Math.abs(p[i] - q[i]);
    }
    return s / 2;
  }
}
