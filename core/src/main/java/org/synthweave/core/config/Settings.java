package org.synthweave.core.config;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.synthweave.core.ContentIds;
import org.synthweave.core.CoreErrors;

/**
 * The resolved configuration of one run: raw values with the place each came from. Typed values are
 * read through {@link ConfigKey}s; a key with no value takes its documented default. Immutable and
 * serializable, so executors can receive it.
 */
public final class Settings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TreeMap<String, Object> values;
  private final TreeMap<String, String> origins;

  Settings(Map<String, Object> values, Map<String, String> origins) {
    this.values = new TreeMap<>(values);
    this.origins = new TreeMap<>(origins);
  }

  /** Settings holding only defaults; handy in tests. */
  public static Settings defaults() {
    return new Settings(Map.of(), Map.of());
  }

  /** Returns a copy with {@code key} set to {@code value} (as if given with --set). */
  public Settings with(String key, Object value) {
    TreeMap<String, Object> v = new TreeMap<>(values);
    TreeMap<String, String> o = new TreeMap<>(origins);
    v.put(key, value);
    o.put(key, "code");
    return new Settings(v, o);
  }

  /** The typed value of {@code key}: the configured one if any, else its default. */
  public <T> T get(ConfigKey<T> key) {
    Object raw = values.get(key.name());
    if (raw == null) {
      return key.defaultValue();
    }
    try {
      return key.parse(raw);
    } catch (RuntimeException e) {
      throw CoreErrors.badConfigValue(key.name(), raw, key.expected(), origin(key.name()), e);
    }
  }

  /** Where the value of {@code name} came from: a file, --set, or "default". */
  public String origin(String name) {
    return origins.getOrDefault(name, "default");
  }

  /**
   * How strongly the value of {@code name} was given, in the resolution order: 3 for --set (or set
   * in code), 2 for a job config file, 1 for the embedded default, 0 for none.
   */
  int precedence(String name) {
    String o = origins.get(name);
    if (o == null) {
      return 0;
    }
    if (o.equals(SettingsLoader.SET_ORIGIN) || o.equals("code")) {
      return 3;
    }
    return o.startsWith(SettingsLoader.EMBEDDED_ORIGIN) ? 1 : 2;
  }

  /** Raw configured values (not defaults), sorted by key. */
  public Map<String, Object> explicitValues() {
    return Collections.unmodifiableMap(values);
  }

  /** Free-form sub-keys under a pass-through prefix, e.g. Spark settings under "spark.conf.". */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), String.valueOf(v));
          }
        });
    return out;
  }

  /**
   * SHA-256 of the explicitly configured values, for provenance: two runs with the same hash ran
   * with the same configuration (defaults belong to the code version).
   */
  public String hash() {
    StringBuilder sb = new StringBuilder();
    values.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return ContentIds.sha256Hex(sb.toString().getBytes(StandardCharsets.UTF_8));
  }
}
