package org.synthweave.verification.synthetic;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.synthweave.verification.synthetic.EvaluatedColumns.Kind;
import org.synthweave.verification.synthetic.EvaluatedColumns.Spec;

/**
 * Privacy figures: distance to the closest record (DCR) and exact copies of training rows.
 *
 * <p>The distance is Gower's: the mean over the evaluated columns of a per-column distance in [0,
 * 1] — for a number |x − y| divided by the real training range (capped at 1), for a category 0 if
 * equal and 1 if not; two missing values are equal, a missing and a present value are 1 apart. DCR
 * of a row is its smallest distance to any real training row.
 *
 * <p>Cost: an exact nearest-neighbour search, a cross join of up to {@code dcrMaxRows} sampled
 * query rows (synthetic, and again real holdout) with all training rows, aggregated by {@code min}
 * per query row: {@code dcrMaxRows × trainRows × columns} distance terms, spread over all tasks
 * (Spark broadcasts the smaller side or runs a blocked cartesian product). The medians are over the
 * sample; raise {@code dcrMaxRows} for tighter medians.
 *
 * <p>Exact copies: a left-semi join of all synthetic rows with the distinct training rows on every
 * evaluated column (null-safe equality), so its cost is that of one hash join.
 */
final class SparkPrivacy {
  private SparkPrivacy() {}

  record Dcr(double syntheticMedian, double holdoutMedian, double ratio) {}

  static Dcr dcr(
      EvaluatedColumns columns,
      Dataset<Row> train,
      Dataset<Row> holdout,
      long holdoutRows,
      Dataset<Row> synthetic,
      long syntheticRows,
      int maxRows,
      long seed) {
    List<Spec> numeric = columns.numeric();
    double[] width = new double[columns.all.size()];
    if (!numeric.isEmpty()) {
      List<Column> aggs = new ArrayList<>();
      for (Spec s : numeric) {
        aggs.add(max(s.internal()).minus(min(s.internal())));
      }
      Row r = train.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
      for (int k = 0; k < numeric.size(); k++) {
        width[numeric.get(k).index()] = r.isNullAt(k) ? 0.0 : r.getDouble(k);
      }
    }
    Dataset<Row> reference = prefixed(train, columns, "t_");
    double syn =
        medianDcr(columns, sample(synthetic, syntheticRows, maxRows, seed), reference, width);
    double hold = medianDcr(columns, sample(holdout, holdoutRows, maxRows, seed), reference, width);
    double ratio = hold > 0 ? syn / hold : Double.NaN;
    return new Dcr(syn, hold, ratio);
  }

  private static Dataset<Row> sample(Dataset<Row> table, long rows, int maxRows, long seed) {
    if (rows <= maxRows) {
      return table;
    }
    return table.sample(false, Math.min(1.0, maxRows * 1.05 / rows), seed).limit(maxRows);
  }

  private static Dataset<Row> prefixed(Dataset<Row> table, EvaluatedColumns columns, String p) {
    return table.select(
        columns.all.stream()
            .map(s -> col(s.internal()).as(p + s.internal()))
            .toArray(Column[]::new));
  }

  /** The Gower distance of a query row (q_ columns) to a training row (t_ columns). */
  static Column gower(EvaluatedColumns columns, double[] width) {
    Column sum = lit(0.0);
    for (Spec s : columns.all) {
      Column q = col("q_" + s.internal());
      Column t = col("t_" + s.internal());
      Column term;
      if (s.kind() == Kind.NUMERIC && width[s.index()] > 0) {
        term =
            when(q.isNull().and(t.isNull()), lit(0.0))
                .when(q.isNull().or(t.isNull()), lit(1.0))
                .otherwise(least(abs(q.minus(t)).divide(width[s.index()]), lit(1.0)));
      } else {
        term = when(q.eqNullSafe(t), lit(0.0)).otherwise(lit(1.0));
      }
      sum = sum.plus(term);
    }
    return sum.divide((double) columns.all.size());
  }

  private static double medianDcr(
      EvaluatedColumns columns, Dataset<Row> queries, Dataset<Row> reference, double[] width) {
    Dataset<Row> q =
        prefixed(queries, columns, "q_")
            .withColumn("__qid", monotonically_increasing_id())
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Row r =
          q.crossJoin(reference)
              .groupBy("__qid")
              .agg(min(gower(columns, width)).as("dcr"))
              .agg(median(col("dcr")))
              .first();
      return r.isNullAt(0) ? Double.NaN : r.getDouble(0);
    } finally {
      q.unpersist();
    }
  }

  /** Share of synthetic rows equal, column by column, to some training row. */
  static double exactCopyRate(
      EvaluatedColumns columns, Dataset<Row> train, Dataset<Row> synthetic, long syntheticRows) {
    Dataset<Row> t = prefixed(train, columns, "t_").distinct();
    Dataset<Row> s = prefixed(synthetic, columns, "q_");
    Column on = lit(true);
    for (Spec spec : columns.all) {
      on = on.and(col("q_" + spec.internal()).eqNullSafe(col("t_" + spec.internal())));
    }
    long copies = s.join(t, on, "left_semi").count();
    return syntheticRows == 0 ? Double.NaN : (double) copies / syntheticRows;
  }
}
