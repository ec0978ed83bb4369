package org.synthweave.core.config;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.synthweave.core.CoreErrors;

/**
 * Keys shared by every job: where the warehouse is and how Spark runs. Free-form Spark settings go
 * under {@code spark.conf."spark.some.key"}.
 */
public record CoreConfig(
    String warehouse,
    String sparkMaster,
    String appName,
    int shufflePartitions,
    boolean sparkUi,
    Map<String, String> sparkConf,
    long progressIntervalMs,
    String runId)
    implements Serializable {

  public static final ConfigKey<String> WAREHOUSE =
      ConfigKey.string(
          "warehouse", "warehouse", "Root directory (or URI) of all Delta tables of this project.");
  public static final ConfigKey<String> SPARK_MASTER =
      ConfigKey.string(
          "spark.master", "", "Spark master URL. Empty: whatever spark-submit set, else local[*].");
  public static final ConfigKey<String> APP_NAME =
      ConfigKey.string("spark.app-name", "synthweave", "Spark application name.");
  public static final ConfigKey<Integer> SHUFFLE_PARTITIONS =
      ConfigKey.integer(
          "spark.shuffle-partitions",
          8,
          "spark.sql.shuffle.partitions: a few for local runs, 2-4x the cores on a cluster.");
  public static final ConfigKey<Boolean> SPARK_UI =
      ConfigKey.bool("spark.ui", false, "Whether to start the Spark web UI.");
  public static final ConfigKey<Long> PROGRESS_INTERVAL_MS =
      ConfigKey.longKey(
          "progress.interval-ms",
          2000L,
          "How often long work prints a progress line to stderr; 0 turns progress off.");
  public static final ConfigKey<String> RUN_ID =
      ConfigKey.string(
          "run.id",
          "",
          "Identifier of this run in the _runs table; empty: a time-based id is generated.");

  /** Prefix under which any Spark configuration can be passed through unchecked. */
  public static final String SPARK_CONF_PREFIX = "spark.conf.";

  public static final List<ConfigKey<?>> KEYS =
      List.of(
          WAREHOUSE,
          SPARK_MASTER,
          APP_NAME,
          SHUFFLE_PARTITIONS,
          SPARK_UI,
          PROGRESS_INTERVAL_MS,
          RUN_ID);

  /**
   * The Spark setting each dedicated key stands for. When both are given, the one from the stronger
   * source (--set, then file, then embedded default) takes effect; from the same source they must
   * agree, else the load fails rather than silently ignore one.
   */
  static final Map<ConfigKey<?>, String> SPARK_EQUIVALENTS =
      Map.of(
          SPARK_MASTER, "spark.master",
          APP_NAME, "spark.app.name",
          SHUFFLE_PARTITIONS, "spark.sql.shuffle.partitions",
          SPARK_UI, "spark.ui.enabled");

  public static CoreConfig from(Settings s) {
    Map<String, String> sparkConf = new TreeMap<>(s.withPrefix(SPARK_CONF_PREFIX));
    return new CoreConfig(
        s.get(WAREHOUSE),
        resolve(s, SPARK_MASTER, sparkConf),
        resolve(s, APP_NAME, sparkConf),
        resolve(s, SHUFFLE_PARTITIONS, sparkConf),
        resolve(s, SPARK_UI, sparkConf),
        Map.copyOf(sparkConf),
        s.get(PROGRESS_INTERVAL_MS),
        s.get(RUN_ID));
  }

  /**
   * The value of {@code key} after weighing it against its pass-through twin, which is removed from
   * {@code sparkConf} either way so that only the winner reaches Spark.
   */
  private static <T> T resolve(Settings s, ConfigKey<T> key, Map<String, String> sparkConf) {
    String sparkKey = SPARK_EQUIVALENTS.get(key);
    String raw = sparkConf.remove(sparkKey);
    if (raw == null) {
      return s.get(key);
    }
    String fullName = SPARK_CONF_PREFIX + sparkKey;
    T passed;
    try {
      passed = key.parse(raw);
    } catch (RuntimeException e) {
      throw CoreErrors.badConfigValue(fullName, raw, key.expected(), s.origin(fullName), e);
    }
    int direct = s.precedence(key.name());
    int through = s.precedence(fullName);
    if (direct > through) {
      return s.get(key);
    }
    if (direct == through && !passed.equals(s.get(key))) {
      throw CoreErrors.conflictingSparkSetting(
          key.name(), s.get(key), sparkKey, raw, s.origin(fullName));
    }
    return passed;
  }

  /** A registry with the core keys and the Spark pass-through prefix; stages add theirs. */
  public static ConfigRegistry registry() {
    return new ConfigRegistry().register(KEYS).passThrough(SPARK_CONF_PREFIX);
  }
}
