package org.synthweave.verification.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One declared check of a table: the aggregates it needs and the rule its metrics must meet. Rules
 * are evaluated here, engine-free, so a buyer's verifier can recompute them from the files.
 */
public sealed interface Check {
  /** The check's name as written in the configuration, e.g. {@code complete}. */
  String kind();

  /** The column it looks at; empty for table-level checks. */
  String column();

  /** The aggregates {@link #evaluate} reads. */
  List<Aggregate> aggregates();

  /** This check's results, one per metric. */
  List<CheckResult> evaluate(Measurements m);

  /** Row count within {@code [min, max]}. */
  record Rows(long min, long max) implements Check {
    @Override
    public String kind() {
      return "rows";
    }

    @Override
    public String column() {
      return "";
    }

    @Override
    public List<Aggregate> aggregates() {
      return List.of(Aggregate.rows());
    }

    @Override
    public List<CheckResult> evaluate(Measurements m) {
      double n = m.value(Aggregate.rows());
      String rule = max == Long.MAX_VALUE ? ">= " + min : "in [" + min + ", " + max + "]";
      return List.of(CheckResult.of(kind(), "", "count", rule, n, n >= min && n <= max));
    }
  }

  /** The column exists with the given type (Spark's type name, aliases such as long allowed). */
  record ColumnType(String column, String type) implements Check {
    @Override
    public String kind() {
      return "columns";
    }

    @Override
    public List<Aggregate> aggregates() {
      return List.of();
    }

    @Override
    public List<CheckResult> evaluate(Measurements m) {
      String actual = m.types().get(column);
      String expected = normalType(type);
      boolean pass = actual != null && (expected.isEmpty() || expected.equals(actual));
      String rule = expected.isEmpty() ? "present" : "= " + expected;
      return List.of(
          new CheckResult(
              kind(), column, "type", rule, Double.NaN, actual == null ? "missing" : actual, pass));
    }
  }

  /** Share of non-null values at least {@code min}; an empty table is complete. */
  record Complete(String column, double min) implements Check {
    @Override
    public String kind() {
      return "complete";
    }

    @Override
    public List<Aggregate> aggregates() {
      return List.of(Aggregate.rows(), Aggregate.of(Aggregate.Op.NON_NULL, column));
    }

    @Override
    public List<CheckResult> evaluate(Measurements m) {
      double rows = m.value(Aggregate.rows());
      double share = rows == 0 ? 1.0 : m.value(aggregates().get(1)) / rows;
      return List.of(
          CheckResult.of(kind(), column, "completeness", ">= " + num(min), share, share >= min));
    }
  }

  /**
   * Every row holds a distinct non-null value: exact distinct count equal to the row count (an
   * approximate count could miss one duplicate id, which is what the check is for).
   */
  record Unique(String column) implements Check {
    @Override
    public String kind() {
      return "unique";
    }

    @Override
    public List<Aggregate> aggregates() {
      return List.of(Aggregate.rows(), Aggregate.of(Aggregate.Op.DISTINCT, column));
    }

    @Override
    public List<CheckResult> evaluate(Measurements m) {
      double rows = m.value(Aggregate.rows());
      double ratio = rows == 0 ? 1.0 : m.value(aggregates().get(1)) / rows;
      return List.of(CheckResult.of(kind(), column, "distinct_ratio", "= 1", ratio, ratio == 1.0));
    }
  }

  /**
   * Non-null values within {@code [min, max]} (NaN for an open side). NaN values fail: Spark orders
   * NaN above every number, so the maximum becomes NaN.
   */
  record Range(String column, double min, double max) implements Check {
    @Override
    public String kind() {
      return "range";
    }

    @Override
    public List<Aggregate> aggregates() {
      List<Aggregate> a = new ArrayList<>();
      if (!Double.isNaN(min)) {
        a.add(Aggregate.of(Aggregate.Op.MIN, column));
      }
      if (!Double.isNaN(max)) {
        a.add(Aggregate.of(Aggregate.Op.MAX, column));
      }
      return a;
    }

    @Override
    public List<CheckResult> evaluate(Measurements m) {
      List<CheckResult> out = new ArrayList<>();
      if (!Double.isNaN(min)) {
        Double v = m.value(Aggregate.of(Aggregate.Op.MIN, column));
        // No non-null value: nothing lies outside the range.
        boolean pass = v == null || v >= min;
        out.add(
            CheckResult.of(
                kind(), column, "min", ">= " + num(min), v == null ? Double.NaN : v, pass));
      }
      if (!Double.isNaN(max)) {
        Double v = m.value(Aggregate.of(Aggregate.Op.MAX, column));
        boolean pass = v == null || v <= max;
        out.add(
            CheckResult.of(
                kind(), column, "max", "<= " + num(max), v == null ? Double.NaN : v, pass));
      }
      return out;
    }
  }

  /** Every non-null value, as text, is one of {@code values}. */
  record Domain(String column, List<String> values) implements Check {
    public Domain {
      values = List.copyOf(values);
    }

    @Override
    public String kind() {
      return "domain";
    }

    @Override
    public List<Aggregate> aggregates() {
      return List.of(new Aggregate(Aggregate.Op.OUT_OF_DOMAIN, column, values));
    }

    @Override
    public List<CheckResult> evaluate(Measurements m) {
      Double o = m.value(aggregates().get(0));
      double outside = o == null ? 0 : o; // a sum over no rows is null
      return List.of(
          CheckResult.of(
              kind(), column, "outside_domain", "= 0 (in " + values + ")", outside, outside == 0));
    }
  }

  /** Spark's name for a type, from a user's name or alias: long is bigint, integer is int. */
  static String normalType(String type) {
    String t = type.trim().toLowerCase(Locale.ROOT).replace(" ", "");
    return ALIASES.getOrDefault(t, t);
  }

  /** Whether a Spark type name is numeric (range checks need one). */
  static boolean isNumeric(String sparkType) {
    return List.of("tinyint", "smallint", "int", "bigint", "float", "double").contains(sparkType)
        || sparkType.startsWith("decimal");
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%s", v);
  }

  Map<String, String> ALIASES =
      Map.of(
          "long", "bigint",
          "integer", "int",
          "short", "smallint",
          "byte", "tinyint",
          "bool", "boolean",
          "str", "string");
}
