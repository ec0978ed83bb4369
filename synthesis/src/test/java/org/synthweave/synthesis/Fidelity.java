package org.synthweave.synthesis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.synthweave.synthesis.data.ColumnSpec;

/**
 * Simple fidelity measures for the tests (the full metrics live in the verification module): total
 * variation distance of a categorical column's frequencies, and Pearson correlation of two numeric
 * columns.
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
