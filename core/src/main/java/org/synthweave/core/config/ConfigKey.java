package org.synthweave.core.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One configuration key: its dotted name, type, documented default and a one-line description.
 * Stages declare their keys as constants in one class per stage (Iceberg's {@code
 * TableProperties}), so that {@code synthweave config --keys} can list them all.
 *
 * @param <T> the Java type of the value
 */
public final class ConfigKey<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The kinds of value a key can hold; each knows how to parse file values and --set strings. */
  public enum Kind {
    STRING("a string"),
    INT("a whole number"),
    LONG("a whole number"),
    DOUBLE("a number"),
    BOOLEAN("true or false"),
    STRING_LIST("a list of strings (a HOCON list, or comma-separated with --set)");

    private final String expected;

    Kind(String expected) {
      this.expected = expected;
    }

    String expected() {
      return expected;
    }
  }

  private final String name;
  private final Kind kind;
  private final T defaultValue;
  private final String doc;

  private ConfigKey(String name, Kind kind, T defaultValue, String doc) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (doc == null || doc.isBlank()) {
      throw new IllegalArgumentException("doc must not be blank for key " + name);
    }
    this.name = name;
    this.kind = Objects.requireNonNull(kind, "kind");
    this.defaultValue = defaultValue;
    this.doc = doc;
  }

  public static ConfigKey<String> string(String name, String defaultValue, String doc) {
    return new ConfigKey<>(name, Kind.STRING, defaultValue, doc);
  }

  public static ConfigKey<Integer> integer(String name, int defaultValue, String doc) {
    return new ConfigKey<>(name, Kind.INT, defaultValue, doc);
  }

  public static ConfigKey<Long> longKey(String name, long defaultValue, String doc) {
    return new ConfigKey<>(name, Kind.LONG, defaultValue, doc);
  }

  public static ConfigKey<Double> decimal(String name, double defaultValue, String doc) {
    return new ConfigKey<>(name, Kind.DOUBLE, defaultValue, doc);
  }

  public static ConfigKey<Boolean> bool(String name, boolean defaultValue, String doc) {
    return new ConfigKey<>(name, Kind.BOOLEAN, defaultValue, doc);
  }

  public static ConfigKey<List<String>> stringList(
      String name, List<String> defaultValue, String doc) {
    return new ConfigKey<>(name, Kind.STRING_LIST, List.copyOf(defaultValue), doc);
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public String doc() {
    return doc;
  }

  /**
   * Parses a raw value: a String (from --set), or a value unwrapped from HOCON (String, Number,
   * Boolean, List).
   *
   * @throws IllegalArgumentException with the expected form when the value does not parse
   */
  @SuppressWarnings("unchecked")
  T parse(Object raw) {
    Object value =
        switch (kind) {
          case STRING -> String.valueOf(raw);
          case INT -> Math.toIntExact(parseLong(raw));
          case LONG -> parseLong(raw);
          case DOUBLE -> raw instanceof Number n ? n.doubleValue() : Double.parseDouble(trim(raw));
          case BOOLEAN -> parseBoolean(raw);
          case STRING_LIST -> parseList(raw);
        };
    return (T) value;
  }

  String expected() {
    return kind.expected();
  }

  private static String trim(Object raw) {
    return String.valueOf(raw).trim();
  }

  private static long parseLong(Object raw) {
    if (raw instanceof Number n) {
      if (n.doubleValue() != Math.rint(n.doubleValue())) {
        throw new IllegalArgumentException("not a whole number: " + raw);
      }
      return n.longValue();
    }
    return Long.parseLong(trim(raw));
  }

  private static boolean parseBoolean(Object raw) {
    if (raw instanceof Boolean b) {
      return b;
    }
    String s = trim(raw).toLowerCase(Locale.ROOT);
    return switch (s) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException("not a boolean: " + raw);
    };
  }

  private static List<String> parseList(Object raw) {
    if (raw instanceof List<?> list) {
      List<String> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(String.valueOf(o));
      }
      return List.copyOf(out);
    }
    String s = trim(raw);
    if (s.isEmpty()) {
      return List.of();
    }
    if (s.startsWith("[") && s.endsWith("]")) {
      // A HOCON list, as a config file writes it: --set 'ingest.tables=[wine, "a,b"]'.
      try {
        return parseList(
            com.typesafe.config.ConfigFactory.parseString("v = " + s).getValue("v").unwrapped());
      } catch (com.typesafe.config.ConfigException e) {
        throw new IllegalArgumentException("not a list: " + s + " (" + e.getMessage() + ")", e);
      }
    }
    return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  @Override
  public String toString() {
    return name + " (" + kind.name().toLowerCase(Locale.ROOT) + ", default " + defaultValue + ")";
  }
}
