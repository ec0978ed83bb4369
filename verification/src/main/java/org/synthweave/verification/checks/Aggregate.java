package org.synthweave.verification.checks;

import java.util.List;

/**
 * One value a check needs from a table, named without an engine: the row count, a column's non-null
 * count, distinct count, minimum or maximum, or its count of values outside a domain. Equal
 * aggregates of different checks are computed once.
 *
 * @param op what to compute
 * @param column the column; empty for {@link Op#ROWS}
 * @param values the domain for {@link Op#OUT_OF_DOMAIN}, else empty
 */
public record Aggregate(Op op, String column, List<String> values) {
  /** The kinds of aggregate. */
  public enum Op {
    ROWS,
    NON_NULL,
    DISTINCT,
    MIN,
    MAX,
    OUT_OF_DOMAIN
  }

  public Aggregate {
    values = List.copyOf(values);
  }

  static Aggregate rows() {
    return new Aggregate(Op.ROWS, "", List.of());
  }

  static Aggregate of(Op op, String column) {
    return new Aggregate(op, column, List.of());
  }
}
