package org.synthweave.augmentation.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;
import static org.synthweave.augmentation.spark.SparkConstraints.q;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.synthweave.augmentation.AugmentationErrors;
import org.synthweave.augmentation.OpSpec;

/**
 * The time-series ops, per series copy (e.g. one device's readings) ordered by time, as built-in
 * Spark SQL expressions and window functions (no UDF). Smooth random curves are knots evenly spaced
 * over the series' time span whose values are hashed draws, cosine-interpolated between knots: each
 * reading computes its two neighbouring knots itself, so no curve is ever collected.
 */
final class SparkTimeSeriesOps {
  private SparkTimeSeriesOps() {}

  static Dataset<Row> apply(AugmentContext ctx, OpSpec op, Dataset<Row> rows) {
    String time = ctx.spec().time();
    if (!rows.schema().apply(time).dataType().equals(DataTypes.TimestampType)) {
      throw AugmentationErrors.wrongColumnType(
          ctx.spec().name(),
          op.op().id(),
          time,
          rows.schema().apply(time).dataType().simpleString(),
          "timestamp");
    }
    Column ms = unix_millis(col(q(time))).cast("double");
    WindowSpec series =
        Window.partitionBy(col(q(ctx.spec().series())), col(SparkAugmentation.COPY));
    rows =
        rows.withColumn("_aug_t0", min(ms).over(series))
            .withColumn("_aug_t1", max(ms).over(series));
    Column span = greatest(col("_aug_t1").minus(col("_aug_t0")), lit(1.0));
    Column tau = ms.minus(col("_aug_t0")).divide(span);
    SparkDraws perSeries =
        new SparkDraws(
            ctx.seed(), col(q(ctx.spec().series())).cast("string"), col(SparkAugmentation.COPY));
    SparkDraws perReading =
        new SparkDraws(ctx.seed(), col(SparkAugmentation.SOURCE_ID), col(SparkAugmentation.COPY));
    List<String> cols = ctx.numeric();
    switch (op.op()) {
      case JITTER -> {
        double sigma = op.number("sigma", 0, 10);
        for (int j = 0; j < cols.size(); j++) {
          String c = cols.get(j);
          double sd = sigma * ctx.std().get(c);
          rows =
              rows.withColumn(
                  c,
                  col(q(c)).cast("double").plus(perReading.gaussian(op.index(), j).multiply(sd)));
        }
      }
      case MAGNITUDE_SCALE -> {
        double sigma = op.number("sigma", 0, 10);
        for (int j = 0; j < cols.size(); j++) {
          String c = cols.get(j);
          Column factor = perSeries.gaussian(op.index(), j).multiply(sigma).plus(1);
          rows = rows.withColumn(c, col(q(c)).cast("double").multiply(factor));
        }
      }
      case MAGNITUDE_WARP -> {
        double sigma = op.number("sigma", 0, 10);
        int knots = op.whole("knots", 1, 1000);
        for (int j = 0; j < cols.size(); j++) {
          String c = cols.get(j);
          Column curve = curve(perSeries, op.index(), j, knots, tau).multiply(sigma).plus(1);
          rows = rows.withColumn(c, col(q(c)).cast("double").multiply(curve));
        }
      }
      case TIME_WARP -> rows = timeWarp(ctx, op, rows, ms, tau, span, perSeries);
      case SLICE, CROP -> {
        double fraction = op.number("fraction", 0.01, 1);
        Column start = perSeries.uniform(op.index(), 0).multiply(1 - fraction);
        Column end = start.plus(fraction);
        rows = rows.where(tau.geq(start).and(tau.leq(end)));
        if (op.op() == org.synthweave.augmentation.AugmentOp.SLICE) {
          Column stretched = col("_aug_t0").plus(tau.minus(start).divide(fraction).multiply(span));
          rows = rows.withColumn(time, timestamp_millis(round(stretched).cast("long")));
        }
      }
      default -> throw new IllegalArgumentException("not a time-series op: " + op.op());
    }
    rows = rows.drop("_aug_t0", "_aug_t1");
    return ctx.constraints().enforce(rows, op, cols, List.of());
  }

  /**
   * A smooth curve over tau in [0, 1]: knots 0..knots with N(0,1) values drawn per series copy,
   * cosine-interpolated (continuous, with continuous slope at the knots' ends of each piece).
   */
  static Column curve(SparkDraws draws, int op, int channel, int knots, Column tau) {
    Column pos = least(greatest(tau, lit(0.0)), lit(1.0)).multiply(knots);
    Column j = least(floor(pos), lit(knots - 1));
    Column f = pos.minus(j);
    Column w = lit(1.0).minus(cos(f.multiply(Math.PI))).divide(2);
    long base = (long) channel * 100_003L;
    Column v0 = draws.gaussian(op, lit(base).plus(j));
    Column v1 = draws.gaussian(op, lit(base).plus(j).plus(1));
    return v0.multiply(lit(1.0).minus(w)).plus(v1.multiply(w));
  }

  private static Dataset<Row> timeWarp(
      AugmentContext ctx,
      OpSpec op,
      Dataset<Row> rows,
      Column ms,
      Column tau,
      Column span,
      SparkDraws perSeries) {
    double sigma = op.number("sigma", 0, 3);
    int knots = op.whole("knots", 1, 1000);
    String time = ctx.spec().time();
    WindowSpec ordered =
        Window.partitionBy(col(q(ctx.spec().series())), col(SparkAugmentation.COPY))
            .orderBy(col(q(time)), col(SparkAugmentation.SOURCE_ID));
    WindowSpec running = ordered.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    WindowSpec whole =
        ordered.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    // Each gap to the previous reading is stretched by exp(sigma x curve) > 0, so the order holds;
    // the stretched gaps are rescaled to the original span, so start and end stay.
    Column gap = ms.minus(lag(ms, 1).over(ordered));
    Column factor = exp(curve(perSeries, op.index(), 0, knots, tau).multiply(sigma));
    rows =
        rows.withColumn("_aug_gap", when(gap.isNull(), lit(0.0)).otherwise(gap.multiply(factor)));
    rows =
        rows.withColumn("_aug_cum", sum(col("_aug_gap")).over(running))
            .withColumn("_aug_total", sum(col("_aug_gap")).over(whole));
    Column warped =
        col("_aug_t0")
            .plus(
                when(col("_aug_total").gt(0), col("_aug_cum").divide(col("_aug_total")))
                    .otherwise(lit(0.0))
                    .multiply(span));
    // Whole milliseconds could in principle tie two readings: such a reading is rejected. The
    // previous reading is found in the original order, so the check is not vacuous.
    rows =
        rows.withColumn("_aug_new_ms", round(warped).cast("long"))
            .withColumn("_aug_prev_ms", lag(col("_aug_new_ms"), 1).over(ordered));
    rows =
        SparkConstraints.flag(
                rows,
                col("_aug_prev_ms").isNotNull().and(col("_aug_new_ms").leq(col("_aug_prev_ms"))),
                "time_not_increasing",
                time,
                lit(op.op().id()))
            .withColumn(time, timestamp_millis(col("_aug_new_ms")));
    return rows.drop("_aug_gap", "_aug_cum", "_aug_total", "_aug_new_ms", "_aug_prev_ms");
  }
}
