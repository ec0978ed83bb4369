package org.synthweave.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.synthweave.core.CoreErrors;

/**
 * Resolves settings in one fixed order: {@code --set key=value} beats the job config file given
 * with {@code --conf}, which beats the embedded default {@code conf/local.conf}, which beats each
 * key's built-in default. Every key that appears anywhere must be registered, else the load fails
 * and names the nearest valid key. A --set key is a HOCON path like a file's keys, so a quoted
 * element keeps its dots: {@code --set 'spark.conf."spark.master"=yarn'}.
 */
public final class SettingsLoader {
  /** Classpath location of the embedded default, copied from conf/local.conf by the build. */
  public static final String EMBEDDED_DEFAULT = "synthweave/conf/local.conf";

  /** The origin of a value given with --set. */
  static final String SET_ORIGIN = "--set";

  /** The origin prefix of a value from the embedded default. */
  static final String EMBEDDED_ORIGIN = "embedded ";

  private final ConfigRegistry registry;

  public SettingsLoader(ConfigRegistry registry) {
    this.registry = registry;
  }

  /**
   * @param confFile the job config file, or null for the embedded default only
   * @param sets the --set options, each "key=value"
   */
  public Settings load(Path confFile, List<String> sets) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    Config embedded = embeddedDefault();
    if (confFile == null) {
      merge(embedded, c -> EMBEDDED_ORIGIN + EMBEDDED_DEFAULT, values, origins);
    } else {
      // Merged as HOCON, so that the job file's "key = null" drops a default (a declared check,
      // dataset or table of the embedded default) instead of leaving it in place.
      Config file = parseFile(confFile);
      String fileOrigin = confFile.toString();
      merge(
          file.withFallback(embedded),
          path -> file.hasPath(path) ? fileOrigin : EMBEDDED_ORIGIN + EMBEDDED_DEFAULT,
          values,
          origins);
    }
    for (String set : sets) {
      int eq = keyEnd(set);
      if (eq <= 0) {
        throw CoreErrors.badSetOption(set);
      }
      String key = canonicalKey(set.substring(0, eq).trim(), set);
      check(key, "--set " + set);
      values.put(key, set.substring(eq + 1));
      origins.put(key, SET_ORIGIN);
    }
    Settings settings = new Settings(values, origins);
    // Parse every explicit value now, so a bad value fails at start-up and not mid-job.
    for (String key : values.keySet()) {
      registry.find(key).ifPresent(settings::get);
    }
    return settings;
  }

  private static Config embeddedDefault() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl == null) {
      cl = SettingsLoader.class.getClassLoader();
    }
    try (InputStream in = cl.getResourceAsStream(EMBEDDED_DEFAULT)) {
      if (in == null) {
        return ConfigFactory.empty();
      }
      try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        return ConfigFactory.parseReader(r, ConfigParseOptions.defaults());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read embedded " + EMBEDDED_DEFAULT, e);
    }
  }

  private static Config parseFile(Path file) {
    if (!Files.isReadable(file)) {
      throw CoreErrors.configFileUnreadable(file, new IOException("file not found or unreadable"));
    }
    try {
      return ConfigFactory.parseFile(
          file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw CoreErrors.configFileUnreadable(file, e);
    }
  }

  /**
   * Index of the '=' that ends the key of a --set option: the first one outside double quotes, so
   * that a quoted path element such as {@code spark.conf."spark.master"} may hold any character. -1
   * when there is none.
   */
  static int keyEnd(String set) {
    boolean quoted = false;
    for (int i = 0; i < set.length(); i++) {
      char c = set.charAt(i);
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '=' && !quoted) {
        return i;
      }
    }
    return -1;
  }

  /**
   * A --set key read as a HOCON path, as in a config file: {@code spark.conf."spark.master"} is the
   * three elements spark, conf and spark.master, stored joined by '.' like a file's keys. A path
   * HOCON cannot read (an open quote, an empty element) is refused.
   */
  static String canonicalKey(String key, String option) {
    try {
      return String.join(".", ConfigUtil.splitPath(key));
    } catch (ConfigException e) {
      throw CoreErrors.badSetKey(option, key, e.getMessage());
    }
  }

  /** Adds every value of {@code config}, each with the origin {@code originOf} gives its path. */
  private void merge(
      Config config,
      java.util.function.UnaryOperator<String> originOf,
      Map<String, Object> values,
      Map<String, String> origins) {
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      // Quoted segments (free-form Spark keys contain dots) come back joined by '.'.
      String key = String.join(".", ConfigUtil.splitPath(e.getKey()));
      String origin = originOf.apply(e.getKey());
      check(key, origin);
      values.put(key, e.getValue().unwrapped());
      origins.put(key, origin);
    }
  }

  private void check(String key, String origin) {
    if (registry.find(key).isPresent()) {
      return;
    }
    if (!registry.isPassThrough(key)) {
      throw CoreErrors.unknownConfigKey(key, origin, registry.nearest(key));
    }
    if (key.startsWith(CoreConfig.SPARK_CONF_PREFIX)) {
      String sparkKey = key.substring(CoreConfig.SPARK_CONF_PREFIX.length());
      // Spark ignores settings whose names do not start with "spark." (a forgotten prefix, or
      // quotes left in the name): refuse them rather than let them do nothing.
      if (!sparkKey.startsWith("spark.") || sparkKey.length() == "spark.".length()) {
        throw CoreErrors.notASparkKey(sparkKey, origin);
      }
    }
  }
}
