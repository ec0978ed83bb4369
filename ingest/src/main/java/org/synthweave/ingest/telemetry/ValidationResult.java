package org.synthweave.ingest.telemetry;

import java.io.Serializable;
import java.util.Objects;

/**
 * The outcome of validating one raw record: a {@link ValidReading} or a {@link Rejection}. Failures
 * are values, not exceptions (as in Deequ), because a bad record is expected data that goes to the
 * quarantine table, not a bug.
 */
public sealed interface ValidationResult extends Serializable
    permits ValidationResult.ValidReading, ValidationResult.Rejection {

  /** True for {@link ValidReading}. */
  boolean isValid();

  /** The record passed every check; {@code reading} holds its typed values and signature. */
  record ValidReading(TypedReading reading) implements ValidationResult {
    public ValidReading {
      Objects.requireNonNull(reading, "reading");
    }

    @Override
    public boolean isValid() {
      return true;
    }
  }

  /**
   * The record failed the first check in {@link TelemetryValidator}'s order.
   *
   * @param reason the stable reason; {@code reason.code()} goes to the quarantine table
   * @param field the field that failed (the signature field for signature reasons)
   * @param value the offending raw value, cut to {@value TelemetryValidator#MAX_VALUE_CHARS}
   *     characters, or null if the field was absent
   * @param detail a sentence naming the field, the value and the rule it broke
   * @param sourceFile the file the record came from, as passed in
   * @param rowNumber the record's row or line number in that file, as passed in
   */
  record Rejection(
      TelemetryRejectReason reason,
      String field,
      String value,
      String detail,
      String sourceFile,
      long rowNumber)
      implements ValidationResult {
    public Rejection {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public boolean isValid() {
      return false;
    }

    /** The stable reason code, e.g. {@code lat_out_of_range}. */
    public String reasonCode() {
      return reason.code();
    }
  }
}
