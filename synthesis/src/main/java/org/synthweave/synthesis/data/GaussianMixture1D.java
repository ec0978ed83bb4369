package org.synthweave.synthesis.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A one-dimensional Gaussian mixture fitted by expectation-maximization over sufficient statistics,
 * so that the E-step can run where the data is (a loop here, Spark partitions in {@code
 * SparkModeNormalizer}) and only {@code 3k} numbers per column travel.
 *
 * <p>CTGAN fits a variational Bayesian mixture (Dirichlet-process prior) and keeps the modes whose
 * weight exceeds 0.005. We fit maximum-likelihood EM with the same cap of modes and the same weight
 * threshold, pruning after the fit: EM's sufficient statistics are plain sums, which aggregate over
 * partitions exactly, whereas the variational updates would need digamma terms of the global counts
 * in every E-step. A variance floor keeps modes on integer-valued columns from collapsing to zero
 * width.
 */
public final class GaussianMixture1D implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

  private final double[] weights;
  private final double[] means;
  private final double[] stds;

  public GaussianMixture1D(double[] weights, double[] means, double[] stds) {
    if (weights.length == 0 || weights.length != means.length || means.length != stds.length) {
      throw new IllegalArgumentException(
          "weights, means and stds must have the same non-zero length");
    }
    this.weights = weights.clone();
    this.means = means.clone();
    this.stds = stds.clone();
  }

  /** Starting point: means at evenly spaced quantiles of a sorted sample, equal weights. */
  public static GaussianMixture1D initial(double[] sortedSample, int modes, double minStd) {
    int k = Math.max(1, Math.min(modes, sortedSample.length));
    double[] w = new double[k];
    double[] mu = new double[k];
    double[] sd = new double[k];
    double lo = sortedSample[0];
    double hi = sortedSample[sortedSample.length - 1];
    double spread = Math.max((hi - lo) / (2.0 * k), minStd);
    for (int i = 0; i < k; i++) {
      w[i] = 1.0 / k;
      mu[i] =
          sortedSample[
              (int) Math.min(sortedSample.length - 1, ((i + 0.5) / k) * sortedSample.length)];
      sd[i] = spread;
    }
    return new GaussianMixture1D(w, mu, sd);
  }

  public int modes() {
    return weights.length;
  }

  public double weight(int k) {
    return weights[k];
  }

  public double mean(int k) {
    return means[k];
  }

  public double std(int k) {
    return stds[k];
  }

  /**
   * Posterior probabilities of the modes for {@code x}, written to {@code out}; returns log p(x).
   */
  public double posterior(double x, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < weights.length; k++) {
      double z = (x - means[k]) / stds[k];
      out[k] = Math.log(weights[k]) - Math.log(stds[k]) - LOG_SQRT_2PI - 0.5 * z * z;
      max = Math.max(max, out[k]);
    }
    double sum = 0;
    for (int k = 0; k < weights.length; k++) {
      out[k] = Math.exp(out[k] - max);
      sum += out[k];
    }
    for (int k = 0; k < weights.length; k++) {
      out[k] /= sum;
    }
    return max + Math.log(sum);
  }

  /**
   * Adds {@code x} to E-step statistics laid out as {@code [r_k, r_k x, r_k x^2]} per mode plus the
   * total log-likelihood at the end; {@code scratch} has length {@link #modes()}.
   */
  public void accumulate(double x, double[] stats, double[] scratch) {
    double ll = posterior(x, scratch);
    int k = weights.length;
    for (int i = 0; i < k; i++) {
      stats[i] += scratch[i];
      stats[k + i] += scratch[i] * x;
      stats[2 * k + i] += scratch[i] * x * x;
    }
    stats[3 * k] += ll;
  }

  /** Length of the statistics array {@link #accumulate} fills. */
  public int statsLength() {
    return 3 * weights.length + 1;
  }

  /** The M-step from summed statistics. */
  public GaussianMixture1D mStep(double[] stats, double minStd) {
    int k = weights.length;
    double n = 0;
    for (int i = 0; i < k; i++) {
      n += stats[i];
    }
    double[] w = new double[k];
    double[] mu = new double[k];
    double[] sd = new double[k];
    for (int i = 0; i < k; i++) {
      double r = stats[i];
      if (r < 1e-9) {
        w[i] = 1e-12;
        mu[i] = means[i];
        sd[i] = stds[i];
        continue;
      }
      w[i] = r / n;
      mu[i] = stats[k + i] / r;
      double var = stats[2 * k + i] / r - mu[i] * mu[i];
      sd[i] = Math.max(Math.sqrt(Math.max(var, 0)), minStd);
    }
    return new GaussianMixture1D(w, mu, sd);
  }

  /** Keeps the modes with weight above {@code threshold}, renormalized, in order of their means. */
  public GaussianMixture1D pruned(double threshold) {
    Integer[] order = new Integer[weights.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(means[a], means[b]));
    int keep = 0;
    double total = 0;
    for (int i : order) {
      if (weights[i] > threshold) {
        keep++;
        total += weights[i];
      }
    }
    if (keep == 0) {
      int best = 0;
      for (int i = 1; i < weights.length; i++) {
        best = weights[i] > weights[best] ? i : best;
      }
      return new GaussianMixture1D(
          new double[] {1}, new double[] {means[best]}, new double[] {stds[best]});
    }
    double[] w = new double[keep];
    double[] mu = new double[keep];
    double[] sd = new double[keep];
    int j = 0;
    for (int i : order) {
      if (weights[i] > threshold) {
        w[j] = weights[i] / total;
        mu[j] = means[i];
        sd[j] = stds[i];
        j++;
      }
    }
    return new GaussianMixture1D(w, mu, sd);
  }

  /** Bayesian information criterion of a fit with total log-likelihood {@code ll} on n values. */
  public double bic(double ll, long n) {
    return -2 * ll + (3.0 * weights.length - 1) * Math.log(n);
  }

  /**
   * Fits by EM over an in-memory array for 1..modes modes and keeps the lowest BIC: the single-JVM
   * path, the same statistics as on Spark.
   */
  public static GaussianMixture1D fit(
      double[] values, int modes, double weightThreshold, int maxIterations, double tolerance) {
    if (values.length == 0) {
      throw new IllegalArgumentException("values must not be empty");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double minStd = minStd(sorted);
    GaussianMixture1D best = null;
    double bestBic = Double.POSITIVE_INFINITY;
    for (int k = 1; k <= modes; k++) {
      GaussianMixture1D g = initial(sorted, k, minStd);
      double last = Double.NEGATIVE_INFINITY;
      double ll = 0;
      for (int it = 0; it < maxIterations; it++) {
        double[] stats = new double[g.statsLength()];
        double[] scratch = new double[g.modes()];
        for (double v : values) {
          g.accumulate(v, stats, scratch);
        }
        ll = stats[stats.length - 1];
        g = g.mStep(stats, minStd);
        if (Math.abs(ll / values.length - last) < tolerance) {
          break;
        }
        last = ll / values.length;
      }
      double bic = g.bic(ll, values.length);
      if (bic < bestBic) {
        bestBic = bic;
        best = g;
      }
    }
    return best.pruned(weightThreshold);
  }

  /** Variance floor: a thousandth of the range (or 1e-6 for a constant column). */
  public static double minStd(double[] sorted) {
    double range = sorted[sorted.length - 1] - sorted[0];
    return range > 0 ? range * 1e-3 : 1e-6;
  }
}
