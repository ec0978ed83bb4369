package org.synthweave.verification.checks;

import java.util.Locale;

/**
 * The outcome of one metric of one check.
 *
 * @param check the check's kind, e.g. {@code complete}
 * @param column the column it looks at; empty for table-level checks ({@code rows})
 * @param metric what was measured, e.g. {@code completeness}
 * @param threshold the rule the value must meet, e.g. {@code >= 0.99}
 * @param value the measured value; {@code NaN} when there is none (a missing column)
 * @param actual the value as text where it is not a number (a column's type), else empty
 * @param pass whether the value meets the rule
 */
public record CheckResult(
    String check,
    String column,
    String metric,
    String threshold,
    double value,
    String actual,
    boolean pass) {

  static CheckResult of(
      String check, String column, String metric, String threshold, double value, boolean pass) {
    return new CheckResult(check, column, metric, threshold, value, "", pass);
  }

  /** The value as printed and stored: the text for a non-numeric one, else the number. */
  public String shownValue() {
    if (!actual.isEmpty()) {
      return actual;
    }
    if (Double.isNaN(value)) {
      return "none";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.6g", value);
  }

  /** One line for people: {@code FAIL complete(alcohol) completeness = 0.97, needs >= 0.99}. */
  public String describe() {
    return (pass ? "ok   " : "FAIL ")
        + check
        + (column.isEmpty() ? "" : "(" + column + ")")
        + " "
        + metric
        + " = "
        + shownValue()
        + ", needs "
        + threshold;
  }
}
