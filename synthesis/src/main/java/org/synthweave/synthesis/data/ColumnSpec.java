package org.synthweave.synthesis.data;

import java.io.Serializable;
import java.util.List;

/**
 * One modelled column: its name, how it is modelled, and the Spark SQL type name ({@code int},
 * {@code double}, {@code string}, {@code boolean}, ...) that sampled values are cast back to.
 * Continuous values travel as {@link Double}, categorical ones as {@link String}; null is a value.
 * {@code ratioOf} is empty, or the factor columns of a {@link Relation}: then the modelled values
 * are the column's ratio to their product, and sampling multiplies the product back.
 */
public record ColumnSpec(String name, Kind kind, String sqlType, List<String> ratioOf)
    implements Serializable {
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
    // Model files written before relations existed have no ratioOf.
    ratioOf = ratioOf == null ? List.of() : List.copyOf(ratioOf);
    if (!ratioOf.isEmpty() && kind != Kind.CONTINUOUS) {
      throw new IllegalArgumentException(
          "column " + name + " is a ratio, so it must be continuous");
    }
  }

  /** A column modelled as itself. */
  public ColumnSpec(String name, Kind kind, String sqlType) {
    this(name, kind, sqlType, List.of());
  }

  /**
   * Whether the modelled values are whole numbers, rounded when decoded: an integral SQL type, and
   * not a ratio (whose target is rounded after the product is multiplied back).
   */
  public boolean integral() {
    return integralType() && ratioOf.isEmpty();
  }

  /** Whether the SQL type is integral. */
  public boolean integralType() {
    return switch (sqlType) {
      case "tinyint", "smallint", "int", "bigint", "byte", "short", "integer", "long" -> true;
      default -> false;
    };
  }
}
