package org.synthweave.ingest.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TelemetryValidatorTest {
  private final TelemetryValidator validator = TelemetrySamples.validator();

  @ParameterizedTest
  @ValueSource(strings = {"readings.jsonl", "readings.csv"})
  void everyCommittedSampleRowIsValid(String name) {
    List<Map<String, String>> rows =
        name.endsWith(".csv")
            ? TelemetrySamples.readCsv(TelemetrySamples.sample(name))
            : TelemetrySamples.readJsonl(TelemetrySamples.sample(name));
    assertTrue(rows.size() >= 800, name + " has " + rows.size() + " rows");
    Set<String> devices = new TreeSet<>();
    int signed = 0;
    for (int i = 0; i < rows.size(); i++) {
      ValidationResult r = validator.validate(rows.get(i), name, i + 1);
      assertTrue(r.isValid(), name + " row " + (i + 1) + ": " + r);
      TypedReading reading = ((ValidationResult.ValidReading) r).reading();
      devices.add(reading.deviceId());
      if (reading.signature() != null) {
        signed++;
      }
    }
    assertTrue(devices.size() >= 2, devices.toString());
    assertTrue(signed > rows.size() / 2, name + ": " + signed + " signed");
  }

  /**
   * Every line of readings-damaged.jsonl and the reason it must get; the README's table lists the
   * same. A null reason means the line is valid.
   */
  @ParameterizedTest(name = "line {0}: {1} {2}")
  @CsvSource({
    "1, bad_signature, signature",
    "2, bad_signature, signature",
    "3, unknown_device, device_id",
    "4, lat_out_of_range, lat",
    "5, lon_out_of_range, lon",
    "6, not_a_number, humidity",
    "7, timestamp_out_of_range, timestamp",
    "8, timestamp_out_of_range, timestamp",
    "9, negative_count, reading_seq",
    "10, unparsable_field, temperature",
    "11, missing_signature, signature",
    "12, missing_field, humidity",
    "13, out_of_range, humidity",
    "14, unparsable_field, timestamp",
    "15, bad_signature, signature",
    "16, bad_signature, signature",
    "17, ,",
    "18, ,",
    "19, ,",
    "20, ,",
  })
  void damagedLinesGetTheirReason(int line, String code, String field) {
    List<Map<String, String>> rows =
        TelemetrySamples.readJsonl(TelemetrySamples.sample("readings-damaged.jsonl"));
    assertEquals(20, rows.size());
    Map<String, String> raw = rows.get(line - 1);
    ValidationResult r = validator.validate(raw, "readings-damaged.jsonl", line);
    if (code == null) {
      assertTrue(r.isValid(), r.toString());
      return;
    }
    ValidationResult.Rejection rej = (ValidationResult.Rejection) r;
    assertEquals(code, rej.reasonCode(), rej.detail());
    assertEquals(field, rej.field(), rej.detail());
    assertEquals("readings-damaged.jsonl", rej.sourceFile());
    assertEquals(line, rej.rowNumber());
    assertTrue(rej.detail().contains("'" + field + "'"), rej.detail());
    assertEquals(raw.get(field), rej.value());
    if (rej.value() != null) {
      assertTrue(rej.detail().contains(rej.value()), rej.detail());
    }
  }

  @Test
  void damagedFileCoversEveryReason() {
    List<Map<String, String>> rows =
        TelemetrySamples.readJsonl(TelemetrySamples.sample("readings-damaged.jsonl"));
    Set<TelemetryRejectReason> seen = EnumSet.noneOf(TelemetryRejectReason.class);
    for (int i = 0; i < rows.size(); i++) {
      if (validator.validate(rows.get(i), "d", i + 1) instanceof ValidationResult.Rejection rej) {
        seen.add(rej.reason());
      }
    }
    // every reason the validator gives; the other two come from the readers (TelemetryJsonLine)
    assertEquals(
        EnumSet.complementOf(
            EnumSet.of(
                TelemetryRejectReason.MALFORMED_ROW, TelemetryRejectReason.RECORD_TOO_LARGE)),
        seen);
  }

  /** Lines 18-20 share device and timestamp; dedup keeps the smallest hash, deterministically. */
  @Test
  void duplicatesHaveDeterministicHashes() {
    List<Map<String, String>> rows =
        TelemetrySamples.readJsonl(TelemetrySamples.sample("readings-damaged.jsonl"));
    TypedReading a = valid(rows.get(17));
    TypedReading b = valid(rows.get(18));
    TypedReading c = valid(rows.get(19));
    assertEquals(a.deviceId(), c.deviceId());
    assertEquals(a.timestampMillis(), b.timestampMillis());
    assertEquals(a.timestampMillis(), c.timestampMillis());
    // the re-send wrote 45.010 instead of 45.01: same canonical bytes, same hash
    assertNotEquals(rows.get(17).get("humidity"), rows.get(18).get("humidity"));
    assertEquals(CanonicalReadingEncoding.readingHash(a), CanonicalReadingEncoding.readingHash(b));
    assertNotEquals(
        CanonicalReadingEncoding.readingHash(a), CanonicalReadingEncoding.readingHash(c));
    assertEquals(64, CanonicalReadingEncoding.readingHash(c).length());
  }

  @Test
  void futureRuleFollowsTheInjectedClock() {
    Map<String, String> raw =
        new HashMap<>(TelemetrySamples.readJsonl(TelemetrySamples.sample("readings.jsonl")).get(0));
    Instant ts = Instant.parse(raw.get("timestamp"));
    TelemetrySchema schema = validator.schema();
    long skew = schema.maxClockSkew().toMillis();
    // device clock ahead by exactly the allowed skew: accepted
    Clock edge = Clock.fixed(ts.minusMillis(skew), ZoneOffset.UTC);
    assertTrue(
        new TelemetryValidator(schema, validator.registry(), edge).validate(raw, "x", 1).isValid());
    // one millisecond more: rejected
    Clock early = Clock.fixed(ts.minusMillis(skew + 1), ZoneOffset.UTC);
    ValidationResult r =
        new TelemetryValidator(schema, validator.registry(), early).validate(raw, "x", 1);
    assertEquals(
        TelemetryRejectReason.TIMESTAMP_OUT_OF_RANGE, ((ValidationResult.Rejection) r).reason());
    // and the not-before bound
    raw.put("timestamp", "1999-12-31T23:59:59.999Z");
    r = validator.validate(raw, "x", 1);
    assertEquals("timestamp_out_of_range", ((ValidationResult.Rejection) r).reasonCode());
  }

  /** The same instant in each accepted timestamp form yields the same reading. */
  @Test
  void acceptedTimestampForms() {
    Map<String, String> raw =
        new HashMap<>(TelemetrySamples.readJsonl(TelemetrySamples.sample("readings.jsonl")).get(0));
    TypedReading expected = valid(raw);
    for (String form :
        List.of(
            "2010-05-09T03:03:20Z",
            "2010-05-09T05:03:20+02:00",
            "2010-05-09T03:03:20.000Z",
            "1273374200000",
            " 1273374200000 ")) {
      raw.put("timestamp", form);
      assertEquals(expected, valid(raw), form);
    }
    for (String bad :
        List.of("2010-05-09T03:03:20", "2010-05-09 03:03:20Z", "2010-05-09T03:03:20.0001Z", "x")) {
      raw.put("timestamp", bad);
      ValidationResult.Rejection rej = (ValidationResult.Rejection) validator.validate(raw, "x", 1);
      assertEquals(TelemetryRejectReason.UNPARSABLE_FIELD, rej.reason(), bad);
    }
    TelemetrySchema seconds =
        TelemetrySchema.parse(
            "telemetry-schema { timestamp.epoch-unit = seconds, fields = [] }", "seconds");
    TelemetryValidator v = new TelemetryValidator(seconds, validator.registry(), validator.clock());
    Map<String, String> minimal = Map.of("device_id", "wsn-mh-mote1", "timestamp", "1273374200");
    ValidationResult r = v.validate(minimal, "x", 1);
    assertEquals(
        1_273_374_200_000L, ((ValidationResult.ValidReading) r).reading().timestampMillis());
  }

  @ParameterizedTest(name = "{0}={1} -> {2}")
  @CsvSource({
    "humidity, nan, not_a_number",
    "humidity, -Infinity, not_a_number",
    "humidity, 1e999, not_a_number",
    "humidity, 0x1p3, unparsable_field",
    "humidity, 45.9d, unparsable_field",
    "humidity, -0.5, out_of_range",
    "reading_seq, 2201.0, unparsable_field",
    "reading_seq, 99999999999999999999, unparsable_field",
    "anomaly_label, 2, out_of_range",
    "anomaly_label, 3000000000, unparsable_field",
    "indoor, yes, unparsable_field",
    "lat, -90.5, lat_out_of_range",
    "lon, 180.0001, lon_out_of_range",
    "lat, NaN, not_a_number",
    "device_id, '', missing_field",
  })
  void singleFieldDamage(String field, String value, String code) {
    Map<String, String> raw =
        new HashMap<>(TelemetrySamples.readCsv(TelemetrySamples.sample("readings.csv")).get(0));
    raw.put(field, value);
    ValidationResult r = validator.validate(raw, "x", 7);
    assertEquals(code, ((ValidationResult.Rejection) r).reasonCode(), r.toString());
    assertEquals(field, ((ValidationResult.Rejection) r).field());
  }

  /**
   * Issue 17: extreme values a JSON, CSV or Parquet reading can hold each end as a rejection with
   * its reason, never an exception: years far out, epoch values beyond a long of milliseconds (or
   * written in microseconds), numbers beyond a double or a long, signed zero.
   */
  @ParameterizedTest(name = "{0}={1} -> {2}")
  @CsvSource({
    "timestamp, +999999999-12-31T23:59:59Z, timestamp_out_of_range",
    "timestamp, -999999999-01-01T00:00:00Z, timestamp_out_of_range",
    "timestamp, +10000-01-01T00:00:00Z, timestamp_out_of_range",
    "timestamp, 0000-01-01T00:00:00Z, timestamp_out_of_range",
    "timestamp, +999999999-12-31T23:59:59.999+18:00, timestamp_out_of_range",
    "timestamp, 9223372036854775807, timestamp_out_of_range",
    "timestamp, -9223372036854775808, timestamp_out_of_range",
    "timestamp, 9223372036854775808, timestamp_out_of_range",
    "timestamp, -99999999999999999999999999999999, timestamp_out_of_range",
    "timestamp, 1273374200000000, timestamp_out_of_range",
    "timestamp, 1273374200000000000, timestamp_out_of_range",
    "timestamp, 1273374200, timestamp_out_of_range",
    "timestamp, -0, timestamp_out_of_range",
    "timestamp, 1e400, unparsable_field",
    "timestamp, 1.2733742E12, unparsable_field",
    "timestamp, +999999999-12-32T23:59:59Z, unparsable_field",
    "humidity, 1e400, not_a_number",
    "humidity, -1e400, not_a_number",
    "humidity, 1e-400, ",
    "humidity, -0, ",
    "humidity, -0.0e0, ",
    "temperature, 4.9e-324, ",
    "temperature, 1.7976931348623157e308, out_of_range",
    "reading_seq, -0, ",
    "reading_seq, 9223372036854775807, ",
    "reading_seq, -9223372036854775808, negative_count",
    "reading_seq, 9223372036854775808, unparsable_field",
    "reading_seq, 1e400, unparsable_field",
    "anomaly_label, -0, ",
    "anomaly_label, 2147483648, unparsable_field",
    "anomaly_label, -2147483649, unparsable_field",
    "lat, 1e400, not_a_number",
    "lat, -0, ",
    "lon, -1e-400, ",
    "indoor, '{\"a\":1}', unparsable_field",
    "reading_seq, '{\"n\":1}', unparsable_field",
    "humidity, '[45.1]', unparsable_field",
  })
  void extremeValuesAreRejectedWithAReason(String field, String value, String code) {
    Map<String, String> raw = unsignedSample();
    raw.put(field, value);
    ValidationResult r = validator.validate(raw, "x", 7);
    if (code == null) {
      assertTrue(r.isValid(), r.toString());
      TypedReading reading = ((ValidationResult.ValidReading) r).reading();
      // the canonical encoding and hash of an extreme but valid value are well defined
      assertEquals(64, CanonicalReadingEncoding.readingHash(reading).length());
      return;
    }
    ValidationResult.Rejection rej = (ValidationResult.Rejection) r;
    assertEquals(code, rej.reasonCode(), rej.detail());
    assertEquals(field, rej.field());
  }

  /** Epoch seconds: the factor 1000 must not overflow before the range check. */
  @ParameterizedTest(name = "seconds {0} -> {1}")
  @CsvSource({
    "9223372036854775807, timestamp_out_of_range",
    "9223372036854775, timestamp_out_of_range",
    "-9223372036854775808, timestamp_out_of_range",
    "99999999999999999999999, timestamp_out_of_range",
    "1273374200000, timestamp_out_of_range",
    "1273374200, ",
  })
  void extremeEpochSeconds(String value, String code) {
    TelemetrySchema seconds =
        TelemetrySchema.parse(
            "telemetry-schema { timestamp.epoch-unit = seconds, fields = [] }", "seconds");
    TelemetryValidator v = new TelemetryValidator(seconds, validator.registry(), validator.clock());
    ValidationResult r =
        v.validate(Map.of("device_id", "wsn-mh-mote1", "timestamp", value), "x", 1);
    if (code == null) {
      assertTrue(r.isValid(), r.toString());
    } else {
      assertEquals(code, ((ValidationResult.Rejection) r).reasonCode(), r.toString());
    }
  }

  /**
   * The largest clock skew a schema can state (HOCON durations saturate at Long.MAX_VALUE nanos,
   * about 292 years): far timestamps are compared, not converted, so nothing overflows.
   */
  @Test
  void hugeClockSkewSaturates() {
    TelemetrySchema lax =
        TelemetrySchema.parse(
            "telemetry-schema { timestamp.max-clock-skew = 100000000000d, fields = [] }", "lax");
    TelemetryValidator v = new TelemetryValidator(lax, validator.registry(), validator.clock());
    ValidationResult far =
        v.validate(
            Map.of("device_id", "wsn-mh-mote1", "timestamp", "2300-01-01T00:00:00Z"), "x", 1);
    assertTrue(far.isValid(), far.toString());
    assertEquals(
        "timestamp_out_of_range",
        ((ValidationResult.Rejection)
                v.validate(
                    Map.of("device_id", "wsn-mh-mote1", "timestamp", "9223372036854775807"),
                    "x",
                    1))
            .reasonCode());
    assertEquals(
        "timestamp_out_of_range",
        ((ValidationResult.Rejection)
                v.validate(
                    Map.of("device_id", "wsn-mh-mote1", "timestamp", "+999999999-12-31T23:59:59Z"),
                    "x",
                    1))
            .reasonCode());
  }

  /** Overlong strings: cut in the rejection, never copied whole into the quarantine detail. */
  @ParameterizedTest(name = "{0} of 1 M characters -> {1}")
  @CsvSource({
    "device_id, unknown_device",
    "timestamp, timestamp_out_of_range",
    "humidity, unparsable_field",
    "reading_seq, timestamp_out_of_range",
    "network, ",
  })
  void overlongStrings(String field, String code) {
    Map<String, String> raw = unsignedSample();
    String digits = field.equals("timestamp") || field.equals("reading_seq") ? "9" : "x";
    String big = digits.repeat(1 << 20);
    raw.put(field, big);
    if (field.equals("reading_seq")) {
      // a count of a million digits is too large for a long; check the timestamp form too
      ValidationResult.Rejection rej = (ValidationResult.Rejection) validator.validate(raw, "x", 1);
      assertEquals("unparsable_field", rej.reasonCode());
      raw.put("reading_seq", "1");
      raw.put("timestamp", big);
    }
    ValidationResult r = validator.validate(raw, "x", 1);
    if (code == null) {
      assertTrue(r.isValid(), r.toString());
      return;
    }
    ValidationResult.Rejection rej = (ValidationResult.Rejection) r;
    assertEquals(code, rej.reasonCode());
    assertTrue(rej.value().length() <= TelemetryValidator.MAX_VALUE_CHARS + 3, "value is cut");
    assertTrue(rej.detail().length() < 2000, "detail is cut");
  }

  /** The first unsigned-device reading of the JSON sample, as a mutable raw record. */
  private static Map<String, String> unsignedSample() {
    for (Map<String, String> row :
        TelemetrySamples.readJsonl(TelemetrySamples.sample("readings.jsonl"))) {
      if (row.get("signature") == null) {
        return new HashMap<>(row);
      }
    }
    throw new IllegalStateException("readings.jsonl has no unsigned reading");
  }

  @Test
  void positionIsBothOrNeitherAndOptional() {
    Map<String, String> raw =
        new HashMap<>(TelemetrySamples.readCsv(TelemetrySamples.sample("readings.csv")).get(0));
    raw.put("lon", null);
    ValidationResult.Rejection rej = (ValidationResult.Rejection) validator.validate(raw, "x", 1);
    assertEquals(TelemetryRejectReason.MISSING_FIELD, rej.reason());
    assertEquals("lon", rej.field());
    // an unsigned reading of the optional device without position is fine
    Map<String, String> minimal =
        Map.of(
            "device_id", "wsn-mh-mote1",
            "timestamp", "2010-07-10T00:00:00Z",
            "humidity", "43.82",
            "temperature", "30.21",
            "reading_seq", "1",
            "extra_column", "ignored");
    TypedReading r = valid(minimal);
    assertNull(r.lat());
    assertNull(r.signature());
    assertNull(r.sensorValues().get("indoor"));
  }

  @Test
  void unknownDeviceIsRejectedEvenUnsigned() {
    Map<String, String> raw =
        Map.of(
            "device_id", "not-registered",
            "timestamp", "2010-07-10T00:00:00Z",
            "humidity", "43.82",
            "temperature", "30.21",
            "reading_seq", "1");
    assertEquals(
        "unknown_device",
        ((ValidationResult.Rejection) validator.validate(raw, "x", 1)).reasonCode());
  }

  @Test
  void typedReadingFollowsSchemaOrder() {
    TypedReading r =
        valid(TelemetrySamples.readCsv(TelemetrySamples.sample("readings.csv")).get(0));
    List<Object> row = r.rowValues();
    assertEquals(validator.schema().fields().size(), row.size());
    assertEquals("wsn-sh-mote2", row.get(0));
    assertEquals(Instant.ofEpochMilli(1_273_374_200_000L), row.get(1));
    assertEquals(-37.79835, row.get(2));
    assertEquals(45.44, row.get(4));
    assertEquals(2201L, row.get(6));
    assertEquals(0, row.get(7));
    assertEquals(Boolean.TRUE, row.get(8));
    assertEquals("single-hop", row.get(9));
    assertEquals(
        List.of("humidity", "temperature", "reading_seq", "anomaly_label", "indoor", "network"),
        List.copyOf(r.sensorValues().keySet()));
  }

  /** Spark ships the validator to executors: a deserialized copy must behave the same. */
  @Test
  void validatorSurvivesJavaSerialization() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(validator);
    }
    TelemetryValidator copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (TelemetryValidator) in.readObject();
    }
    List<Map<String, String>> rows =
        TelemetrySamples.readJsonl(TelemetrySamples.sample("readings-damaged.jsonl"));
    Set<String> a = new HashSet<>();
    Set<String> b = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      a.add(i + ":" + validator.validate(rows.get(i), "d", i));
      b.add(i + ":" + copy.validate(rows.get(i), "d", i));
    }
    assertEquals(a, b);
    assertFalse(a.isEmpty());
  }

  private TypedReading valid(Map<String, String> raw) {
    ValidationResult r = validator.validate(raw, "x", 1);
    assertTrue(r.isValid(), r.toString());
    return ((ValidationResult.ValidReading) r).reading();
  }
}
