package org.synthweave.ingest.telemetry;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The shape of a telemetry reading, loaded from a HOCON file ({@code conf/telemetry-schema.conf}).
 *
 * <p>Every reading has four fixed columns: {@code device_id} (string, required), {@code timestamp}
 * (required; ISO-8601 with an offset such as {@code 2010-05-09T00:00:05Z}, or an integer number of
 * epoch milliseconds, or epoch seconds if {@code timestamp.epoch-unit = seconds}), and {@code lat}
 * / {@code lon} (decimal degrees, required only if {@code position.required = true}; both or
 * neither). After them come the sensor fields declared under {@code fields}, in file order, each
 * with a type ({@code double}, {@code long}, {@code int}, {@code boolean}, {@code string}), a
 * required flag, an optional inclusive min/max, a kind ({@code measurement} or {@code count}, a
 * non-negative integer), a unit and a description. The file also names the signature field and the
 * fields the signature covers.
 *
 * <p>The file is checked as it is loaded: unknown keys, wrong types, duplicate or reserved names,
 * min above max and similar mistakes fail with a message naming the key. Instances are immutable
 * and serializable, so one can be shipped to Spark executors and reused for every record.
 */
public final class TelemetrySchema implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The root key of the schema file. */
  public static final String ROOT = "telemetry-schema";

  public static final String DEVICE_ID = "device_id";
  public static final String TIMESTAMP = "timestamp";
  public static final String LAT = "lat";
  public static final String LON = "lon";

  /** Readings before this instant are rejected: no DePIN device predates it. */
  public static final Instant DEFAULT_NOT_BEFORE = Instant.parse("2000-01-01T00:00:00Z");

  /** How far in the future a timestamp may lie, for device clocks that run a little fast. */
  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  public static final EpochUnit DEFAULT_EPOCH_UNIT = EpochUnit.MILLIS;
  public static final String DEFAULT_SIGNATURE_FIELD = "signature";
  public static final boolean DEFAULT_POSITION_REQUIRED = false;

  /** Field names are restricted so that the canonical encoding needs no escaping or collation. */
  private static final Pattern FIELD_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private static final Set<String> FIXED = Set.of(DEVICE_ID, TIMESTAMP, LAT, LON);
  private static final Set<String> ROOT_KEYS =
      Set.of("version", "timestamp", "position", "signature", "fields");
  private static final Set<String> TIMESTAMP_KEYS =
      Set.of("not-before", "max-clock-skew", "epoch-unit");
  private static final Set<String> POSITION_KEYS = Set.of("required");
  private static final Set<String> SIGNATURE_KEYS = Set.of("field", "covers");
  private static final Set<String> FIELD_KEYS =
      Set.of("name", "type", "required", "kind", "min", "max", "unit", "description");

  /** How integer timestamps are read. */
  public enum EpochUnit {
    MILLIS,
    SECONDS
  }

  private final String origin;
  private final List<TelemetryField> fields;
  private final Map<String, TelemetryField> byName;
  private final Instant notBefore;
  private final Duration maxClockSkew;
  private final EpochUnit epochUnit;
  private final boolean positionRequired;
  private final String signatureField;
  private final List<String> coveredFields;

  private TelemetrySchema(
      String origin,
      List<TelemetryField> fields,
      Instant notBefore,
      Duration maxClockSkew,
      EpochUnit epochUnit,
      boolean positionRequired,
      String signatureField,
      List<String> coveredFields) {
    this.origin = origin;
    this.fields = List.copyOf(fields);
    Map<String, TelemetryField> map = new LinkedHashMap<>();
    for (TelemetryField f : fields) {
      map.put(f.name(), f);
    }
    this.byName = Collections.unmodifiableMap(map);
    this.notBefore = notBefore;
    this.maxClockSkew = maxClockSkew;
    this.epochUnit = epochUnit;
    this.positionRequired = positionRequired;
    this.signatureField = signatureField;
    this.coveredFields = List.copyOf(coveredFields);
  }

  /** Loads and checks a schema file; errors name the file and the offending key. */
  public static TelemetrySchema load(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("file must not be null");
    }
    if (!Files.isRegularFile(file)) {
      throw TelemetryErrors.schemaUnreadable(
          file.toString(), new java.io.FileNotFoundException("no such file"));
    }
    Config config;
    try {
      config = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults()).resolve();
    } catch (ConfigException e) {
      throw TelemetryErrors.schemaUnreadable(file.toString(), e);
    }
    return fromConfig(config, file.toString());
  }

  /** Parses a schema from HOCON text; {@code origin} names it in error messages. */
  public static TelemetrySchema parse(String hocon, String origin) {
    if (hocon == null) {
      throw new IllegalArgumentException("hocon must not be null");
    }
    Config config;
    try {
      config =
          ConfigFactory.parseString(
                  hocon, ConfigParseOptions.defaults().setOriginDescription(origin))
              .resolve();
    } catch (ConfigException e) {
      throw TelemetryErrors.schemaUnreadable(origin, e);
    }
    return fromConfig(config, origin);
  }

  /**
   * Builds a schema from a parsed config whose root holds {@value #ROOT}, e.g. when the schema is
   * embedded in a larger job config.
   */
  public static TelemetrySchema fromConfig(Config config, String origin) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    String where = origin == null ? "(unnamed)" : origin;
    if (!config.hasPath(ROOT)) {
      throw TelemetryErrors.badSchema(
          where, ROOT, "is missing", "Put the whole schema inside a '" + ROOT + " { ... }' block");
    }
    Config root = object(config, ROOT, where);
    checkKeys(root, ROOT, ROOT_KEYS, where);
    if (root.hasPath("version")) {
      int version = intValue(root, "version", ROOT + ".version", where);
      if (version != 1) {
        throw TelemetryErrors.badSchema(
            where,
            ROOT + ".version",
            "is " + version + ", but this synthweave reads schema version 1",
            "Set version = 1 or upgrade synthweave");
      }
    }

    Instant notBefore = DEFAULT_NOT_BEFORE;
    Duration skew = DEFAULT_MAX_CLOCK_SKEW;
    EpochUnit epochUnit = DEFAULT_EPOCH_UNIT;
    if (root.hasPath("timestamp")) {
      String prefix = ROOT + ".timestamp";
      Config ts = object(root, "timestamp", where);
      checkKeys(ts, prefix, TIMESTAMP_KEYS, where);
      if (ts.hasPath("not-before")) {
        String text = string(ts, "not-before", prefix + ".not-before", where);
        try {
          notBefore = Instant.parse(text);
        } catch (DateTimeParseException e) {
          throw TelemetryErrors.badSchema(
              where,
              prefix + ".not-before",
              "is '" + text + "', not an ISO-8601 instant",
              "Write it like \"2000-01-01T00:00:00Z\"");
        }
      }
      if (ts.hasPath("max-clock-skew")) {
        try {
          skew = ts.getDuration("max-clock-skew");
        } catch (ConfigException e) {
          throw TelemetryErrors.badSchema(
              where,
              prefix + ".max-clock-skew",
              "is not a duration (" + e.getMessage() + ")",
              "Write it like 5m or 30s");
        }
        if (skew.isNegative()) {
          throw TelemetryErrors.badSchema(
              where, prefix + ".max-clock-skew", "is negative", "Use a duration of zero or more");
        }
      }
      if (ts.hasPath("epoch-unit")) {
        String unit = string(ts, "epoch-unit", prefix + ".epoch-unit", where);
        try {
          epochUnit = EpochUnit.valueOf(unit.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw TelemetryErrors.badSchema(
              where, prefix + ".epoch-unit", "is '" + unit + "'", "Use millis or seconds");
        }
      }
    }

    boolean positionRequired = DEFAULT_POSITION_REQUIRED;
    if (root.hasPath("position")) {
      Config pos = object(root, "position", where);
      checkKeys(pos, ROOT + ".position", POSITION_KEYS, where);
      if (pos.hasPath("required")) {
        positionRequired = bool(pos, "required", ROOT + ".position.required", where);
      }
    }

    List<TelemetryField> fields = new ArrayList<>();
    fields.add(fixed(DEVICE_ID, TelemetryFieldType.STRING, true, null, null, "", "device id"));
    fields.add(
        fixed(TIMESTAMP, TelemetryFieldType.TIMESTAMP, true, null, null, "", "reading time"));
    fields.add(
        fixed(LAT, TelemetryFieldType.DOUBLE, positionRequired, -90.0, 90.0, "deg", "latitude"));
    fields.add(
        fixed(LON, TelemetryFieldType.DOUBLE, positionRequired, -180.0, 180.0, "deg", "longitude"));

    String signatureField = DEFAULT_SIGNATURE_FIELD;
    List<String> covers = List.of();
    String coversKey = ROOT + ".signature.covers";
    if (root.hasPath("signature")) {
      Config sig = object(root, "signature", where);
      checkKeys(sig, ROOT + ".signature", SIGNATURE_KEYS, where);
      if (sig.hasPath("field")) {
        signatureField = string(sig, "field", ROOT + ".signature.field", where);
        checkName(signatureField, ROOT + ".signature.field", where);
      }
      if (sig.hasPath("covers")) {
        try {
          covers = sig.getStringList("covers");
        } catch (ConfigException e) {
          throw TelemetryErrors.badSchema(
              where, coversKey, "is not a list of field names", "Write it like [device_id, ...]");
        }
      }
    }
    if (FIXED.contains(signatureField)) {
      throw TelemetryErrors.badSchema(
          where,
          ROOT + ".signature.field",
          "is '" + signatureField + "', a reserved fixed field",
          "Choose another name, e.g. signature");
    }

    if (!root.hasPath("fields")) {
      throw TelemetryErrors.badSchema(
          where,
          ROOT + ".fields",
          "is missing",
          "Declare the sensor fields as a list, e.g. fields = [{name = temperature, type ="
              + " double}]");
    }
    List<? extends ConfigValue> list;
    try {
      list = root.getList("fields");
    } catch (ConfigException e) {
      throw TelemetryErrors.badSchema(
          where, ROOT + ".fields", "is not a list", "Declare fields = [ {...}, {...} ]");
    }
    Set<String> seen = new TreeSet<>(FIXED);
    for (int i = 0; i < list.size(); i++) {
      String prefix = ROOT + ".fields[" + i + "]";
      ConfigValue value = list.get(i);
      if (value.valueType() != ConfigValueType.OBJECT) {
        throw TelemetryErrors.badSchema(
            where, prefix, "is not an object", "Write each field as {name = ..., type = ...}");
      }
      TelemetryField field =
          sensorField(((com.typesafe.config.ConfigObject) value).toConfig(), prefix, where);
      if (field.name().equals(signatureField)) {
        throw TelemetryErrors.badSchema(
            where,
            prefix + ".name",
            "is '" + field.name() + "', the signature field",
            "Rename the field; the signature is declared under " + ROOT + ".signature");
      }
      if (!seen.add(field.name())) {
        throw TelemetryErrors.badSchema(
            where,
            prefix + ".name",
            "is '"
                + field.name()
                + "', "
                + (FIXED.contains(field.name()) ? "a reserved fixed field" : "declared twice"),
            "Give every sensor field a unique name other than device_id, timestamp, lat, lon");
      }
      fields.add(field);
    }

    List<String> covered = new ArrayList<>();
    if (covers.isEmpty()) {
      for (TelemetryField f : fields) {
        covered.add(f.name());
      }
    } else {
      Set<String> declared = new TreeSet<>();
      fields.forEach(f -> declared.add(f.name()));
      for (String name : covers) {
        if (!declared.contains(name)) {
          throw TelemetryErrors.badSchema(
              where,
              coversKey,
              "lists '" + name + "', which is not a declared field",
              "List only declared fields " + declared);
        }
        if (covered.contains(name)) {
          throw TelemetryErrors.badSchema(
              where, coversKey, "lists '" + name + "' twice", "List each field once");
        }
        covered.add(name);
      }
      // Without these a valid signature could be replayed for another device or another time.
      for (String must : List.of(DEVICE_ID, TIMESTAMP)) {
        if (!covered.contains(must)) {
          throw TelemetryErrors.badSchema(
              where,
              coversKey,
              "does not list " + must,
              "The signature must cover device_id and timestamp; add " + must);
        }
      }
    }
    Collections.sort(covered);
    return new TelemetrySchema(
        where, fields, notBefore, skew, epochUnit, positionRequired, signatureField, covered);
  }

  private static TelemetryField fixed(
      String name,
      TelemetryFieldType type,
      boolean required,
      Double min,
      Double max,
      String unit,
      String description) {
    return new TelemetryField(
        name, type, required, TelemetryField.Kind.MEASUREMENT, min, max, unit, description);
  }

  private static TelemetryField sensorField(Config c, String prefix, String where) {
    checkKeys(c, prefix, FIELD_KEYS, where);
    if (!c.hasPath("name")) {
      throw TelemetryErrors.badSchema(
          where, prefix + ".name", "is missing", "Give the field a name");
    }
    String name = string(c, "name", prefix + ".name", where);
    checkName(name, prefix + ".name", where);
    if (!c.hasPath("type")) {
      throw TelemetryErrors.badSchema(
          where,
          prefix + ".type",
          "is missing for field '" + name + "'",
          "Set type to double, long, int, boolean or string");
    }
    String typeName = string(c, "type", prefix + ".type", where);
    TelemetryFieldType type = null;
    for (TelemetryFieldType t : TelemetryFieldType.values()) {
      if (t != TelemetryFieldType.TIMESTAMP && t.schemaName().equals(typeName)) {
        type = t;
      }
    }
    if (type == null) {
      throw TelemetryErrors.badSchema(
          where,
          prefix + ".type",
          "is '" + typeName + "' for field '" + name + "'",
          "Use double, long, int, boolean or string");
    }
    boolean required = c.hasPath("required") && bool(c, "required", prefix + ".required", where);
    TelemetryField.Kind kind = TelemetryField.Kind.MEASUREMENT;
    if (c.hasPath("kind")) {
      String k = string(c, "kind", prefix + ".kind", where);
      if (k.equals("count")) {
        kind = TelemetryField.Kind.COUNT;
      } else if (!k.equals("measurement")) {
        throw TelemetryErrors.badSchema(
            where, prefix + ".kind", "is '" + k + "'", "Use measurement or count");
      }
    }
    if (kind == TelemetryField.Kind.COUNT && !type.isInteger()) {
      throw TelemetryErrors.badSchema(
          where,
          prefix + ".kind",
          "is count but field '" + name + "' has type " + typeName,
          "A count must have type long or int");
    }
    Double min = c.hasPath("min") ? number(c, "min", prefix + ".min", where) : null;
    Double max = c.hasPath("max") ? number(c, "max", prefix + ".max", where) : null;
    if ((min != null || max != null) && !type.isNumeric()) {
      throw TelemetryErrors.badSchema(
          where,
          prefix + (min != null ? ".min" : ".max"),
          "is set on field '" + name + "' of type " + typeName,
          "Only double, long and int fields can have min/max");
    }
    if (kind == TelemetryField.Kind.COUNT && min != null && min < 0) {
      throw TelemetryErrors.badSchema(
          where,
          prefix + ".min",
          "is " + min + " on the count field '" + name + "'",
          "Counts are never negative; drop min or make it 0 or more");
    }
    if (min != null && max != null && min > max) {
      throw TelemetryErrors.badSchema(
          where,
          prefix + ".min",
          "is " + min + ", above max " + max + " for field '" + name + "'",
          "Swap or fix the bounds");
    }
    String unit = c.hasPath("unit") ? string(c, "unit", prefix + ".unit", where) : "";
    String description =
        c.hasPath("description") ? string(c, "description", prefix + ".description", where) : "";
    return new TelemetryField(name, type, required, kind, min, max, unit, description);
  }

  private static void checkName(String name, String key, String where) {
    if (!FIELD_NAME.matcher(name).matches()) {
      throw TelemetryErrors.badSchema(
          where,
          key,
          "is '" + name + "', not a valid field name",
          "Use 1-64 characters: a lower-case letter, then lower-case letters, digits or _");
    }
  }

  private static void checkKeys(Config c, String prefix, Set<String> allowed, String where) {
    for (String key : new TreeSet<>(c.root().keySet())) {
      if (!allowed.contains(key)) {
        throw TelemetryErrors.badSchema(
            where,
            prefix + "." + key,
            "is not a known key (a typo?)",
            "Use only " + new TreeSet<>(allowed));
      }
    }
  }

  private static Config object(Config c, String path, String where) {
    try {
      return c.getConfig(path);
    } catch (ConfigException e) {
      throw TelemetryErrors.badSchema(
          where, path, "is not an object", "Write it as " + path + " { ... }");
    }
  }

  private static String string(Config c, String path, String key, String where) {
    ConfigValue v = c.getValue(path);
    if (v.valueType() != ConfigValueType.STRING) {
      throw TelemetryErrors.badSchema(
          where, key, "is a " + v.valueType().name().toLowerCase(Locale.ROOT), "Use a string");
    }
    return (String) v.unwrapped();
  }

  private static boolean bool(Config c, String path, String key, String where) {
    try {
      return c.getBoolean(path);
    } catch (ConfigException e) {
      throw TelemetryErrors.badSchema(
          where, key, "is '" + c.getValue(path).unwrapped() + "'", "Use true or false");
    }
  }

  private static int intValue(Config c, String path, String key, String where) {
    try {
      return c.getInt(path);
    } catch (ConfigException e) {
      throw TelemetryErrors.badSchema(
          where, key, "is '" + c.getValue(path).unwrapped() + "'", "Use a whole number");
    }
  }

  private static double number(Config c, String path, String key, String where) {
    ConfigValue v = c.getValue(path);
    if (v.valueType() != ConfigValueType.NUMBER) {
      throw TelemetryErrors.badSchema(where, key, "is '" + v.unwrapped() + "'", "Use a number");
    }
    double d = ((Number) v.unwrapped()).doubleValue();
    if (!Double.isFinite(d)) {
      throw TelemetryErrors.badSchema(where, key, "is not finite", "Use a finite number");
    }
    return d;
  }

  /** Where this schema came from (a file path or a label), for messages. */
  public String origin() {
    return origin;
  }

  /**
   * All columns of a typed reading in their fixed order: device_id, timestamp, lat, lon, then the
   * sensor fields in file order. The Spark adapter builds its typed row schema from this list.
   */
  public List<TelemetryField> fields() {
    return fields;
  }

  /** The declared sensor fields, in file order (the fixed four excluded). */
  public List<TelemetryField> sensorFields() {
    return fields.subList(FIXED.size(), fields.size());
  }

  /** The field with this name, or null if none is declared. */
  public TelemetryField field(String name) {
    return byName.get(name);
  }

  /** The names of the fields the signature covers, sorted as the canonical encoding lists them. */
  public List<String> coveredFields() {
    return coveredFields;
  }

  /** The raw-record key holding the base64 Ed25519 signature. */
  public String signatureField() {
    return signatureField;
  }

  public Instant notBefore() {
    return notBefore;
  }

  public Duration maxClockSkew() {
    return maxClockSkew;
  }

  public EpochUnit epochUnit() {
    return epochUnit;
  }

  public boolean isPositionRequired() {
    return positionRequired;
  }

  @Override
  public String toString() {
    return "TelemetrySchema(" + origin + ", fields=" + fields + ", covered=" + coveredFields + ")";
  }
}
