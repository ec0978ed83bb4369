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
 * and names the nearest valid key.
 */
public final class SettingsLoader {
  /** Classpath location of the embedded default, copied from conf/local.conf by the build. */
  public static final String EMBEDDED_DEFAULT = "synthweave/conf/local.conf";

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
    merge(embeddedDefault(), "embedded " + EMBEDDED_DEFAULT, values, origins);
    if (confFile != null) {
      merge(parseFile(confFile), confFile.toString(), values, origins);
    }
    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw CoreErrors.badSetOption(set);
      }
      String key = set.substring(0, eq).trim();
      check(key, "--set " + set);
      values.put(key, set.substring(eq + 1));
      origins.put(key, "--set");
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

  private void merge(
      Config config, String origin, Map<String, Object> values, Map<String, String> origins) {
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      // Quoted segments (free-form Spark keys contain dots) come back joined by '.'.
      String key = String.join(".", ConfigUtil.splitPath(e.getKey()));
      check(key, origin);
      values.put(key, e.getValue().unwrapped());
      origins.put(key, origin);
    }
  }

  private void check(String key, String origin) {
    if (registry.find(key).isEmpty() && !registry.isPassThrough(key)) {
      throw CoreErrors.unknownConfigKey(key, origin, registry.nearest(key));
    }
  }
}
