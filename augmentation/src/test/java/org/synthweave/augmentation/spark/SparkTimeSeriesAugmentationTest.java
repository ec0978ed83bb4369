package org.synthweave.augmentation.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.synthweave.augmentation.AugmentSamples;
import org.synthweave.augmentation.DatasetSpec;
import org.synthweave.core.testing.SparkTestBase;

/**
 * The time-series ops on real sensor readings (LWSNDR motes, data/samples/telemetry): statistical
 * properties, ordering, smoothness, window ops, constraints and partition independence. Seeds are
 * printed; rerun one with -Dtests.seed=N.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkTimeSeriesAugmentationTest extends SparkTestBase {
  private long seed;
  private Dataset<Row> readings;

  @BeforeAll
  void load() {
    seed = AugmentSamples.seed();
    System.out.println(
        "SparkTimeSeriesAugmentationTest seed: " + seed + " (-Dtests.seed=" + seed + ")");
    readings = AugmentSamples.telemetry(spark).cache();
  }

  private SparkAugmentation.Plan plan(Object ops, Object... more) {
    List<Object> kv = new ArrayList<>(List.of("kind", "time-series", "series", "device_id"));
    kv.addAll(List.of("time", "timestamp", "columns", List.of("humidity", "temperature")));
    kv.addAll(List.of("constraints.humidity.min", 0, "constraints.humidity.max", 100));
    kv.addAll(List.of("ops", ops));
    kv.addAll(List.of(more));
    DatasetSpec spec = AugmentSamples.spec("telemetry", kv.toArray());
    return new SparkAugmentation(spark, catalog, AugmentSamples.config(seed), "test")
        .plan(spec, readings);
  }

  private String why() {
    return "seed " + seed;
  }

  /** Per series copy, rows ordered by time. */
  private static Map<String, List<Row>> series(Dataset<Row> rows) {
    Map<String, List<Row>> out = new HashMap<>();
    for (Row r : rows.orderBy("device_id", "aug_copy", "timestamp").collectAsList()) {
      out.computeIfAbsent(r.getAs("device_id") + "#" + r.getAs("aug_copy"), k -> new ArrayList<>())
          .add(r);
    }
    return out;
  }

  @Test
  void timeWarpKeepsTimestampsOrderedAndTheSpan() {
    SparkAugmentation.Plan plan = plan("time-warp sigma=0.5 knots=4", "copies", 2);
    Dataset<Row> out = plan.valid();
    assertEquals(2 * readings.count(), out.count(), why());
    Map<String, Row> span = new HashMap<>();
    for (Row r : readings.groupBy("device_id").agg(Map.of("timestamp", "min")).collectAsList()) {
      span.put(r.getString(0), r);
    }
    int moved = 0;
    for (Map.Entry<String, List<Row>> e : series(out).entrySet()) {
      List<Row> s = e.getValue();
      for (int i = 1; i < s.size(); i++) {
        Timestamp a = s.get(i - 1).getAs("timestamp");
        Timestamp b = s.get(i).getAs("timestamp");
        assertTrue(b.after(a), e.getKey() + " not strictly ordered at " + i + ", " + why());
      }
      String device = e.getKey().substring(0, e.getKey().indexOf('#'));
      assertEquals(
          span.get(device).getTimestamp(1), s.get(0).getAs("timestamp"), "start kept, " + why());
    }
    // The values are the real ones, only their times moved.
    Dataset<Row> joined =
        out.select(col("aug_source_id"), col("timestamp").as("t2"), col("humidity").as("h2"))
            .join(plan.real(), "aug_source_id");
    assertEquals(0, joined.where("h2 != humidity").count(), why());
    moved = (int) joined.where("t2 != timestamp").count();
    assertTrue(moved > readings.count(), "most readings move, " + why());
    plan.release();
  }

  @Test
  void jitterAddsTheSpecifiedVarianceAndKeepsTheMean() {
    double sigma = 0.2;
    SparkAugmentation.Plan plan = plan("jitter sigma=" + sigma, "copies", 3);
    Dataset<Row> joined =
        plan.valid()
            .select(col("aug_source_id"), col("temperature").as("t2"))
            .join(plan.real(), "aug_source_id");
    double sd = readings.selectExpr("stddev_pop(temperature)").first().getDouble(0);
    Row r =
        joined.selectExpr("avg(t2 - temperature)", "var_pop(t2 - temperature)", "count(*)").first();
    long n = r.getLong(2);
    assertEquals(3 * readings.count(), n, why());
    assertEquals(0.0, r.getDouble(0), 4 * sigma * sd / Math.sqrt(n), why());
    assertEquals(1.0, r.getDouble(1) / (sigma * sigma * sd * sd), 0.1, why());
    plan.release();
  }

  @Test
  void magnitudeWarpIsASmoothCurveAroundOne() {
    SparkAugmentation.Plan plan = plan("magnitude-warp sigma=0.2 knots=4");
    Dataset<Row> joined =
        plan.valid()
            .select(
                col("aug_source_id"),
                col("aug_copy"),
                col("timestamp"),
                col("temperature").as("t2"))
            .join(plan.real().select("aug_source_id", "device_id", "temperature"), "aug_source_id");
    List<Row> rows =
        joined
            .selectExpr("device_id", "t2 / temperature as ratio")
            .orderBy("device_id")
            .collectAsList();
    Map<String, List<Double>> ratios = new HashMap<>();
    for (Row r :
        joined
            .selectExpr("device_id", "timestamp", "t2 / temperature as ratio")
            .orderBy("device_id", "timestamp")
            .collectAsList()) {
      ratios.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getDouble(2));
    }
    assertEquals(rows.size(), readings.count(), why());
    double sum = 0;
    int n = 0;
    for (List<Double> s : ratios.values()) {
      for (int i = 1; i < s.size(); i++) {
        // 4 pieces over ~400 readings: one step moves the curve by far less than sigma.
        assertTrue(Math.abs(s.get(i) - s.get(i - 1)) < 0.02, "jump at " + i + ", " + why());
      }
      for (double d : s) {
        sum += d;
        n++;
      }
    }
    assertEquals(1.0, sum / n, 0.5, why());
    plan.release();
  }

  @Test
  void sliceAndCropKeepAWindowOfTheSeries() {
    long total = readings.count();
    SparkAugmentation.Plan crop = plan("crop fraction=0.5");
    Dataset<Row> cropped = crop.valid().cache();
    long kept = cropped.count();
    assertTrue(kept > 0.4 * total && kept < 0.6 * total, kept + " of " + total + ", " + why());
    assertEquals(total, crop.expected(), why());
    // Crop keeps the real times of a contiguous window.
    assertEquals(
        0,
        cropped
            .select(col("aug_source_id"), col("timestamp").as("t2"))
            .join(crop.real(), "aug_source_id")
            .where("t2 != timestamp")
            .count(),
        why());
    cropped.unpersist();
    crop.release();
    SparkAugmentation.Plan slice = plan("slice fraction=0.5");
    Map<String, List<Row>> s = series(slice.valid());
    Map<String, Timestamp[]> real = new HashMap<>();
    for (Row r : readings.groupBy("device_id").agg(Map.of("timestamp", "min")).collectAsList()) {
      real.put(r.getString(0), new Timestamp[] {r.getTimestamp(1), null});
    }
    for (Row r : readings.groupBy("device_id").agg(Map.of("timestamp", "max")).collectAsList()) {
      real.get(r.getString(0))[1] = r.getTimestamp(1);
    }
    for (Map.Entry<String, List<Row>> e : s.entrySet()) {
      Timestamp[] want = real.get(e.getKey().substring(0, e.getKey().indexOf('#')));
      List<Row> rows = e.getValue();
      long first = rows.get(0).<Timestamp>getAs("timestamp").getTime();
      long last = rows.get(rows.size() - 1).<Timestamp>getAs("timestamp").getTime();
      // Slice stretches the window back over (nearly) the whole span: within one reading gap x 2.
      long gap = 2 * 5_000 * 2;
      assertTrue(Math.abs(first - want[0].getTime()) <= gap, why());
      assertTrue(Math.abs(last - want[1].getTime()) <= gap, why());
    }
    slice.release();
  }

  @Test
  void constraintsHoldAfterEveryOpAndOutputIsPartitionIndependent() {
    List<Object> ops =
        List.of(
            Map.of("op", "magnitude-scale", "sigma", 0.5),
            Map.of("op", "jitter", "sigma", 0.5),
            Map.of("op", "magnitude-warp", "sigma", 0.5),
            Map.of("op", "time-warp", "sigma", 0.3),
            Map.of("op", "crop", "fraction", 0.8));
    SparkAugmentation.Plan plan = plan(ops, "copies", 2);
    Dataset<Row> out = plan.valid();
    assertEquals(0, out.where("humidity < 0 or humidity > 100").count(), why());
    assertTrue(out.where("humidity = 100 or humidity = 0").count() >= 0);
    String a = AugmentSamples.hashSorted(out);
    SparkAugmentation aug =
        new SparkAugmentation(spark, catalog, AugmentSamples.config(seed), "test");
    List<Object> kv = new ArrayList<>(List.of("kind", "time-series", "series", "device_id"));
    kv.addAll(List.of("time", "timestamp", "columns", List.of("humidity", "temperature")));
    kv.addAll(List.of("constraints.humidity.min", 0, "constraints.humidity.max", 100));
    kv.addAll(List.of("ops", ops, "copies", 2));
    DatasetSpec spec = AugmentSamples.spec("telemetry", kv.toArray());
    String b = AugmentSamples.hashSorted(aug.plan(spec, readings.repartition(5)).valid());
    assertEquals(a, b, why());
    plan.release();
  }

  /** Great-circle distance in metres on the sphere gps-perturb uses. */
  private static double metres(double lat1, double lon1, double lat2, double lon2) {
    double p1 = Math.toRadians(lat1);
    double p2 = Math.toRadians(lat2);
    double h =
        Math.pow(Math.sin((p2 - p1) / 2), 2)
            + Math.cos(p1) * Math.cos(p2) * Math.pow(Math.sin(Math.toRadians(lon2 - lon1) / 2), 2);
    return 2 * SparkTimeSeriesOps.EARTH_RADIUS_M * Math.asin(Math.sqrt(Math.min(1, h)));
  }

  private SparkAugmentation.Plan gpsPlan(Dataset<Row> tracks, String ops, int copies) {
    DatasetSpec spec =
        AugmentSamples.spec(
            "tracks",
            "kind",
            "time-series",
            "series",
            "device_id",
            "time",
            "timestamp",
            "lat",
            "lat",
            "lon",
            "lon",
            "copies",
            copies,
            "ops",
            ops);
    return new SparkAugmentation(spark, catalog, AugmentSamples.config(seed), "test")
        .plan(spec, tracks);
  }

  @Test
  void gpsPerturbStaysWithinTheRadiusAndKeepsSpeedsPlausible() {
    java.util.Random r = new java.util.Random(seed);
    double radius = 5 + 195 * r.nextDouble();
    // The tracks drive at up to 100 km/h (27.8 m/s): a lower limit puts some steps over it.
    double maxSpeed = 15 + 30 * r.nextDouble();
    int knots = 2 + r.nextInt(15);
    String params = "radius=" + radius + " max-speed=" + maxSpeed + " knots=" + knots;
    String why = why() + ", " + params;
    Dataset<Row> tracks = AugmentSamples.gpsTracks(spark).cache();
    SparkAugmentation.Plan plan = gpsPlan(tracks, "gps-perturb " + params, 2);
    List<Row> out =
        plan.rows()
            .select(
                col("aug_source_id"),
                col("aug_copy"),
                col("_aug_violation"),
                col("device_id"),
                col("timestamp").as("t2"),
                col("lat").as("lat2"),
                col("lon").as("lon2"))
            .join(plan.real().select("aug_source_id", "timestamp", "lat", "lon"), "aug_source_id")
            .orderBy("device_id", "aug_copy", "timestamp", "aug_source_id")
            .collectAsList();
    assertEquals(2 * tracks.count(), out.size(), why);
    double sumMoved = 0;
    int overLimitSteps = 0;
    Row prev = null;
    for (Row x : out) {
      assertTrue(
          x.isNullAt(x.fieldIndex("_aug_violation")), x.getAs("_aug_violation") + ", " + why);
      assertEquals(x.<Timestamp>getAs("timestamp"), x.<Timestamp>getAs("t2"), "time kept, " + why);
      double lat2 = x.getAs("lat2");
      double lon2 = x.getAs("lon2");
      assertTrue(lat2 >= -90 && lat2 <= 90 && lon2 >= -180 && lon2 <= 180, why);
      double moved = metres(x.getAs("lat"), x.getAs("lon"), lat2, lon2);
      assertTrue(moved <= radius + 1e-6, moved + " m > radius, " + why);
      sumMoved += moved;
      if (prev != null
          && prev.getAs("device_id").equals(x.getAs("device_id"))
          && prev.getAs("aug_copy").equals(x.getAs("aug_copy"))) {
        double dt =
            (x.<Timestamp>getAs("timestamp").getTime()
                    - prev.<Timestamp>getAs("timestamp").getTime())
                / 1000.0;
        double v =
            metres(prev.getAs("lat"), prev.getAs("lon"), x.getAs("lat"), x.getAs("lon")) / dt;
        double v2 = metres(prev.getAs("lat2"), prev.getAs("lon2"), lat2, lon2) / dt;
        assertTrue(
            v2 <= Math.max(v, maxSpeed) + 1e-6,
            "speed " + v2 + " m/s after " + v + " m/s at " + x + ", " + why);
        if (v > maxSpeed) {
          overLimitSteps++;
        }
      }
      prev = x;
    }
    // Not vacuous: the fixes really move, on average by a good part of the radius.
    assertTrue(sumMoved / out.size() > 0.1 * radius, sumMoved / out.size() + " m, " + why);
    if (maxSpeed < 25) {
      assertTrue(overLimitSteps > 0, why);
    }
    plan.release();
    tracks.unpersist();
  }

  @Test
  void gpsPerturbRejectsInvalidPositionsAndIsPartitionIndependent() {
    Dataset<Row> tracks =
        AugmentSamples.gpsTracks(spark)
            .withColumn(
                "lat",
                org.apache
                    .spark
                    .sql
                    .functions
                    .when(
                        col("device_id")
                            .equalTo("van-east")
                            .and(col("timestamp").equalTo("1978-01-02 09:00:00")),
                        org.apache.spark.sql.functions.lit(91.0))
                    .otherwise(col("lat")));
    String ops = "gps-perturb radius=50 max-speed=30; jitter sigma=0.1";
    SparkAugmentation.Plan plan = gpsPlan(tracks, ops, 2);
    List<Row> bad = plan.rows().where("_aug_violation is not null").collectAsList();
    assertEquals(2, bad.size(), why());
    for (Row b : bad) {
      assertEquals("invalid_position:lat:gps-perturb", b.getAs("_aug_violation"), why());
    }
    String a = AugmentSamples.hashSorted(plan.valid());
    String b = AugmentSamples.hashSorted(gpsPlan(tracks.repartition(3), ops, 2).valid());
    assertEquals(a, b, why());
    plan.release();
  }
}
