package org.synthweave.synthesis.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.synthweave.synthesis.SynthesisErrors;
import org.synthweave.synthesis.data.ColumnModel;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.GaussianMixture1D;

/**
 * Fits the {@link DataTransformer} on Spark: category counts by a group-by per categorical column;
 * for continuous columns approximate quantiles (starting means, and candidate point masses: a value
 * holding a share {@code s} of a column spans {@code s} of its quantile function, so a grid of step
 * {@code s / 2} lands on it), then range, null counts and each candidate's exact count in one
 * aggregation, then EM on the values that are not point masses, where each iteration is one {@code
 * treeAggregate} of every continuous column's sufficient statistics (3 numbers per mode) over the
 * partitions.
 */
public final class SparkModeNormalizer {
  static final int MAX_ITERATIONS = 100;
  static final double TOLERANCE = 1e-4;

  private SparkModeNormalizer() {}

  public static DataTransformer fit(
      Dataset<Row> rows,
      List<ColumnSpec> specs,
      int maxModes,
      double weightThreshold,
      double pointShare) {
    List<Integer> cont = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i).kind() == ColumnSpec.Kind.CONTINUOUS) {
        cont.add(i);
      }
    }
    Map<Integer, ColumnModel> models = new HashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      ColumnSpec s = specs.get(i);
      if (s.kind() == ColumnSpec.Kind.CATEGORICAL) {
        Map<String, Long> counts = new HashMap<>();
        for (Row r : rows.groupBy(col(SparkTableSpecs.quote(s.name()))).count().collectAsList()) {
          counts.put(r.isNullAt(0) ? null : r.getString(0), r.getLong(1));
        }
        models.put(i, ColumnModel.categorical(s, DataTransformer.categorical(counts)));
      }
    }
    if (!cont.isEmpty()) {
      fitContinuous(rows, specs, cont, maxModes, weightThreshold, pointShare, models);
    }
    List<ColumnModel> ordered = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      ordered.add(models.get(i));
    }
    return new DataTransformer(ordered);
  }

  private static void fitContinuous(
      Dataset<Row> rows,
      List<ColumnSpec> specs,
      List<Integer> cont,
      int maxModes,
      double weightThreshold,
      double pointShare,
      Map<Integer, ColumnModel> models) {
    int k = cont.size();
    String[] names = new String[k];
    for (int j = 0; j < k; j++) {
      names[j] = specs.get(cont.get(j)).name();
    }
    // Starting means of a k-mode fit: the quantiles at (i + 0.5) / k, for every k up to the cap;
    // and the grid that finds point-mass candidates.
    java.util.TreeMap<Double, Integer> probIndex = new java.util.TreeMap<>();
    for (int m = 1; m <= maxModes; m++) {
      for (int i = 0; i < m; i++) {
        probIndex.putIfAbsent((i + 0.5) / m, probIndex.size());
      }
    }
    for (int i = 1; pointShare > 0 && i * pointShare / 2 < 1; i++) {
      probIndex.putIfAbsent(i * pointShare / 2, probIndex.size());
    }
    double[] probs = new double[probIndex.size()];
    probIndex.forEach((prob, i) -> probs[i] = prob);
    double[][] quantiles =
        SparkTableSpecs.approxQuantile(rows, java.util.Arrays.asList(names), probs, 1e-3);
    List<Column> aggs = new ArrayList<>();
    List<List<Double>> candidates = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      Column c = col(SparkTableSpecs.quote(names[j]));
      aggs.add(min(c));
      aggs.add(max(c));
      aggs.add(count(c));
      List<Double> cand =
          pointShare > 0
              ? java.util.Arrays.stream(quantiles[j]).distinct().boxed().toList()
              : List.of();
      candidates.add(cand);
      for (double v : cand) {
        aggs.add(count(org.apache.spark.sql.functions.when(c.equalTo(v), true)));
      }
    }
    aggs.add(count("*"));
    Row stats = rows.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    long total = stats.getLong(stats.length() - 1);
    long[] nonNull = new long[k];
    double[] lo = new double[k];
    double[] hi = new double[k];
    double[][] points = new double[k][];
    long[] pointRows = new long[k];
    int at = 0;
    for (int j = 0; j < k; j++) {
      nonNull[j] = stats.getLong(at + 2);
      if (nonNull[j] == 0) {
        throw SynthesisErrors.allNull(names[j]);
      }
      lo[j] = ((Number) stats.get(at)).doubleValue();
      hi[j] = ((Number) stats.get(at + 1)).doubleValue();
      Map<Double, Long> counts = new HashMap<>();
      for (int i = 0; i < candidates.get(j).size(); i++) {
        counts.put(candidates.get(j).get(i), stats.getLong(at + 3 + i));
      }
      points[j] = DataTransformer.pointMasses(counts, nonNull[j], pointShare);
      for (double p : points[j]) {
        pointRows[j] += counts.get(p);
      }
      at += 3 + candidates.get(j).size();
    }
    // A column with point masses fits its mixture on its other values (on all of them when there
    // are no others, as the in-memory fit does), with modes starting at their quantiles.
    double[][] skip = new double[k][];
    long[] fitted = new long[k];
    for (int j = 0; j < k; j++) {
      boolean exclude = points[j].length > 0 && pointRows[j] < nonNull[j];
      skip[j] = exclude ? points[j] : new double[0];
      fitted[j] = nonNull[j] - (exclude ? pointRows[j] : 0);
      if (exclude) {
        Column c = col(SparkTableSpecs.quote(names[j]));
        Dataset<Row> rest =
            rows.where(
                c.isNotNull().and(org.apache.spark.sql.functions.not(c.isin(box(points[j])))));
        quantiles[j] = SparkTableSpecs.approxQuantile(rest, List.of(names[j]), probs, 1e-3)[0];
      }
    }
    GaussianMixture1D[][] g = new GaussianMixture1D[k][maxModes];
    double[] minStd = new double[k];
    long[] nulls = new long[k];
    for (int j = 0; j < k; j++) {
      nulls[j] = total - nonNull[j];
      minStd[j] = hi[j] > lo[j] ? (hi[j] - lo[j]) * 1e-3 : 1e-6;
      for (int m = 1; m <= maxModes; m++) {
        double[] start = new double[m];
        for (int i = 0; i < m; i++) {
          start[i] = quantiles[j][probIndex.get((i + 0.5) / m)];
        }
        g[j][m - 1] = GaussianMixture1D.initial(start, m, minStd[j]);
      }
    }
    int[] idx = cont.stream().mapToInt(Integer::intValue).toArray();
    JavaRDD<double[]> values =
        rows.javaRDD()
            .map(
                r -> {
                  double[] v = new double[idx.length];
                  for (int j = 0; j < idx.length; j++) {
                    v[j] = r.isNullAt(idx[j]) ? Double.NaN : r.getDouble(idx[j]);
                    if (ColumnModel.Continuous.pointIndex(skip[j], v[j]) >= 0) {
                      v[j] = Double.NaN; // a point mass: not the mixture's
                    }
                  }
                  return v;
                })
            .persist(StorageLevel.MEMORY_AND_DISK());
    double[][] lastLl = new double[k][maxModes];
    double[][] ll = new double[k][maxModes];
    try {
      for (double[] row : lastLl) {
        java.util.Arrays.fill(row, Double.NEGATIVE_INFINITY);
      }
      boolean[][] done = new boolean[k][maxModes];
      for (int it = 0; it < MAX_ITERATIONS; it++) {
        GaussianMixture1D[][] cur = new GaussianMixture1D[k][];
        double[][] zero = new double[k * maxModes][];
        for (int j = 0; j < k; j++) {
          cur[j] = g[j].clone();
          for (int m = 0; m < maxModes; m++) {
            zero[j * maxModes + m] = new double[cur[j][m].statsLength()];
          }
        }
        int modes = maxModes;
        // One pass over the data updates every column's fits of every mode count.
        double[][] sums =
            values.treeAggregate(
                zero,
                (acc, v) -> {
                  double[] scratch = new double[modes];
                  for (int j = 0; j < v.length; j++) {
                    if (!Double.isNaN(v[j])) {
                      for (int m = 0; m < modes; m++) {
                        cur[j][m].accumulate(v[j], acc[j * modes + m], scratch);
                      }
                    }
                  }
                  return acc;
                },
                (a, b) -> {
                  for (int j = 0; j < a.length; j++) {
                    for (int i = 0; i < a[j].length; i++) {
                      a[j][i] += b[j][i];
                    }
                  }
                  return a;
                });
        boolean all = true;
        for (int j = 0; j < k; j++) {
          double n = fitted[j];
          for (int m = 0; m < maxModes; m++) {
            if (done[j][m]) {
              continue;
            }
            double[] st = sums[j * maxModes + m];
            ll[j][m] = st[st.length - 1];
            g[j][m] = cur[j][m].mStep(st, minStd[j]);
            done[j][m] = Math.abs(ll[j][m] / n - lastLl[j][m]) < TOLERANCE;
            lastLl[j][m] = ll[j][m] / n;
            all &= done[j][m];
          }
        }
        if (all) {
          break;
        }
      }
    } finally {
      values.unpersist(false);
    }
    GaussianMixture1D[] chosen = new GaussianMixture1D[k];
    for (int j = 0; j < k; j++) {
      long n = fitted[j];
      double best = Double.POSITIVE_INFINITY;
      for (int m = 0; m < maxModes; m++) {
        double bic = g[j][m].bic(ll[j][m], n);
        if (bic < best) {
          best = bic;
          chosen[j] = g[j][m];
        }
      }
    }
    for (int j = 0; j < k; j++) {
      GaussianMixture1D p = chosen[j].pruned(weightThreshold);
      models.put(
          cont.get(j),
          ColumnModel.continuous(
              specs.get(cont.get(j)),
              ColumnModel.Continuous.of(p, lo[j], hi[j], nulls[j], points[j])));
    }
  }

  private static Object[] box(double[] values) {
    return java.util.Arrays.stream(values).boxed().toArray();
  }
}
