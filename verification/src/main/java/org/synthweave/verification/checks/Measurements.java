package org.synthweave.verification.checks;

import java.util.Map;

/**
 * What a table gave: the value of each {@link Aggregate} (null where the aggregate has none, e.g.
 * the minimum of a column holding only nulls) and each column's type name (Spark's {@code
 * simpleString}: {@code double}, {@code bigint}, {@code string}, ...).
 */
public record Measurements(Map<Aggregate, Double> values, Map<String, String> types) {
  /** The value of {@code a}; null when the table gave none. */
  Double value(Aggregate a) {
    if (!values.containsKey(a)) {
      throw new IllegalStateException("aggregate not computed: " + a);
    }
    return values.get(a);
  }
}
