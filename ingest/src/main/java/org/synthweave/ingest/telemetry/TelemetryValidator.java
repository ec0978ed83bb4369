package org.synthweave.ingest.telemetry;

import java.io.Serializable;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns one raw telemetry record (field name to string value, as the Spark adapter gets it after
 * casting every column to string) into a {@link TypedReading} or a {@link
 * ValidationResult.Rejection} with a stable {@link TelemetryRejectReason}.
 *
 * <p>Checks run in this order and the first failure is reported, so one record has one reason:
 *
 * <ol>
 *   <li>{@code device_id} present ({@code missing_field}) and in the registry ({@code
 *       unknown_device}; also when the record is unsigned: the registry decides which devices
 *       exist);
 *   <li>{@code timestamp} present, parsable ({@code unparsable_field}: ISO-8601 with offset, e.g.
 *       {@code 2010-05-09T00:00:05Z} or {@code ...+02:00}, or an integer of epoch milliseconds, or
 *       of epoch seconds if the schema says so; at most millisecond precision), and within [{@code
 *       not-before}, now + {@code max-clock-skew}] ({@code timestamp_out_of_range});
 *   <li>{@code lat}, {@code lon}: both or neither ({@code missing_field}), required if the schema
 *       says so, numbers ({@code unparsable_field}, {@code not_a_number}) in [-90, 90] and [-180,
 *       180] ({@code lat_out_of_range}, {@code lon_out_of_range});
 *   <li>each sensor field in schema order: present if required ({@code missing_field}), parsable as
 *       its type ({@code unparsable_field}), finite ({@code not_a_number}), a count not negative
 *       ({@code negative_count}), within min/max ({@code out_of_range});
 *   <li>the signature: required but absent ({@code missing_signature}); present but not base64, not
 *       64 bytes or not valid over the canonical encoding ({@code bad_signature}). A signature sent
 *       by a device whose signing is optional is verified too.
 * </ol>
 *
 * <p>Parsing rules: a null or empty value means absent. Numbers, booleans and timestamps may have
 * surrounding whitespace; strings are taken as they are. Doubles are plain decimals with an
 * optional exponent ({@code 45.93}, {@code -1.5e3}); {@code NaN}, {@code Infinity}, {@code inf} in
 * any case are {@code not_a_number}; hex floats and Java suffixes like {@code 1.0d} are not
 * accepted. Integers have no fraction or exponent. Booleans are {@code true} or {@code false} in
 * any case. Keys of the raw map that the schema does not declare are ignored.
 *
 * <p>"Now" comes from the injected {@link Clock}. Give every executor of one run the same fixed
 * clock (e.g. {@code Clock.fixed(runStart, UTC)}) so that the future-timestamp rule is the same for
 * all partitions of the run. Instances are immutable and serializable; build one per job and reuse
 * it for every record.
 */
public final class TelemetryValidator implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Offending values longer than this are cut in rejections, to keep the quarantine table lean. */
  public static final int MAX_VALUE_CHARS = 200;

  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
  private static final Pattern NON_FINITE =
      Pattern.compile("[+-]?(?:nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

  private final TelemetrySchema schema;
  private final DeviceRegistry registry;
  private final Clock clock;

  /** A validator for records of {@code schema} from devices in {@code registry}. */
  public TelemetryValidator(TelemetrySchema schema, DeviceRegistry registry, Clock clock) {
    if (schema == null) {
      throw new IllegalArgumentException("schema must not be null");
    }
    if (registry == null) {
      throw new IllegalArgumentException("registry must not be null");
    }
    if (clock == null) {
      throw new IllegalArgumentException("clock must not be null");
    }
    this.schema = schema;
    this.registry = registry;
    this.clock = clock;
  }

  public TelemetrySchema schema() {
    return schema;
  }

  public DeviceRegistry registry() {
    return registry;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Validates one record.
   *
   * @param raw field name to raw string value (null for SQL null); not modified
   * @param sourceFile the file the record came from, copied into a rejection
   * @param rowNumber the record's row or line number, copied into a rejection
   */
  public ValidationResult validate(Map<String, String> raw, String sourceFile, long rowNumber) {
    if (raw == null) {
      throw new IllegalArgumentException("raw must not be null");
    }
    try {
      return new ValidationResult.ValidReading(check(raw));
    } catch (Reject r) {
      return new ValidationResult.Rejection(
          r.reason, r.field, cut(r.value), r.detail, sourceFile, rowNumber);
    }
  }

  private TypedReading check(Map<String, String> raw) throws Reject {
    TypedReading.Builder b = TypedReading.builder(schema);

    String deviceId = present(raw, TelemetrySchema.DEVICE_ID);
    if (deviceId == null) {
      throw missing(TelemetrySchema.DEVICE_ID);
    }
    DeviceRegistry.Device device = registry.device(deviceId);
    if (device == null) {
      throw new Reject(
          TelemetryRejectReason.UNKNOWN_DEVICE,
          TelemetrySchema.DEVICE_ID,
          deviceId,
          "field 'device_id' has value '"
              + cut(deviceId)
              + "', which is not in the device registry "
              + registry.origin());
    }
    b.deviceId(deviceId);

    b.timestampMillis(timestamp(raw));
    position(raw, b);

    for (TelemetryField f : schema.sensorFields()) {
      String text = present(raw, f.name());
      if (text == null) {
        if (f.isRequired()) {
          throw missing(f.name());
        }
        continue;
      }
      b.sensor(f.name(), sensorValue(f, text));
    }

    TypedReading reading = b.build();
    return signature(raw, device, reading);
  }

  private long timestamp(Map<String, String> raw) throws Reject {
    String name = TelemetrySchema.TIMESTAMP;
    String text = present(raw, name);
    if (text == null) {
      throw missing(name);
    }
    String t = text.strip();
    Instant notBefore = schema.notBefore();
    Instant latest = latestAccepted();
    Instant instant;
    if (INTEGER.matcher(t).matches()) {
      // Any integer is an instant, however far out: compare before converting, so an epoch value
      // beyond a long of milliseconds (or of Instant) is out of range instead of an overflow.
      BigInteger n = epochInteger(t);
      BigInteger millis =
          schema.epochUnit() == TelemetrySchema.EpochUnit.SECONDS
              ? n.multiply(BigInteger.valueOf(1000))
              : n;
      if (millis.compareTo(exactMillis(notBefore)) < 0
          || millis.compareTo(exactMillis(latest)) > 0) {
        throw timestampOutOfRange(text, describeEpochMillis(millis));
      }
      return millis.longValueExact();
    }
    OffsetDateTime odt;
    try {
      odt = OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      throw unparsable(
          name,
          text,
          "neither an ISO-8601 date-time with offset (e.g. 2010-05-09T00:00:05Z) nor an integer"
              + " of epoch "
              + (schema.epochUnit() == TelemetrySchema.EpochUnit.SECONDS ? "seconds" : "millis"));
    }
    if (odt.getNano() % 1_000_000 != 0) {
      throw unparsable(
          name, text, "finer than milliseconds, which the canonical encoding cannot carry");
    }
    // Every year ISO-8601 parsing accepts (up to +999999999) is an Instant; only instants inside
    // the accepted window are converted to epoch milliseconds, which cannot overflow there.
    instant = odt.toInstant();
    if (instant.isBefore(notBefore) || instant.isAfter(latest)) {
      throw timestampOutOfRange(text, instant.toString());
    }
    return instant.toEpochMilli();
  }

  /** Now plus the allowed clock skew, saturating at the largest instant a long of millis holds. */
  private Instant latestAccepted() {
    Instant max = Instant.ofEpochMilli(Long.MAX_VALUE);
    Instant now = clock.instant();
    Duration room = Duration.between(now, max);
    Duration skew = schema.maxClockSkew();
    return skew.compareTo(room) >= 0 ? max : now.plus(skew);
  }

  /** Epoch milliseconds of any instant, floored, without the overflow of toEpochMilli. */
  private static BigInteger exactMillis(Instant i) {
    return BigInteger.valueOf(i.getEpochSecond())
        .multiply(BigInteger.valueOf(1000))
        .add(BigInteger.valueOf(i.getNano() / 1_000_000));
  }

  /** The integer's value; more digits than any long holds only matter as "beyond a long". */
  private static BigInteger epochInteger(String t) {
    String digits = t.startsWith("+") ? t.substring(1) : t;
    if (digits.length() > 40) {
      // Bounded work for a huge digit string: its sign and size are all that the range needs.
      BigInteger beyond = BigInteger.TEN.pow(40);
      return digits.startsWith("-") ? beyond.negate() : beyond;
    }
    return new BigInteger(digits);
  }

  private static String describeEpochMillis(BigInteger millis) {
    if (millis.bitLength() < 64) {
      long ms = millis.longValue();
      Instant min = Instant.ofEpochMilli(Long.MIN_VALUE);
      return ms == Long.MIN_VALUE ? min.toString() : Instant.ofEpochMilli(ms).toString();
    }
    return millis.signum() < 0
        ? "before " + Instant.ofEpochMilli(Long.MIN_VALUE)
        : "after " + Instant.ofEpochMilli(Long.MAX_VALUE);
  }

  private Reject timestampOutOfRange(String text, String instant) {
    return new Reject(
        TelemetryRejectReason.TIMESTAMP_OUT_OF_RANGE,
        TelemetrySchema.TIMESTAMP,
        text,
        "field 'timestamp' has value '"
            + cut(text)
            + "' ("
            + instant
            + "), outside ["
            + schema.notBefore()
            + ", now "
            + clock.instant()
            + " + "
            + schema.maxClockSkew()
            + "]");
  }

  private void position(Map<String, String> raw, TypedReading.Builder b) throws Reject {
    String latText = present(raw, TelemetrySchema.LAT);
    String lonText = present(raw, TelemetrySchema.LON);
    if (latText == null && lonText == null) {
      if (schema.isPositionRequired()) {
        throw missing(TelemetrySchema.LAT);
      }
      return;
    }
    if (latText == null || lonText == null) {
      String absent = latText == null ? TelemetrySchema.LAT : TelemetrySchema.LON;
      throw new Reject(
          TelemetryRejectReason.MISSING_FIELD,
          absent,
          null,
          "field '"
              + absent
              + "' is absent while the other coordinate is set; give both or neither");
    }
    double lat = parseDouble(TelemetrySchema.LAT, latText);
    if (lat < -90.0 || lat > 90.0) {
      throw outOfRange(TelemetryRejectReason.LAT_OUT_OF_RANGE, "lat", latText, -90.0, 90.0);
    }
    double lon = parseDouble(TelemetrySchema.LON, lonText);
    if (lon < -180.0 || lon > 180.0) {
      throw outOfRange(TelemetryRejectReason.LON_OUT_OF_RANGE, "lon", lonText, -180.0, 180.0);
    }
    b.position(lat, lon);
  }

  private Object sensorValue(TelemetryField f, String text) throws Reject {
    String name = f.name();
    double numeric;
    Object value;
    switch (f.type()) {
      case STRING:
        return text;
      case BOOLEAN:
        String t = text.strip();
        if (t.equalsIgnoreCase("true")) {
          return Boolean.TRUE;
        }
        if (t.equalsIgnoreCase("false")) {
          return Boolean.FALSE;
        }
        throw unparsable(name, text, "not a boolean (true or false)");
      case DOUBLE:
        numeric = parseDouble(name, text);
        value = numeric;
        break;
      case LONG:
        long l = parseLong(name, text, Long.MIN_VALUE, Long.MAX_VALUE, "a long");
        numeric = l;
        value = l;
        break;
      case INT:
        int i =
            (int) parseLong(name, text, Integer.MIN_VALUE, Integer.MAX_VALUE, "an int (32 bits)");
        numeric = i;
        value = i;
        break;
      default:
        throw new AssertionError("sensor field of type " + f.type());
    }
    if (f.kind() == TelemetryField.Kind.COUNT && numeric < 0) {
      throw new Reject(
          TelemetryRejectReason.NEGATIVE_COUNT,
          name,
          text,
          "field '" + name + "' has value '" + cut(text) + "', but a count cannot be negative");
    }
    if ((f.min() != null && numeric < f.min()) || (f.max() != null && numeric > f.max())) {
      throw outOfRange(TelemetryRejectReason.OUT_OF_RANGE, name, text, f.min(), f.max());
    }
    return value;
  }

  private TypedReading signature(
      Map<String, String> raw, DeviceRegistry.Device device, TypedReading reading) throws Reject {
    String name = schema.signatureField();
    String text = present(raw, name);
    if (text == null || text.isBlank()) {
      if (device.signing() == DeviceRegistry.Signing.REQUIRED) {
        throw new Reject(
            TelemetryRejectReason.MISSING_SIGNATURE,
            name,
            null,
            "field '"
                + name
                + "' is absent, but device '"
                + cut(device.deviceId())
                + "' must sign its readings");
      }
      return reading;
    }
    String sig = text.strip();
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(sig);
    } catch (IllegalArgumentException e) {
      throw badSignature(name, text, "is not standard base64");
    }
    if (bytes.length != Ed25519Keys.SIGNATURE_BYTES) {
      throw badSignature(
          name, text, "decodes to " + bytes.length + " bytes instead of an Ed25519 signature's 64");
    }
    if (!Ed25519Keys.verify(device.publicKey(), CanonicalReadingEncoding.encode(reading), bytes)) {
      throw badSignature(
          name,
          text,
          "does not verify with the key of device '"
              + cut(device.deviceId())
              + "' over the canonical encoding (forged, signed by another key, or the reading"
              + " changed after signing)");
    }
    return reading.withSignature(sig);
  }

  private double parseDouble(String name, String text) throws Reject {
    String t = text.strip();
    if (NON_FINITE.matcher(t).matches()) {
      throw new Reject(
          TelemetryRejectReason.NOT_A_NUMBER,
          name,
          text,
          "field '" + name + "' has value '" + cut(text) + "', which is not a finite number");
    }
    if (!DECIMAL.matcher(t).matches()) {
      throw unparsable(name, text, "not a decimal number");
    }
    double d = Double.parseDouble(t);
    if (Double.isInfinite(d)) {
      throw new Reject(
          TelemetryRejectReason.NOT_A_NUMBER,
          name,
          text,
          "field '" + name + "' has value '" + cut(text) + "', which overflows a double");
    }
    return d == 0.0 ? 0.0 : d;
  }

  private static long parseLong(String name, String text, long min, long max, String what)
      throws Reject {
    String t = text.strip();
    if (!INTEGER.matcher(t).matches()) {
      throw unparsable(name, text, "not " + what + " (an integer without fraction or exponent)");
    }
    long v;
    try {
      v = Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw unparsable(name, text, "an integer too large for " + what);
    }
    if (v < min || v > max) {
      throw unparsable(name, text, "an integer too large for " + what);
    }
    return v;
  }

  /** The value of {@code name}, or null if absent or empty (empty cells mean null in CSV). */
  private static String present(Map<String, String> raw, String name) {
    String v = raw.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  private static Reject missing(String name) {
    return new Reject(
        TelemetryRejectReason.MISSING_FIELD,
        name,
        null,
        "field '" + name + "' is required but absent or empty");
  }

  private static Reject unparsable(String name, String text, String why) {
    return new Reject(
        TelemetryRejectReason.UNPARSABLE_FIELD,
        name,
        text,
        "field '" + name + "' has value '" + cut(text) + "', " + why);
  }

  private static Reject badSignature(String name, String text, String why) {
    return new Reject(
        TelemetryRejectReason.BAD_SIGNATURE,
        name,
        text,
        "field '" + name + "' has value '" + cut(text) + "', which " + why);
  }

  private static Reject outOfRange(
      TelemetryRejectReason reason, String name, String text, Double min, Double max) {
    return new Reject(
        reason,
        name,
        text,
        "field '"
            + name
            + "' has value '"
            + cut(text)
            + "', outside ["
            + (min == null ? "-inf" : CanonicalReadingEncoding.canonicalDouble(min))
            + ", "
            + (max == null ? "+inf" : CanonicalReadingEncoding.canonicalDouble(max))
            + "]");
  }

  private static String cut(String s) {
    if (s == null || s.length() <= MAX_VALUE_CHARS) {
      return s;
    }
    return s.substring(0, MAX_VALUE_CHARS) + "...";
  }

  /** Control flow for the first failed check; no stack trace, since rejections are routine. */
  private static final class Reject extends Exception {
    private static final long serialVersionUID = 1L;
    final TelemetryRejectReason reason;
    final String field;
    final String value;
    final String detail;

    Reject(TelemetryRejectReason reason, String field, String value, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
      this.field = field;
      this.value = value;
      this.detail = detail;
    }
  }
}
