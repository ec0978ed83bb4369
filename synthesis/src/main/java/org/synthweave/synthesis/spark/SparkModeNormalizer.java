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
 * for continuous columns range and null counts in one aggregation, starting means at approximate
 * quantiles, then EM where each iteration is one {@code treeAggregate} of every continuous column's
 * sufficient statistics (3 numbers per mode) over the partitions.
 */
public final class SparkModeNormalizer {
  static final int MAX_ITERATIONS = 100;
  static final double TOLERANCE = 1e-4;

  private SparkModeNormalizer() {}

  public static DataTransformer fit(
      Dataset<Row> rows, List<ColumnSpec> specs, int maxModes, double weightThreshold) {
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
      fitContinuous(rows, specs, cont, maxModes, weightThreshold, models);
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
      Map<Integer, ColumnModel> models) {
    int k = cont.size();
    List<Column> aggs = new ArrayList<>();
    String[] names = new String[k];
    for (int j = 0; j < k; j++) {
      String q = SparkTableSpecs.quote(specs.get(cont.get(j)).name());
      names[j] = specs.get(cont.get(j)).name();
      aggs.add(min(col(q)));
      aggs.add(max(col(q)));
      aggs.add(count(col(q)));
    }
    aggs.add(count("*"));
    Row stats = rows.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    long total = stats.getLong(3 * k);
    double[] probs = new double[maxModes];
    for (int m = 0; m < maxModes; m++) {
      probs[m] = (m + 0.5) / maxModes;
    }
    double[][] quantiles = rows.stat().approxQuantile(names, probs, 1e-3);
    GaussianMixture1D[] g = new GaussianMixture1D[k];
    double[] minStd = new double[k];
    double[] lo = new double[k];
    double[] hi = new double[k];
    long[] nulls = new long[k];
    for (int j = 0; j < k; j++) {
      if (stats.getLong(3 * j + 2) == 0) {
        throw SynthesisErrors.allNull(names[j]);
      }
      lo[j] = ((Number) stats.get(3 * j)).doubleValue();
      hi[j] = ((Number) stats.get(3 * j + 1)).doubleValue();
      nulls[j] = total - stats.getLong(3 * j + 2);
      minStd[j] = hi[j] > lo[j] ? (hi[j] - lo[j]) * 1e-3 : 1e-6;
      g[j] = GaussianMixture1D.initial(quantiles[j], maxModes, minStd[j]);
    }
    int[] idx = cont.stream().mapToInt(Integer::intValue).toArray();
    JavaRDD<double[]> values =
        rows.javaRDD()
            .map(
                r -> {
                  double[] v = new double[idx.length];
                  for (int j = 0; j < idx.length; j++) {
                    v[j] = r.isNullAt(idx[j]) ? Double.NaN : r.getDouble(idx[j]);
                  }
                  return v;
                })
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      double[] lastLl = new double[k];
      java.util.Arrays.fill(lastLl, Double.NEGATIVE_INFINITY);
      boolean[] done = new boolean[k];
      for (int it = 0; it < MAX_ITERATIONS; it++) {
        GaussianMixture1D[] cur = g.clone();
        double[][] zero = new double[k][];
        for (int j = 0; j < k; j++) {
          zero[j] = new double[cur[j].statsLength()];
        }
        double[][] sums =
            values.treeAggregate(
                zero,
                (acc, v) -> {
                  double[] scratch = new double[Math.max(16, maxModes)];
                  for (int j = 0; j < v.length; j++) {
                    if (!Double.isNaN(v[j])) {
                      cur[j].accumulate(v[j], acc[j], scratch);
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
          if (done[j]) {
            continue;
          }
          double n = total - nulls[j];
          double ll = sums[j][sums[j].length - 1] / n;
          g[j] = cur[j].mStep(sums[j], minStd[j]);
          done[j] = Math.abs(ll - lastLl[j]) < TOLERANCE;
          lastLl[j] = ll;
          all &= done[j];
        }
        if (all) {
          break;
        }
      }
    } finally {
      values.unpersist(false);
    }
    for (int j = 0; j < k; j++) {
      GaussianMixture1D p = g[j].pruned(weightThreshold);
      models.put(
          cont.get(j),
          ColumnModel.continuous(
              specs.get(cont.get(j)), ColumnModel.Continuous.of(p, lo[j], hi[j], nulls[j])));
    }
  }
}
