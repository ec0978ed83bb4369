package org.synthweave.synthesis.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.synthweave.synthesis.SynthesisErrors;
import org.synthweave.synthesis.copula.GaussianCopula;
import org.synthweave.synthesis.copula.Marginal;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.Seeds;

/**
 * Fits the Gaussian copula on Spark: numeric marginals from approximate quantiles (relative error
 * 1e-4) and null shares, category counts by group-by, then the normal scores' correlation matrix as
 * one {@code treeAggregate} of mergeable sums.
 */
public final class SparkCopulaFit {
  private SparkCopulaFit() {}

  public static GaussianCopula fit(Dataset<Row> rows, List<ColumnSpec> specs, long seed) {
    List<String> numeric = new ArrayList<>();
    List<Column> counts = new ArrayList<>();
    for (ColumnSpec s : specs) {
      if (s.kind() == ColumnSpec.Kind.CONTINUOUS) {
        numeric.add(s.name());
        counts.add(count(col(SparkTableSpecs.quote(s.name()))));
      }
    }
    counts.add(count("*"));
    Row c =
        rows.agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new)).first();
    long total = c.getLong(numeric.size());
    double[] probs = new double[GaussianCopula.KNOTS];
    for (int i = 0; i < probs.length; i++) {
      probs[i] = (double) i / (probs.length - 1);
    }
    double[][] knots =
        numeric.isEmpty()
            ? new double[0][]
            : SparkTableSpecs.approxQuantile(rows, numeric, probs, 1e-4);
    List<Marginal> ms = new ArrayList<>();
    int n = 0;
    for (ColumnSpec s : specs) {
      if (s.kind() == ColumnSpec.Kind.CONTINUOUS) {
        long present = c.getLong(n);
        if (present == 0) {
          throw SynthesisErrors.allNull(s.name());
        }
        ms.add(Marginal.continuous(s, knots[n], 1 - (double) present / total));
        n++;
      } else {
        Map<String, Long> byCat = new HashMap<>();
        for (Row r : rows.groupBy(col(SparkTableSpecs.quote(s.name()))).count().collectAsList()) {
          byCat.put(r.isNullAt(0) ? null : r.getString(0), r.getLong(1));
        }
        var cat = DataTransformer.categorical(byCat);
        ms.add(Marginal.categorical(s, cat.categories(), cat.counts()));
      }
    }
    int k = ms.size();
    GaussianCopula.CorrelationStats stats =
        rows.javaRDD()
            .mapPartitionsWithIndex(
                (Integer p, java.util.Iterator<Row> it) -> {
                  GaussianCopula.CorrelationStats local = new GaussianCopula.CorrelationStats(k);
                  SplittableRandom rnd = new SplittableRandom(Seeds.mix(seed, 0x636f70L, p));
                  while (it.hasNext()) {
                    local.add(ms, SparkTableSpecs.values(it.next(), specs), rnd);
                  }
                  return List.of(local).iterator();
                },
                true)
            .treeReduce(GaussianCopula.CorrelationStats::merge);
    return new GaussianCopula(ms, stats.correlation());
  }
}
