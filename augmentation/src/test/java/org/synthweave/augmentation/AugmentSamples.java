package org.synthweave.augmentation;

import static org.apache.spark.sql.functions.col;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.synthweave.core.ContentIds;
import org.synthweave.core.config.Settings;
import org.synthweave.core.testing.SparkTestBase;

/** Real samples and helpers shared by the augmentation tests. */
public final class AugmentSamples {
  private AugmentSamples() {}

  /** A committed table sample (data/samples/tables/NAME.csv) with an inferred schema. */
  public static Dataset<Row> table(SparkSession spark, String name) {
    return spark
        .read()
        .option("header", "true")
        .option("inferSchema", "true")
        .csv(SparkTestBase.repoRoot().resolve("data/samples/tables/" + name + ".csv").toString());
  }

  /** The real telemetry readings of data/samples/telemetry/readings.jsonl, typed. */
  public static Dataset<Row> telemetry(SparkSession spark) {
    return spark
        .read()
        .json(SparkTestBase.repoRoot().resolve("data/samples/telemetry/readings.jsonl").toString())
        .withColumn("timestamp", col("timestamp").cast("timestamp"))
        .drop("signature");
  }

  /**
   * The vehicle tracks of data/samples/telemetry/gps-tracks.csv (real Irish station positions,
   * interpolated between them; see data/scripts/telemetry/make-gps-tracks.sh), typed.
   */
  public static Dataset<Row> gpsTracks(SparkSession spark) {
    return spark
        .read()
        .option("header", "true")
        .schema(
            "device_id STRING, timestamp TIMESTAMP, lat DOUBLE, lon DOUBLE, leg_kmh INT,"
                + " next_station STRING")
        .csv(SparkTestBase.repoRoot().resolve("data/samples/telemetry/gps-tracks.csv").toString());
  }

  /** A dataset spec from key=value pairs under augment.dataset.NAME. */
  public static DatasetSpec spec(String name, Object... keyValues) {
    Map<String, Object> v = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      v.put(DatasetSpec.PREFIX + name + "." + keyValues[i], keyValues[i + 1]);
    }
    return DatasetSpec.from(name, v);
  }

  /** Settings with a seed, for AugmentationConfig. */
  public static AugmentationConfig config(long seed) {
    return AugmentationConfig.from(
        Settings.defaults()
            .with(AugmentationConfig.SEED.name(), seed)
            .with(
                AugmentationConfig.WORDNET_DIR.name(),
                SparkTestBase.repoRoot().resolve("data/bench/wordnet").toString()));
  }

  /** SHA-256 of the rows' JSON sorted: equal iff the tables hold the same rows. */
  public static String hashSorted(Dataset<Row> rows) {
    List<String> json = new ArrayList<>(rows.toJSON().collectAsList());
    json.sort(null);
    return ContentIds.sha256Hex(String.join("\n", json).getBytes(StandardCharsets.UTF_8));
  }

  /** A seed for a test: -Dtests.seed=N replays one, else the time. Printed by the caller. */
  public static long seed() {
    String s = System.getProperty("tests.seed");
    return s != null ? Long.parseLong(s) : System.nanoTime();
  }
}
