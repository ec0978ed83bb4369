package org.synthweave.augmentation.spark;

import static org.apache.spark.sql.functions.asin;
import static org.apache.spark.sql.functions.atan2;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.degrees;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.radians;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.sqrt;
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
      case GPS_PERTURB -> {
        rows = gpsPerturb(ctx, op, rows.drop("_aug_t0", "_aug_t1"), ms, perSeries);
        return ctx.constraints()
            .enforce(rows, op, List.of(ctx.spec().lat(), ctx.spec().lon()), List.of());
      }
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

  /** Mean Earth radius in metres (IUGG), the sphere all distances of gps-perturb are on. */
  static final double EARTH_RADIUS_M = 6_371_008.8;

  /**
   * GPS track perturbation. Every fix of a series copy is moved by a rotation of the sphere {@code
   * Rz(a) . Re(b)}: {@code Re} turns about the east axis at the series' first fix (moves points
   * north/south), {@code Rz} about the polar axis (adds {@code a} to the longitude). The rotation
   * angles (a, b) follow a smooth random curve: knots with values uniform in the diamond |x| + |y|
   * <= 1, cosine-interpolated, times an amplitude A (radians). Two guarantees follow from the
   * geometry, not from a check:
   *
   * <ul>
   *   <li>Bounded radius: a rotation by angles (a, b) moves a point along the sphere by at most
   *       R(|a| + |b|) <= R A <= radius.
   *   <li>Plausible speed: between fixes i-1 and i the perturbed distance is at most the original
   *       distance d plus R times the angle of R_i R_{i-1}^-1, which is at most R(|da| + |db|). The
   *       curve is not run on clock time but on a "budget clock": step i may add b = max(v, vmax)
   *       dt - d metres (zero where the original speed is already at or over max-speed), tau is the
   *       running sum of b over the series' total B, and the curve's L1 slope is at most pi x knots
   *       per unit tau, so with A R = min(radius, B / (pi knots)) every step adds at most b. Hence
   *       the implied speed never exceeds max(original speed, max-speed).
   * </ul>
   *
   * A fix without a valid position (null, NaN or outside [-90, 90] x [-180, 180]) is rejected with
   * reason {@code invalid_position} and adds no budget.
   */
  private static Dataset<Row> gpsPerturb(
      AugmentContext ctx, OpSpec op, Dataset<Row> rows, Column ms, SparkDraws perSeries) {
    String lat = ctx.spec().lat();
    String lon = ctx.spec().lon();
    if (lat.isEmpty() || lon.isEmpty()) {
      throw AugmentationErrors.badParameter(
          ctx.spec().name(),
          op.op().id(),
          lat.isEmpty() ? "lat" : "lon",
          "",
          "gps-perturb needs the dataset's lat and lon columns: set augment.dataset."
              + ctx.spec().name()
              + ".lat and .lon");
    }
    double radius = op.number("radius", 0, 1_000_000);
    double maxSpeed = op.number("max-speed", 0, 100_000);
    int knots = op.whole("knots", 1, 1000);
    WindowSpec ordered =
        Window.partitionBy(col(q(ctx.spec().series())), col(SparkAugmentation.COPY))
            .orderBy(col(q(ctx.spec().time())), col(SparkAugmentation.SOURCE_ID));
    WindowSpec running = ordered.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    WindowSpec whole =
        ordered.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    Column latD = col(q(lat)).cast("double");
    Column lonD = col(q(lon)).cast("double");
    Column valid =
        coalesce(
            latD.between(-90, 90)
                .and(lonD.between(-180, 180))
                .and(isnan(latD).or(isnan(lonD)).unary_$bang()),
            lit(false));
    rows =
        rows.withColumn("_aug_g_phi", when(valid, radians(latD)))
            .withColumn("_aug_g_lam", when(valid, radians(lonD)))
            .withColumn("_aug_g_ms", ms);
    Column phi = col("_aug_g_phi");
    Column lam = col("_aug_g_lam");
    Column pPhi = lag(phi, 1).over(ordered);
    Column pLam = lag(lam, 1).over(ordered);
    Column dt = col("_aug_g_ms").minus(lag(col("_aug_g_ms"), 1).over(ordered)).divide(1000.0);
    // Original step length (haversine) and the most the step may become: max(v, vmax) x dt.
    Column h =
        pow(sin(phi.minus(pPhi).divide(2)), 2)
            .plus(cos(phi).multiply(cos(pPhi)).multiply(pow(sin(lam.minus(pLam).divide(2)), 2)));
    Column dist = asin(sqrt(least(h, lit(1.0)))).multiply(2 * EARTH_RADIUS_M);
    rows = rows.withColumn("_aug_g_dist", dist).withColumn("_aug_g_dt", dt);
    Column allowed = greatest(col("_aug_g_dist"), col("_aug_g_dt").multiply(maxSpeed));
    // The factor leaves room for rounding in the trigonometry (1e-6 of the slack, < 1 mm).
    Column budget =
        coalesce(
            greatest(allowed.minus(col("_aug_g_dist")), lit(0.0)).multiply(1 - 1e-6), lit(0.0));
    rows = rows.withColumn("_aug_g_budget", budget);
    rows =
        rows.withColumn("_aug_g_bcum", sum(col("_aug_g_budget")).over(running))
            .withColumn("_aug_g_btot", sum(col("_aug_g_budget")).over(whole))
            .withColumn("_aug_g_lam0", first(lam, true).over(whole));
    Column total = col("_aug_g_btot");
    Column tau =
        when(total.gt(0), least(col("_aug_g_bcum").divide(total), lit(1.0))).otherwise(lit(0.0));
    Column amplitude = least(lit(radius), total.divide(Math.PI * knots)).divide(EARTH_RADIUS_M);
    rows = rows.withColumn("_aug_g_tau", tau).withColumn("_aug_g_amp", amplitude);
    // Knot j: (x, y) = (u + v - 1, u - v) for u, v uniform in (0, 1): |x| + |y| <= 1.
    Column pos = col("_aug_g_tau").multiply(knots);
    Column j = least(floor(pos), lit(knots - 1));
    rows =
        rows.withColumn("_aug_g_j", j.cast("long"))
            .withColumn("_aug_g_w", lit(1.0).minus(cos(pos.minus(j).multiply(Math.PI))).divide(2));
    Column k = col("_aug_g_j");
    for (int e = 0; e < 2; e++) {
      Column knot = k.plus(e).multiply(2);
      rows =
          rows.withColumn("_aug_g_u" + e, perSeries.uniform(op.index(), knot))
              .withColumn("_aug_g_v" + e, perSeries.uniform(op.index(), knot.plus(1)));
    }
    Column w = col("_aug_g_w");
    Column x0 = col("_aug_g_u0").plus(col("_aug_g_v0")).minus(1);
    Column x1 = col("_aug_g_u1").plus(col("_aug_g_v1")).minus(1);
    Column y0 = col("_aug_g_u0").minus(col("_aug_g_v0"));
    Column y1 = col("_aug_g_u1").minus(col("_aug_g_v1"));
    rows =
        rows.withColumn(
                "_aug_g_ra",
                col("_aug_g_amp").multiply(x0.multiply(lit(1.0).minus(w)).plus(x1.multiply(w))))
            .withColumn(
                "_aug_g_rb",
                col("_aug_g_amp").multiply(y0.multiply(lit(1.0).minus(w)).plus(y1.multiply(w))));
    // In a frame turned by -lam0 about the pole, the east axis at the first fix is the y axis.
    Column mu = lam.minus(col("_aug_g_lam0"));
    Column cx = cos(phi).multiply(cos(mu));
    Column cy = cos(phi).multiply(sin(mu));
    Column cz = sin(phi);
    Column b = col("_aug_g_rb");
    Column rx = cx.multiply(cos(b)).plus(cz.multiply(sin(b)));
    Column rz = cz.multiply(cos(b)).minus(cx.multiply(sin(b)));
    Column newLat = degrees(asin(greatest(least(rz, lit(1.0)), lit(-1.0))));
    Column newLon = degrees(atan2(cy, rx).plus(col("_aug_g_lam0")).plus(col("_aug_g_ra")));
    Column wrapped = pmod(newLon.plus(180.0), lit(360.0)).minus(180.0);
    rows =
        SparkConstraints.flag(rows, valid.unary_$bang(), "invalid_position", lat, lit(op.op().id()))
            .withColumn(lat, when(valid, newLat).otherwise(latD))
            .withColumn(lon, when(valid, wrapped).otherwise(lonD));
    return SparkTabularOps.dropInternal(rows, "_aug_g_");
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
