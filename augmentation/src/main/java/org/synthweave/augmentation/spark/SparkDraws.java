package org.synthweave.augmentation.spark;

import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * Random numbers as built-in Spark SQL expressions, so that every value is a pure function of (run
 * seed, key columns, op index, copy, draw) — the same on any partitioning and on a rerun — and
 * stays RAPIDS-friendly (no {@code rand()}, no UDF).
 *
 * <p>A uniform is the top 53 bits of {@code xxhash64(seed, keys..., op, draw)} mapped to the open
 * interval (0, 1); a Gaussian is Box–Muller over two such uniforms.
 */
final class SparkDraws {
  private static final double TWO_POW_53 = 9007199254740992.0;

  private final long seed;
  private final List<Column> keys;

  /**
   * @param seed the run seed
   * @param keys the columns a draw depends on besides op and draw, e.g. source id and copy
   */
  SparkDraws(long seed, Column... keys) {
    this.seed = seed;
    this.keys = List.of(keys);
  }

  /** Uniform in (0, 1) for draw {@code draw} of op {@code op}. */
  Column uniform(int op, int draw) {
    return uniform(op, lit(draw));
  }

  /** Uniform in (0, 1) where the draw number is itself an expression (e.g. a knot index). */
  Column uniform(int op, Column draw) {
    List<Column> parts = new ArrayList<>();
    parts.add(lit(seed));
    parts.addAll(keys);
    parts.add(lit(op));
    parts.add(draw.cast("long"));
    Column h = xxhash64(parts.toArray(Column[]::new));
    return shiftrightunsigned(h, 11).cast("double").plus(lit(0.5)).divide(lit(TWO_POW_53));
  }

  /** Standard normal for draw {@code draw} (uses uniforms 2 x draw and 2 x draw + 1). */
  Column gaussian(int op, int draw) {
    return gaussian(op, lit((long) draw));
  }

  /** Standard normal where the draw number is an expression. */
  Column gaussian(int op, Column draw) {
    Column d = draw.cast("long").multiply(2);
    Column u1 = uniform(op, d);
    Column u2 = uniform(op, d.plus(1));
    return sqrt(log(u1).multiply(-2.0)).multiply(cos(u2.multiply(2 * Math.PI)));
  }

  /** Whole number uniform in [0, n) for a positive expression {@code n}. */
  Column below(int op, int draw, Column n) {
    return least(floor(uniform(op, draw).multiply(n)), n.minus(1)).cast("long");
  }
}
