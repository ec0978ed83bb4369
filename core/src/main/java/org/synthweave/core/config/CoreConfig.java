package org.synthweave.core.config;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

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

  public static CoreConfig from(Settings s) {
    return new CoreConfig(
        s.get(WAREHOUSE),
        s.get(SPARK_MASTER),
        s.get(APP_NAME),
        s.get(SHUFFLE_PARTITIONS),
        s.get(SPARK_UI),
        s.withPrefix(SPARK_CONF_PREFIX),
        s.get(PROGRESS_INTERVAL_MS),
        s.get(RUN_ID));
  }

  /** A registry with the core keys and the Spark pass-through prefix; stages add theirs. */
  public static ConfigRegistry registry() {
    return new ConfigRegistry().register(KEYS).passThrough(SPARK_CONF_PREFIX);
  }
}
