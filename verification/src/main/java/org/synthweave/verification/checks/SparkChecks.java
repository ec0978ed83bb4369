package org.synthweave.verification.checks;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.synthweave.core.spark.Columns;
import org.synthweave.verification.synthetic.SyntheticConfig;
import org.synthweave.verification.synthetic.SyntheticEvaluator;
import org.synthweave.verification.synthetic.SyntheticReport;

/**
 * Computes the checks of a table in one scan (Deequ's analyzer idea): every {@link Aggregate} of
 * every check becomes one aggregate expression and a single {@code agg} evaluates them all, instead
 * of one Spark job per check. Columns are referred to through {@link Columns#col}, so any name
 * works; no user text reaches SQL.
 */
public final class SparkChecks {
  private SparkChecks() {}

  /** Each top-level column's type name (Spark's {@code simpleString}), in schema order. */
  public static Map<String, String> types(StructType schema) {
    Map<String, String> types = new LinkedHashMap<>();
    for (StructField f : schema.fields()) {
      types.put(f.name(), f.dataType().simpleString());
    }
    return types;
  }

  /**
   * Checks {@code checks} against {@code df}: the columns are validated first (a configuration
   * error before any data is read), then every metric comes from one aggregation.
   */
  public static List<CheckResult> run(Dataset<Row> df, DatasetChecks checks) {
    Map<String, String> types = types(df.schema());
    checks.requireColumns(types);
    return checks.evaluate(new Measurements(measure(df, checks.aggregates()), types));
  }

  /**
   * The results of {@code check} on the synthetic table {@code synthetic}: {@code
   * evaluate-synthetic}'s evaluator compares it with {@code real} (and {@code holdout}, or a split
   * of {@code real} when null) under {@code config}'s settings, without the baseline, whose figures
   * no check reads.
   */
  public static List<CheckResult> runSynthetic(
      Dataset<Row> real,
      Dataset<Row> holdout,
      Dataset<Row> synthetic,
      SyntheticCheck check,
      SyntheticConfig config) {
    SyntheticEvaluator evaluator = new SyntheticEvaluator(config.options().withoutBaseline());
    SyntheticReport report =
        evaluator.evaluate(real, holdout, config.holdoutFraction(), synthetic, check.target());
    return check.evaluate(report);
  }

  /**
   * The values of {@code aggregates} over {@code df}, all from one {@code agg} (one Spark job, or
   * two stages when exact distinct counts need a shuffle); null where an aggregate has no value.
   */
  public static Map<Aggregate, Double> measure(Dataset<Row> df, List<Aggregate> aggregates) {
    Map<Aggregate, Double> out = new LinkedHashMap<>();
    if (aggregates.isEmpty()) {
      return out;
    }
    Column[] exprs = new Column[aggregates.size()];
    for (int i = 0; i < exprs.length; i++) {
      exprs[i] = expression(aggregates.get(i)).cast(DataTypes.DoubleType).as("m" + i);
    }
    Row r = df.agg(exprs[0], Arrays.copyOfRange(exprs, 1, exprs.length)).first();
    for (int i = 0; i < exprs.length; i++) {
      out.put(aggregates.get(i), r.isNullAt(i) ? null : r.getDouble(i));
    }
    return out;
  }

  /**
   * The aggregate expression of {@code a}. Distinct counts are exact ({@code count(DISTINCT)}): an
   * approximate count (HyperLogLog, about 2% error) cannot tell one duplicate id from none.
   */
  static Column expression(Aggregate a) {
    return switch (a.op()) {
      case ROWS -> count(lit(1));
      case NON_NULL -> count(Columns.col(a.column()));
      case DISTINCT -> countDistinct(Columns.col(a.column()));
      case MIN -> min(Columns.col(a.column()));
      case MAX -> max(Columns.col(a.column()));
      case OUT_OF_DOMAIN -> {
        Column c = Columns.col(a.column());
        Column text = c.cast(DataTypes.StringType);
        yield sum(when(c.isNotNull().and(not(text.isin(a.values().toArray()))), 1L).otherwise(0L));
      }
    };
  }
}
