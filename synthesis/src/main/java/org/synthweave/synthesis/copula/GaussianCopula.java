package org.synthweave.synthesis.copula;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.synthweave.synthesis.Condition;
import org.synthweave.synthesis.SynthesisErrors;
import org.synthweave.synthesis.SynthesisModel;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.Seeds;

/**
 * The Gaussian-copula synthesizer: each column maps to a normal score through its marginal, the
 * scores' correlation matrix ties the columns together, and sampling draws correlated normals
 * through the matrix's Cholesky factor and maps them back. A condition is met by rejection (draws
 * until enough rows carry the value), which is exact but slow for rare values.
 */
public final class GaussianCopula implements SynthesisModel, Serializable {
  private static final long serialVersionUID = 1L;

  /** Knots of each numeric marginal's quantile function. */
  public static final int KNOTS = 257;

  private final List<Marginal> marginals;
  private final double[][] correlation;
  private transient double[][] cholesky;

  public GaussianCopula(List<Marginal> marginals, double[][] correlation) {
    if (marginals.isEmpty() || correlation.length != marginals.size()) {
      throw new IllegalArgumentException("one correlation row per marginal is needed");
    }
    this.marginals = List.copyOf(marginals);
    this.correlation = correlation;
  }

  /** Fits on in-memory rows (the single-JVM path). */
  public static GaussianCopula fit(List<ColumnSpec> specs, List<Object[]> rows, long seed) {
    List<Marginal> ms = new ArrayList<>();
    for (int c = 0; c < specs.size(); c++) {
      ColumnSpec spec = specs.get(c);
      if (spec.kind() == ColumnSpec.Kind.CONTINUOUS) {
        double[] v = new double[rows.size()];
        int n = 0;
        for (Object[] r : rows) {
          if (r[c] != null) {
            v[n++] = ((Number) r[c]).doubleValue();
          }
        }
        if (n == 0) {
          throw SynthesisErrors.allNull(spec.name());
        }
        double[] sorted = java.util.Arrays.copyOf(v, n);
        java.util.Arrays.sort(sorted);
        ms.add(
            Marginal.continuous(spec, Marginal.knots(sorted, KNOTS), 1 - (double) n / rows.size()));
      } else {
        Map<String, Long> counts = new HashMap<>();
        for (Object[] r : rows) {
          counts.merge((String) r[c], 1L, Long::sum);
        }
        var cat = DataTransformer.categorical(counts);
        ms.add(Marginal.categorical(spec, cat.categories(), cat.counts()));
      }
    }
    CorrelationStats stats = new CorrelationStats(ms.size());
    SplittableRandom rnd = new SplittableRandom(Seeds.mix(seed, 0));
    for (Object[] r : rows) {
      stats.add(ms, r, rnd);
    }
    return new GaussianCopula(ms, stats.correlation());
  }

  /** Sums of the normal scores and their products, mergeable across partitions. */
  public static final class CorrelationStats implements Serializable {
    private static final long serialVersionUID = 1L;
    private final double[] sum;
    private final double[][] cross;
    private long n;

    public CorrelationStats(int columns) {
      sum = new double[columns];
      cross = new double[columns][columns];
    }

    public void add(List<Marginal> ms, Object[] row, SplittableRandom rnd) {
      double[] z = new double[ms.size()];
      for (int c = 0; c < z.length; c++) {
        z[c] = Normal.quantile(ms.get(c).toUniform(row[c], rnd));
      }
      for (int i = 0; i < z.length; i++) {
        sum[i] += z[i];
        for (int j = 0; j <= i; j++) {
          cross[i][j] += z[i] * z[j];
        }
      }
      n++;
    }

    public CorrelationStats merge(CorrelationStats o) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += o.sum[i];
        for (int j = 0; j <= i; j++) {
          cross[i][j] += o.cross[i][j];
        }
      }
      n += o.n;
      return this;
    }

    public double[][] correlation() {
      int k = sum.length;
      double[][] cov = new double[k][k];
      for (int i = 0; i < k; i++) {
        for (int j = 0; j <= i; j++) {
          cov[i][j] = cross[i][j] / n - (sum[i] / n) * (sum[j] / n);
          cov[j][i] = cov[i][j];
        }
      }
      double[][] corr = new double[k][k];
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          double d = Math.sqrt(cov[i][i] * cov[j][j]);
          corr[i][j] = i == j ? 1 : d > 0 ? cov[i][j] / d : 0;
        }
      }
      return corr;
    }
  }

  public List<Marginal> marginals() {
    return marginals;
  }

  public double[][] correlation() {
    return correlation;
  }

  @Override
  public String kind() {
    return "copula";
  }

  @Override
  public List<ColumnSpec> columns() {
    return marginals.stream().map(Marginal::spec).toList();
  }

  private double[][] factor() {
    if (cholesky == null) {
      int k = correlation.length;
      for (double jitter = 0; ; jitter = jitter == 0 ? 1e-8 : jitter * 10) {
        double[][] l = new double[k][k];
        boolean ok = true;
        for (int i = 0; i < k && ok; i++) {
          for (int j = 0; j <= i; j++) {
            double s = correlation[i][j] + (i == j ? jitter : 0);
            for (int p = 0; p < j; p++) {
              s -= l[i][p] * l[j][p];
            }
            if (i == j) {
              if (s <= 0) {
                ok = false;
                break;
              }
              l[i][i] = Math.sqrt(s);
            } else {
              l[i][j] = s / l[j][j];
            }
          }
        }
        if (ok) {
          cholesky = l;
          break;
        }
        if (jitter > 1) {
          throw new IllegalStateException("correlation matrix is not positive definite");
        }
      }
    }
    return cholesky;
  }

  @Override
  public List<Object[]> sample(int n, long seed, Condition condition) {
    int col = -1;
    if (condition != null) {
      for (int c = 0; c < marginals.size(); c++) {
        if (marginals.get(c).spec().name().equals(condition.column())) {
          col = c;
        }
      }
      if (col < 0 || marginals.get(col).numeric()) {
        throw SynthesisErrors.badCondition(
            condition.toString(), "the model has no categorical column " + condition.column());
      }
      if (!marginals.get(col).categories().contains(condition.value())) {
        throw SynthesisErrors.unknownConditionValue(
            condition.column(), condition.value(), marginals.get(col).categories());
      }
    }
    double[][] l = factor();
    int k = marginals.size();
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Object[]> out = new ArrayList<>(n);
    long tries = 0;
    long maxTries = Math.max(10_000L, 1000L * n);
    double[] e = new double[k];
    while (out.size() < n) {
      if (++tries > maxTries) {
        throw SynthesisErrors.conditionTooRare(String.valueOf(condition), tries - 1, out.size());
      }
      for (int i = 0; i < k; i++) {
        e[i] = rnd.nextGaussian();
      }
      Object[] row = new Object[k];
      for (int i = 0; i < k; i++) {
        double z = 0;
        for (int j = 0; j <= i; j++) {
          z += l[i][j] * e[j];
        }
        double u = Math.max(1e-12, Math.min(1 - 1e-12, Normal.cdf(z)));
        row[i] = marginals.get(i).fromUniform(u, rnd.nextDouble());
      }
      if (col >= 0 && !condition.value().equals(row[col])) {
        continue;
      }
      out.add(row);
    }
    return out;
  }
}
