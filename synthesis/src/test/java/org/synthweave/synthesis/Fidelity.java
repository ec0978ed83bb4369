package org.synthweave.synthesis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.synthweave.synthesis.data.ColumnSpec;

/**
 * Simple fidelity measures for the tests (the full metrics live in the verification module): total
 * variation distance of a categorical column's frequencies, and Pearson and Spearman correlation of
 * two numeric columns.
 */
public final class Fidelity {
  private Fidelity() {}

  public static double tvd(List<Object[]> real, List<Object[]> synth, int column) {
    Map<Object, Double> a = freq(real, column);
    Map<Object, Double> b = freq(synth, column);
    Map<Object, Double> all = new HashMap<>(a);
    b.forEach((k, v) -> all.putIfAbsent(k, 0.0));
    double d = 0;
    for (Object k : all.keySet()) {
      d += Math.abs(a.getOrDefault(k, 0.0) - b.getOrDefault(k, 0.0));
    }
    return d / 2;
  }

  /** Mean TVD over the categorical columns. */
  public static double meanCategoricalTvd(
      List<ColumnSpec> specs, List<Object[]> real, List<Object[]> synth) {
    double sum = 0;
    int n = 0;
    for (int c = 0; c < specs.size(); c++) {
      if (specs.get(c).kind() == ColumnSpec.Kind.CATEGORICAL) {
        sum += tvd(real, synth, c);
        n++;
      }
    }
    return sum / n;
  }

  private static Map<Object, Double> freq(List<Object[]> rows, int column) {
    Map<Object, Double> m = new HashMap<>();
    for (Object[] r : rows) {
      m.merge(r[column] == null ? "<null>" : r[column], 1.0 / rows.size(), Double::sum);
    }
    return m;
  }

  public static double correlation(List<Object[]> rows, int a, int b) {
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    int n = 0;
    for (Object[] r : rows) {
      if (r[a] == null || r[b] == null) {
        continue;
      }
      double x = ((Number) r[a]).doubleValue();
      double y = ((Number) r[b]).doubleValue();
      sa += x;
      sb += y;
      saa += x * x;
      sbb += y * y;
      sab += x * y;
      n++;
    }
    double cov = sab / n - sa / n * sb / n;
    return cov / Math.sqrt((saa / n - sa / n * sa / n) * (sbb / n - sb / n * sb / n));
  }

  /**
   * Spearman's rank correlation: Pearson's on the ranks, tied values sharing their mean rank, over
   * the rows where both values are present.
   */
  public static double rankCorrelation(List<Object[]> rows, int a, int b) {
    List<Object[]> both = new ArrayList<>();
    for (Object[] r : rows) {
      if (r[a] != null && r[b] != null) {
        both.add(r);
      }
    }
    double[] ra = ranks(both, a);
    double[] rb = ranks(both, b);
    List<Object[]> ranked = new ArrayList<>(both.size());
    for (int i = 0; i < ra.length; i++) {
      ranked.add(new Object[] {ra[i], rb[i]});
    }
    return correlation(ranked, 0, 1);
  }

  private static double[] ranks(List<Object[]> rows, int c) {
    int n = rows.size();
    double[] v = new double[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      v[i] = ((Number) rows.get(i)[c]).doubleValue();
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(v[x], v[y]));
    double[] rank = new double[n];
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      for (int k = i; k <= j; k++) {
        rank[order[k]] = (i + j) / 2.0;
      }
      i = j + 1;
    }
    return rank;
  }

  /** Mean and standard deviation of a numeric column's non-null values. */
  public static double[] meanStd(List<Object[]> rows, int c) {
    double s = 0, ss = 0;
    int n = 0;
    for (Object[] r : rows) {
      if (r[c] != null) {
        double x = ((Number) r[c]).doubleValue();
        s += x;
        ss += x * x;
        n++;
      }
    }
    return new double[] {s / n, Math.sqrt(Math.max(0, ss / n - (s / n) * (s / n)))};
  }

  public static int index(List<ColumnSpec> specs, String name) {
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no column " + name);
  }
}
