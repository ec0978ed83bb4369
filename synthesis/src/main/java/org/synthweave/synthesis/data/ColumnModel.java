package org.synthweave.synthesis.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the transformer learned about one column: for a continuous column its Gaussian mixture,
 * range, null count and point masses; for a categorical one its categories (null is a category)
 * with counts, most frequent first. Plain data, written into model files as JSON.
 */
public record ColumnModel(ColumnSpec spec, Continuous continuous, Categorical categorical)
    implements Serializable {

  /**
   * Mode-specific normalization of a continuous column. {@code points} are the values that each
   * hold a large share of the column (a zero-inflated debt's 0, say): each is a mode of its own,
   * after the mixture's, that encodes with alpha 0 and decodes to exactly that value, as CTAB-GAN's
   * "mixed" columns do. The mixture is fitted on the other values. Empty in model files written
   * before point masses existed.
   */
  public record Continuous(
      double[] weights,
      double[] means,
      double[] stds,
      double min,
      double max,
      long nullCount,
      double[] points)
      implements Serializable {
    public Continuous {
      points = points == null ? new double[0] : points.clone();
    }

    public GaussianMixture1D mixture() {
      return new GaussianMixture1D(weights, means, stds);
    }

    public boolean nullable() {
      return nullCount > 0;
    }

    /** Width of the mode one-hot: the mixture's modes, then one per point mass. */
    public int modeCount() {
      return weights.length + points.length;
    }

    /** The point mass equal to {@code x} as a mode number, or -1. */
    public int pointMode(double x) {
      int i = pointIndex(points, x);
      return i < 0 ? -1 : weights.length + i;
    }

    /** Where {@code x} is among {@code points}, or -1. */
    public static int pointIndex(double[] points, double x) {
      for (int i = 0; i < points.length; i++) {
        if (points[i] == x) {
          return i;
        }
      }
      return -1;
    }

    public static Continuous of(
        GaussianMixture1D g, double min, double max, long nullCount, double[] points) {
      double[] w = new double[g.modes()];
      double[] mu = new double[g.modes()];
      double[] sd = new double[g.modes()];
      for (int k = 0; k < w.length; k++) {
        w[k] = g.weight(k);
        mu[k] = g.mean(k);
        sd[k] = g.std(k);
      }
      return new Continuous(w, mu, sd, min, max, nullCount, points);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Continuous c
          && Arrays.equals(weights, c.weights)
          && Arrays.equals(means, c.means)
          && Arrays.equals(stds, c.stds)
          && min == c.min
          && max == c.max
          && nullCount == c.nullCount
          && Arrays.equals(points, c.points);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(means) * 31 + Long.hashCode(nullCount);
    }

    @Override
    public String toString() {
      return "Continuous"
          + Arrays.toString(means)
          + (points.length == 0 ? "" : " points " + Arrays.toString(points));
    }
  }

  /** The categories of a categorical column (a null entry is the null category), with counts. */
  public record Categorical(List<String> categories, long[] counts) implements Serializable {
    public Categorical {
      if (categories.size() != counts.length || categories.isEmpty()) {
        throw new IllegalArgumentException("categories and counts must match and not be empty");
      }
      categories = java.util.Collections.unmodifiableList(new ArrayList<>(categories));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Categorical c
          && categories.equals(c.categories)
          && Arrays.equals(counts, c.counts);
    }

    @Override
    public int hashCode() {
      return categories.hashCode() * 31 + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
      return "Categorical" + categories;
    }
  }

  public static ColumnModel continuous(ColumnSpec spec, Continuous c) {
    return new ColumnModel(spec, c, null);
  }

  public static ColumnModel categorical(ColumnSpec spec, Categorical c) {
    return new ColumnModel(spec, null, c);
  }
}
