package org.synthweave.ingest.telemetry;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One validated-shape telemetry reading: device id, timestamp (epoch milliseconds), optional
 * position and the typed sensor values, all in the column order fixed by its {@link
 * TelemetrySchema}, plus the signature as received (base64, or null if unsigned).
 *
 * <p>A TypedReading only guarantees types (each value is null or of its field's {@link
 * TelemetryFieldType#javaClass()}, doubles finite); ranges, device and signature are checked by
 * {@link TelemetryValidator}. Devices and tests build readings with {@link #builder}.
 */
public final class TypedReading implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TelemetrySchema schema;
  private final String deviceId;
  private final long timestampMillis;
  private final Double lat;
  private final Double lon;
  private final Map<String, Object> sensors;
  private final String signature;

  private TypedReading(
      TelemetrySchema schema,
      String deviceId,
      long timestampMillis,
      Double lat,
      Double lon,
      Map<String, Object> sensors,
      String signature) {
    this.schema = schema;
    this.deviceId = deviceId;
    this.timestampMillis = timestampMillis;
    this.lat = lat;
    this.lon = lon;
    this.sensors = sensors;
    this.signature = signature;
  }

  /** A builder for readings of {@code schema}. */
  public static Builder builder(TelemetrySchema schema) {
    if (schema == null) {
      throw new IllegalArgumentException("schema must not be null");
    }
    return new Builder(schema);
  }

  public TelemetrySchema schema() {
    return schema;
  }

  public String deviceId() {
    return deviceId;
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }

  /** Latitude in decimal degrees, or null if the reading has no position. */
  public Double lat() {
    return lat;
  }

  /** Longitude in decimal degrees, or null if the reading has no position. */
  public Double lon() {
    return lon;
  }

  /** Sensor values by name, in schema order; absent optional values map to null. */
  public Map<String, Object> sensorValues() {
    return sensors;
  }

  /** The base64 signature as received, or null if the reading is unsigned. */
  public String signature() {
    return signature;
  }

  /**
   * The value of any declared field: device_id as String, timestamp as Long epoch milliseconds,
   * lat/lon as Double, sensors as their type's class; null when absent.
   */
  public Object value(String fieldName) {
    switch (fieldName) {
      case TelemetrySchema.DEVICE_ID:
        return deviceId;
      case TelemetrySchema.TIMESTAMP:
        return timestampMillis;
      case TelemetrySchema.LAT:
        return lat;
      case TelemetrySchema.LON:
        return lon;
      default:
        if (!sensors.containsKey(fieldName)) {
          throw new IllegalArgumentException(
              "field '" + fieldName + "' is not declared in schema " + schema.origin());
        }
        return sensors.get(fieldName);
    }
  }

  /**
   * The values in {@link TelemetrySchema#fields()} order, ready for a typed row; the timestamp is a
   * {@link Instant} here (Spark's Java 8 time API, or {@code java.sql.Timestamp.from} without it).
   */
  public List<Object> rowValues() {
    List<Object> row = new ArrayList<>(schema.fields().size());
    for (TelemetryField f : schema.fields()) {
      row.add(f.type() == TelemetryFieldType.TIMESTAMP ? timestamp() : value(f.name()));
    }
    return row;
  }

  /** The same reading carrying {@code signatureBase64} (null for unsigned). */
  public TypedReading withSignature(String signatureBase64) {
    return new TypedReading(schema, deviceId, timestampMillis, lat, lon, sensors, signatureBase64);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TypedReading)) {
      return false;
    }
    TypedReading r = (TypedReading) o;
    return deviceId.equals(r.deviceId)
        && timestampMillis == r.timestampMillis
        && Objects.equals(lat, r.lat)
        && Objects.equals(lon, r.lon)
        && sensors.equals(r.sensors)
        && Objects.equals(signature, r.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(deviceId, timestampMillis, lat, lon, sensors, signature);
  }

  @Override
  public String toString() {
    return "TypedReading("
        + deviceId
        + " @ "
        + timestamp()
        + (lat != null ? " " + lat + "," + lon : "")
        + " "
        + sensors
        + (signature != null ? " signed" : " unsigned")
        + ")";
  }

  /** Collects the values of one reading; {@link #build()} checks their types. */
  public static final class Builder {
    private final TelemetrySchema schema;
    private String deviceId;
    private Long timestampMillis;
    private Double lat;
    private Double lon;
    private final Map<String, Object> sensors = new LinkedHashMap<>();
    private String signature;

    private Builder(TelemetrySchema schema) {
      this.schema = schema;
      for (TelemetryField f : schema.sensorFields()) {
        sensors.put(f.name(), null);
      }
    }

    public Builder deviceId(String value) {
      this.deviceId = value;
      return this;
    }

    public Builder timestampMillis(long value) {
      this.timestampMillis = value;
      return this;
    }

    public Builder timestamp(Instant value) {
      this.timestampMillis = value == null ? null : value.toEpochMilli();
      return this;
    }

    /** Sets the position; pass two nulls for none. */
    public Builder position(Double latitude, Double longitude) {
      this.lat = finite(TelemetrySchema.LAT, latitude);
      this.lon = finite(TelemetrySchema.LON, longitude);
      return this;
    }

    /** Sets a declared sensor field; the value must be null or of the field's Java class. */
    public Builder sensor(String name, Object value) {
      TelemetryField field = schema.field(name);
      if (field == null || !sensors.containsKey(name)) {
        throw new IllegalArgumentException(
            "name '" + name + "' is not a sensor field of schema " + schema.origin());
      }
      if (value != null && !field.type().javaClass().isInstance(value)) {
        throw new IllegalArgumentException(
            "value for '"
                + name
                + "' is a "
                + value.getClass().getSimpleName()
                + ", but the field has type "
                + field.type().schemaName());
      }
      sensors.put(name, value instanceof Double ? finite(name, (Double) value) : value);
      return this;
    }

    public Builder signature(String base64) {
      this.signature = base64;
      return this;
    }

    public TypedReading build() {
      if (deviceId == null || deviceId.isEmpty()) {
        throw new IllegalArgumentException("deviceId must be set and non-empty");
      }
      if (timestampMillis == null) {
        throw new IllegalArgumentException("timestamp must be set");
      }
      if ((lat == null) != (lon == null)) {
        throw new IllegalArgumentException("lat and lon must both be set or both be null");
      }
      return new TypedReading(
          schema,
          deviceId,
          timestampMillis,
          lat,
          lon,
          Collections.unmodifiableMap(new LinkedHashMap<>(sensors)),
          signature);
    }

    private static Double finite(String name, Double value) {
      if (value == null) {
        return null;
      }
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException(name + " must be finite, got " + value);
      }
      // -0.0 and 0.0 encode the same (as "0"), so hold one of them to keep value and bytes in step.
      return value == 0.0 ? 0.0 : value;
    }
  }
}
