package org.synthweave.ingest.telemetry;

import java.util.Locale;

/**
 * The value types a telemetry field can have, with the Java class a {@link TypedReading} holds for
 * each. The Spark adapter maps them one to one onto Spark SQL types (DOUBLE to DoubleType, LONG to
 * LongType, INT to IntegerType, BOOLEAN to BooleanType, STRING to StringType, TIMESTAMP to
 * TimestampType).
 */
public enum TelemetryFieldType {
  DOUBLE(Double.class),
  LONG(Long.class),
  INT(Integer.class),
  BOOLEAN(Boolean.class),
  STRING(String.class),
  /** Only the fixed {@code timestamp} field; held as epoch milliseconds in a {@link Long}. */
  TIMESTAMP(Long.class);

  private final Class<?> javaClass;

  TelemetryFieldType(Class<?> javaClass) {
    this.javaClass = javaClass;
  }

  /** The class of non-null values of this type inside a {@link TypedReading}. */
  public Class<?> javaClass() {
    return javaClass;
  }

  /** The name used in the schema file ({@code double}, {@code long}, ...). */
  public String schemaName() {
    return name().toLowerCase(Locale.ROOT);
  }

  boolean isNumeric() {
    return this == DOUBLE || this == LONG || this == INT;
  }

  boolean isInteger() {
    return this == LONG || this == INT;
  }
}
