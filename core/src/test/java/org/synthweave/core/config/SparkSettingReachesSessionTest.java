package org.synthweave.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.synthweave.core.spark.SparkSessions;

/**
 * A Spark setting given as the README writes it, {@code --set 'spark.conf."spark.key"=value'},
 * reaches the SparkSession built from the resolved configuration: the master (which has a dedicated
 * key too) and a plain SQL setting.
 */
class SparkSettingReachesSessionTest {
  @Test
  void quotedSparkSettingsAfterSetReachTheSession() {
    Settings s =
        new SettingsLoader(CoreConfig.registry())
            .load(
                null,
                List.of(
                    "spark.conf.\"spark.master\"=local[1]",
                    "spark.conf.\"spark.sql.shuffle.partitions\"=7",
                    "spark.conf.\"spark.driver.host\"=127.0.0.1",
                    "spark.conf.\"spark.sql.adaptive.enabled\"=false",
                    "progress.interval-ms=0"));
    SparkSession spark = SparkSessions.create(CoreConfig.from(s));
    try {
      assertEquals("local[1]", spark.sparkContext().master());
      assertEquals("7", spark.conf().get("spark.sql.shuffle.partitions"));
      assertEquals(
          7,
          spark
              .range(100)
              .repartition(org.apache.spark.sql.functions.col("id"))
              .rdd()
              .getNumPartitions());
    } finally {
      spark.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
  }
}
