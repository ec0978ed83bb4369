package org.synthweave.ingest.telemetry;

import java.io.Serializable;
import java.util.Objects;

/**
 * One column of a telemetry reading as declared by {@link TelemetrySchema}: its name, type, whether
 * it must be present, its allowed range and, for people reading the data, its unit and description.
 * The fixed columns (device_id, timestamp, lat, lon) are described by the same class.
 */
public final class TelemetryField implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Whether a field is a plain measurement or a count (a non-negative integer). */
  public enum Kind {
    MEASUREMENT,
    COUNT
  }

  private final String name;
  private final TelemetryFieldType type;
  private final boolean required;
  private final Kind kind;
  private final Double min;
  private final Double max;
  private final String unit;
  private final String description;

  TelemetryField(
      String name,
      TelemetryFieldType type,
      boolean required,
      Kind kind,
      Double min,
      Double max,
      String unit,
      String description) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.required = required;
    this.kind = Objects.requireNonNull(kind, "kind");
    this.min = min;
    this.max = max;
    this.unit = unit == null ? "" : unit;
    this.description = description == null ? "" : description;
  }

  public String name() {
    return name;
  }

  public TelemetryFieldType type() {
    return type;
  }

  /** True if a record without this field is rejected with {@code missing_field}. */
  public boolean isRequired() {
    return required;
  }

  public Kind kind() {
    return kind;
  }

  /** Inclusive lower bound, or null if the schema declares none. */
  public Double min() {
    return min;
  }

  /** Inclusive upper bound, or null if the schema declares none. */
  public Double max() {
    return max;
  }

  /** Unit for humans and catalogs (e.g. {@code %RH}); empty if none was declared. */
  public String unit() {
    return unit;
  }

  public String description() {
    return description;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TelemetryField)) {
      return false;
    }
    TelemetryField f = (TelemetryField) o;
    return name.equals(f.name)
        && type == f.type
        && required == f.required
        && kind == f.kind
        && Objects.equals(min, f.min)
        && Objects.equals(max, f.max)
        && unit.equals(f.unit)
        && description.equals(f.description);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, required, kind, min, max, unit, description);
  }

  @Override
  public String toString() {
    return name
        + ":"
        + type.schemaName()
        + (required ? " required" : " optional")
        + (kind == Kind.COUNT ? " count" : "")
        + (min != null ? " min=" + min : "")
        + (max != null ? " max=" + max : "");
  }
}
