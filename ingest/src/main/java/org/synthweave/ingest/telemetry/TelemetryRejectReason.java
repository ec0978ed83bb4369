package org.synthweave.ingest.telemetry;

import java.util.Locale;

/**
 * Why a telemetry record was quarantined. The {@link #code()} strings are stable: they are written
 * to the {@code quarantine/telemetry} table and counted in run summaries, so renaming one breaks
 * dashboards and comparisons across runs. Add new codes; never rename or reuse old ones.
 */
public enum TelemetryRejectReason {
  /** A required field (fixed or declared in the schema) is absent, null or empty. */
  MISSING_FIELD,
  /** A value does not parse as its declared type (number, integer, boolean, timestamp). */
  UNPARSABLE_FIELD,
  /** A floating-point value is NaN or infinite, or overflows to infinity. */
  NOT_A_NUMBER,
  /** Latitude outside [-90, 90]. */
  LAT_OUT_OF_RANGE,
  /** Longitude outside [-180, 180]. */
  LON_OUT_OF_RANGE,
  /** Timestamp before the schema's not-before instant or after now plus the allowed clock skew. */
  TIMESTAMP_OUT_OF_RANGE,
  /** A {@code count} field holds a negative number. */
  NEGATIVE_COUNT,
  /** A value lies outside the min/max declared for its field in the schema. */
  OUT_OF_RANGE,
  /** The device id is not in the device registry (with or without a signature). */
  UNKNOWN_DEVICE,
  /** The device must sign its readings, but the record has no signature. */
  MISSING_SIGNATURE,
  /** A signature is present but is not base64, has the wrong length, or does not verify. */
  BAD_SIGNATURE,
  /**
   * The reader could not make a record of the line or row: not a JSON object, broken JSON, or a CSV
   * row that does not match its header. Given by the reader, never by {@link TelemetryValidator}.
   */
  MALFORMED_ROW,
  /**
   * A value of the line, or a line the reader could not read, is longer than {@link
   * TelemetryJsonLine#MAX_RECORD_CHARS} characters. Given by the reader, never by {@link
   * TelemetryValidator}.
   */
  RECORD_TOO_LARGE;

  private final String code = name().toLowerCase(Locale.ROOT);

  /** The stable lower-case code, e.g. {@code bad_signature}. */
  public String code() {
    return code;
  }

  /** The reason for a stable code; throws IllegalArgumentException naming the code if unknown. */
  public static TelemetryRejectReason fromCode(String code) {
    for (TelemetryRejectReason reason : values()) {
      if (reason.code.equals(code)) {
        return reason;
      }
    }
    throw new IllegalArgumentException("code '" + code + "' is not a telemetry reject reason");
  }

  @Override
  public String toString() {
    return code;
  }
}
