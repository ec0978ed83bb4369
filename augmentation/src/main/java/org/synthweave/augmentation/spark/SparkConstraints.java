package org.synthweave.augmentation.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.synthweave.augmentation.OpSpec;

/**
 * The constraints every augmented row must meet after every op: numeric bounds (declared, or
 * non-negative for a column whose real values are all >= 0), whole numbers for integer columns,
 * finite values, and categorical domains (the values seen in the real rows). An op with {@code
 * on-violation = clamp} gets its numbers clamped and rounded; with {@code reject} (and always for a
 * broken category or a non-finite number) the row is marked in {@link #VIOLATION} ({@code
 * reason:column:detail}, the first violation wins) and later goes to quarantine instead of the
 * output.
 */
final class SparkConstraints implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Column holding the first violation of a row, null while it has none. */
  static final String VIOLATION = "_aug_violation";

  private final Map<String, double[]> bounds;
  private final Set<String> integral;
  private final Map<String, List<String>> domains;

  /**
   * @param bounds per numeric column {min, max} (NaN = unbounded)
   * @param integral numeric columns of an integer type
   * @param domains per categorical column the allowed values
   */
  SparkConstraints(
      Map<String, double[]> bounds, Set<String> integral, Map<String, List<String>> domains) {
    this.bounds = Map.copyOf(bounds);
    this.integral = Set.copyOf(integral);
    this.domains = Map.copyOf(domains);
  }

  /**
   * Applies the constraints of {@code numeric} and {@code categorical} columns after {@code op}, in
   * one projection: the reasons of all columns are one CASE inside one coalesce, so the plan stays
   * linear in the number of ops.
   */
  Dataset<Row> enforce(
      Dataset<Row> rows, OpSpec op, List<String> numeric, List<String> categorical) {
    Map<String, Column> replaced = new HashMap<>();
    Column reason = null;
    for (String c : numeric) {
      Column x = col(q(c));
      double[] mm = bounds.getOrDefault(c, new double[] {Double.NaN, Double.NaN});
      if (integral.contains(c)) {
        x = round(x);
      }
      Column broken =
          isnan(x).or(x.equalTo(Double.POSITIVE_INFINITY)).or(x.equalTo(Double.NEGATIVE_INFINITY));
      reason = chain(reason, broken, lit("not_finite:" + c + ":" + op.op().id()));
      Column below = Double.isNaN(mm[0]) ? lit(false) : x.lt(mm[0]);
      Column above = Double.isNaN(mm[1]) ? lit(false) : x.gt(mm[1]);
      if (op.rejectsViolations()) {
        reason =
            chain(
                reason,
                below.or(above),
                concat(lit("out_of_range:" + c + ":" + op.op().id() + " gave "), x.cast("string")));
      } else {
        if (!Double.isNaN(mm[0])) {
          x = greatest(x, lit(mm[0]));
        }
        if (!Double.isNaN(mm[1])) {
          x = least(x, lit(mm[1]));
        }
      }
      replaced.put(c, x);
    }
    for (String c : categorical) {
      List<String> domain = domains.get(c);
      if (domain == null) {
        continue;
      }
      Column x = col(q(c));
      Column outside = x.isNotNull().and(x.isin(domain.toArray()).unary_$bang());
      reason = chain(reason, outside, lit("outside_domain:" + c + ":" + op.op().id()));
    }
    List<Column> cols = new ArrayList<>();
    for (String c : rows.columns()) {
      if (c.equals(VIOLATION)) {
        cols.add(reason == null ? col(VIOLATION) : coalesce(col(VIOLATION), reason).as(VIOLATION));
      } else if (replaced.containsKey(c)) {
        cols.add(replaced.get(c).as(c));
      } else {
        cols.add(col(q(c)));
      }
    }
    return rows.select(cols.toArray(Column[]::new));
  }

  private static Column chain(Column reason, Column broken, Column why) {
    Column b = coalesce(broken, lit(false));
    return reason == null ? when(b, why) : reason.when(b, why);
  }

  /**
   * Marks rows where {@code broken} holds with {@code reason:field:detail}, keeping an earlier
   * violation if there is one.
   */
  static Dataset<Row> flag(
      Dataset<Row> rows, Column broken, String reason, String field, Column detail) {
    Column why = concat(lit(reason + ":" + field + ":"), coalesce(detail, lit("")));
    return rows.withColumn(
        VIOLATION, coalesce(col(VIOLATION), when(coalesce(broken, lit(false)), why)));
  }

  static String q(String column) {
    return org.synthweave.core.spark.Columns.quote(column);
  }
}
