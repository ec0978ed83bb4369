package org.synthweave.synthesis.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the transformer learned about one column: for a continuous column its Gaussian mixture,
 * range and null count; for a categorical one its categories (null is a category) with counts, most
 * frequent first. Plain data, written into model files as JSON.
 */
public record ColumnModel(ColumnSpec spec, Continuous continuous, Categorical categorical)
    implements Serializable {

  /** Mode-specific normalization of a continuous column. */
  public record Continuous(
      double[] weights, double[] means, double[] stds, double min, double max, long nullCount)
      implements Serializable {
    public GaussianMixture1D mixture() {
      return new GaussianMixture1D(weights, means, stds);
    }

    public boolean nullable() {
      return nullCount > 0;
    }

    public static Continuous of(GaussianMixture1D g, double min, double max, long nullCount) {
      double[] w = new double[g.modes()];
      double[] mu = new double[g.modes()];
      double[] sd = new double[g.modes()];
      for (int k = 0; k < w.length; k++) {
        w[k] = g.weight(k);
        mu[k] = g.mean(k);
        sd[k] = g.std(k);
      }
      return new Continuous(w, mu, sd, min, max, nullCount);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Continuous c
          && Arrays.equals(weights, c.weights)
          && Arrays.equals(means, c.means)
          && Arrays.equals(stds, c.stds)
          && min == c.min
          && max == c.max
          && nullCount == c.nullCount;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(means) * 31 + Long.hashCode(nullCount);
    }

    @Override
    public String toString() {
      return "Continuous" + Arrays.toString(means);
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
