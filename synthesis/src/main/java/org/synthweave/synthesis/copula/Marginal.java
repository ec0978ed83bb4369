package org.synthweave.synthesis.copula;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.synthweave.synthesis.data.ColumnSpec;

/**
 * One column's marginal distribution and its map to and from (0, 1): for a number, a piecewise
 * linear quantile function through {@code knots} (equally spaced probabilities) and the share of
 * nulls; for a category, consecutive intervals of (0, 1) as wide as each category's frequency.
 */
public record Marginal(
    ColumnSpec spec, double[] knots, double nullShare, List<String> categories, double[] shares)
    implements Serializable {
  private static final double EDGE = 1e-6;

  public static Marginal continuous(ColumnSpec spec, double[] knots, double nullShare) {
    return new Marginal(spec, knots.clone(), nullShare, null, null);
  }

  public static Marginal categorical(ColumnSpec spec, List<String> categories, long[] counts) {
    double total = Arrays.stream(counts).sum();
    double[] s = new double[counts.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = counts[i] / total;
    }
    return new Marginal(
        spec,
        null,
        0,
        java.util.Collections.unmodifiableList(new java.util.ArrayList<>(categories)),
        s);
  }

  public boolean numeric() {
    return knots != null;
  }

  /** Quantile knots at probabilities 0, 1/(k-1), ..., 1 of the sorted non-null values. */
  public static double[] knots(double[] sorted, int k) {
    double[] out = new double[k];
    for (int i = 0; i < k; i++) {
      double pos = (double) i / (k - 1) * (sorted.length - 1);
      int lo = (int) Math.floor(pos);
      int hi = Math.min(sorted.length - 1, lo + 1);
      out[i] = sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
    return out;
  }

  /**
   * The value's position in (0, 1): the CDF for numbers (mid-point of a run of equal knots), a
   * uniform draw inside the category's interval for categories. Null numbers map to 0.5.
   */
  public double toUniform(Object value, SplittableRandom rnd) {
    if (numeric()) {
      if (value == null) {
        return 0.5;
      }
      double x = ((Number) value).doubleValue();
      int k = knots.length;
      if (x <= knots[0]) {
        return EDGE;
      }
      if (x >= knots[k - 1]) {
        return 1 - EDGE;
      }
      int lo = lowerIndex(x);
      int hi = upperIndex(x);
      double p;
      if (lo != hi) {
        // x equals a run of knots: take the middle of the run.
        p = (lo + hi) / 2.0 / (k - 1);
      } else {
        int i = lo;
        double frac = (x - knots[i]) / (knots[i + 1] - knots[i]);
        p = (i + frac) / (k - 1);
      }
      return Math.max(EDGE, Math.min(1 - EDGE, p));
    }
    int idx = categories.indexOf(value);
    if (idx < 0) {
      throw new IllegalArgumentException(
          "column " + spec.name() + " has a category not seen in fitting: " + value);
    }
    double start = 0;
    for (int i = 0; i < idx; i++) {
      start += shares[i];
    }
    double u = start + rnd.nextDouble() * shares[idx];
    return Math.max(EDGE, Math.min(1 - EDGE, u));
  }

  private int lowerIndex(double x) {
    int i = Arrays.binarySearch(knots, x);
    if (i < 0) {
      return -i - 2;
    }
    while (i > 0 && knots[i - 1] == x) {
      i--;
    }
    return i;
  }

  private int upperIndex(double x) {
    int i = Arrays.binarySearch(knots, x);
    if (i < 0) {
      return -i - 2;
    }
    while (i < knots.length - 1 && knots[i + 1] == x) {
      i++;
    }
    return i;
  }

  /** The value at position {@code u}; {@code nullDraw} decides nulls of a number column. */
  public Object fromUniform(double u, double nullDraw) {
    if (numeric()) {
      if (nullDraw < nullShare) {
        return null;
      }
      double pos = u * (knots.length - 1);
      int lo = (int) Math.min(knots.length - 2, Math.floor(pos));
      double x = knots[lo] + (pos - lo) * (knots[lo + 1] - knots[lo]);
      return spec.integral() ? Math.rint(x) : x;
    }
    double acc = 0;
    for (int i = 0; i < shares.length; i++) {
      acc += shares[i];
      if (u < acc) {
        return categories.get(i);
      }
    }
    return categories.get(categories.size() - 1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Marginal m
        && spec.equals(m.spec)
        && Arrays.equals(knots, m.knots)
        && nullShare == m.nullShare
        && java.util.Objects.equals(categories, m.categories)
        && Arrays.equals(shares, m.shares);
  }

  @Override
  public int hashCode() {
    return spec.hashCode() * 31 + Arrays.hashCode(knots);
  }

  @Override
  public String toString() {
    return "Marginal[" + spec.name() + "]";
  }
}
