package org.synthweave.synthesis.data;

import java.io.Serializable;

/**
 * One modelled column: its name, how it is modelled, and the Spark SQL type name ({@code int},
 * {@code double}, {@code string}, {@code boolean}, ...) that sampled values are cast back to.
 * Continuous values travel as {@link Double}, categorical ones as {@link String}; null is a value.
 */
public record ColumnSpec(String name, Kind kind, String sqlType) implements Serializable {
  /** How a column is modelled. */
  public enum Kind {
    CONTINUOUS,
    CATEGORICAL
  }

  public ColumnSpec {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    if (kind == null || sqlType == null) {
      throw new IllegalArgumentException("kind and sqlType must be set for column " + name);
    }
  }

  /** Integral SQL types: sampled values are rounded before the cast. */
  public boolean integral() {
    return switch (sqlType) {
      case "tinyint", "smallint", "int", "bigint", "byte", "short", "integer", "long" -> true;
      default -> false;
    };
  }
}
