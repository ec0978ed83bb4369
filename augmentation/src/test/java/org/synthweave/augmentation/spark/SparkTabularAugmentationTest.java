package org.synthweave.augmentation.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
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
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.testing.SparkTestBase;

/**
 * Statistical properties of the tabular ops on real tables (UCI wine, Telco churn), determinism
 * across partitionings, constraints and the write path. Seeds are printed; rerun one with
 * -Dtests.seed=N.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkTabularAugmentationTest extends SparkTestBase {
  private long seed;
  private Dataset<Row> wine;
  private Dataset<Row> telco;

  @BeforeAll
  void load() {
    seed = AugmentSamples.seed();
    System.out.println(
        "SparkTabularAugmentationTest seed: " + seed + " (-Dtests.seed=" + seed + ")");
    wine = AugmentSamples.table(spark, "wine").cache();
    telco = AugmentSamples.table(spark, "telco-churn").cache();
  }

  private SparkAugmentation augmentation() {
    return new SparkAugmentation(spark, catalog, AugmentSamples.config(seed), "test-run");
  }

  private String why() {
    return "seed " + seed;
  }

  @Test
  void noiseKeepsTheMeanAndAddsTheSpecifiedVariance() {
    double sigma = 0.3;
    DatasetSpec spec =
        AugmentSamples.spec(
            "telco", "label", "churn", "ops", "noise sigma=" + sigma + " columns=monthly_charges");
    SparkAugmentation.Plan plan = augmentation().plan(spec, telco);
    Dataset<Row> out = plan.valid();
    Dataset<Row> joined =
        out.select(col("aug_source_id"), col("monthly_charges").as("noisy"))
            .join(
                plan.real().select(col("aug_source_id"), col("monthly_charges").as("orig")),
                "aug_source_id");
    Row real = telco.selectExpr("avg(monthly_charges)", "stddev_pop(monthly_charges)").first();
    double sd = real.getDouble(1);
    Row r =
        joined
            .selectExpr(
                "avg(noisy - orig)", "var_pop(noisy - orig)", "avg(noisy)", "count(*)", "avg(orig)")
            .first();
    long n = r.getLong(3);
    // Telco has a few identical rows: one source row each.
    assertEquals(telco.distinct().count(), n, why());
    double expectedVar = sigma * sigma * sd * sd;
    // The residual is the noise: mean 0 within 4 standard errors, variance within 8%.
    assertEquals(0.0, r.getDouble(0), 4 * sigma * sd / Math.sqrt(n), why());
    assertEquals(1.0, r.getDouble(1) / expectedVar, 0.08, why());
    // Against the mean of the same (distinct) source rows: Telco's duplicate rows and the few
    // values clamped at the column's bounds move the whole table's mean by about as much as the
    // tolerance, which made this check fail for some seeds.
    assertEquals(r.getDouble(4), r.getDouble(2), 4 * sigma * sd / Math.sqrt(n), why());
    assertEquals(real.getDouble(0), r.getDouble(4), 0.05 * real.getDouble(0), why());
    plan.release();
  }

  @Test
  void mixupStaysOnTheSegmentToASameClassPartner() {
    int crossClass = checkMixup("keep");
    assertEquals(0, crossClass, why());
  }

  @Test
  void mixupWithMixedLabelsPairsAcrossClassesAndWeighsTheLabels() {
    int crossClass = checkMixup("mix");
    // Partners are drawn over all rows: another class with probability 1 - sum (n_c / n)^2 = 0.66
    // for wine's 59/71/48 rows.
    double share = crossClass / (178.0 * 3);
    assertTrue(share > 0.58 && share < 0.74, "cross-class share " + share + ", " + why());
  }

  /**
   * Mixup on wine with the label rule {@code labels}: every row on the segment to its partner with
   * one lambda in [0.6, 1], the row's own label kept, and (mix) the soft label columns; returns how
   * many rows got a partner of another class.
   */
  private int checkMixup(String labels) {
    DatasetSpec spec =
        AugmentSamples.spec(
            "wine",
            "label",
            "cultivar",
            "copies",
            3,
            "ops",
            "mixup lambda-min=0.6 labels=" + labels);
    SparkAugmentation.Plan plan = augmentation().plan(spec, wine);
    Dataset<Row> valid = plan.valid();
    boolean mix = labels.equals("mix");
    assertEquals(
        mix,
        List.of(valid.columns()).contains(SparkAugmentation.LABEL_WEIGHT),
        "soft label columns only with labels=mix, " + why());
    List<Row> out = valid.collectAsList();
    Map<String, Row> real = new HashMap<>();
    for (Row r : plan.real().collectAsList()) {
      real.put(r.getAs("aug_source_id"), r);
    }
    assertEquals(178 * 3, out.size(), why());
    String[] numeric = {"alcohol", "malic_acid", "flavanoids", "proline", "hue"};
    int checked = 0;
    int crossClass = 0;
    for (Row o : out) {
      Row a = real.get(o.<String>getAs("aug_source_id"));
      List<String> partners = o.getList(o.fieldIndex("aug_partner_ids"));
      assertEquals(1, partners.size(), why());
      Row b = real.get(partners.get(0));
      boolean same = a.<String>getAs("cultivar").equals(b.<String>getAs("cultivar"));
      crossClass += same ? 0 : 1;
      assertEquals(a.<String>getAs("cultivar"), o.<String>getAs("cultivar"), why());
      Double lambda = null;
      for (String c : numeric) {
        double x = ((Number) a.getAs(c)).doubleValue();
        double y = ((Number) b.getAs(c)).doubleValue();
        double v = ((Number) o.getAs(c)).doubleValue();
        double slack = c.equals("proline") ? 0.5 : 1e-9; // proline is whole: rounded
        assertTrue(v >= Math.min(x, y) - slack && v <= Math.max(x, y) + slack, c + " " + why());
        if (Math.abs(x - y) > 1e-6 && !c.equals("proline")) {
          double l = (v - y) / (x - y);
          assertTrue(l >= 0.6 - 1e-9 && l <= 1 + 1e-9, "lambda " + l + " " + why());
          if (lambda != null) {
            assertEquals(lambda, l, 1e-6, "one lambda per row, " + why());
          }
          lambda = l;
          checked++;
        }
      }
      if (mix) {
        assertEquals(b.<String>getAs("cultivar"), o.getAs(SparkAugmentation.MIX_LABEL), why());
        double w = o.getAs(SparkAugmentation.LABEL_WEIGHT);
        if (same) {
          assertEquals(1.0, w, why());
        } else {
          assertTrue(w >= 0.6 && w <= 1, why());
          if (lambda != null) {
            assertEquals(lambda, w, 1e-6, "the label weight is the row's lambda, " + why());
          }
        }
      }
    }
    assertTrue(checked > 500, why());
    plan.release();
    return crossClass;
  }

  @Test
  void smoteBalancesTheMinorityClassWithNeighbourInterpolation() {
    DatasetSpec spec =
        AugmentSamples.spec(
            "telco",
            "label",
            "churn",
            "balance",
            true,
            "columns",
            List.of("tenure", "monthly_charges", "total_charges"),
            "ops",
            "smote k=5");
    // A third of the customers (by a hash of their row), to keep the per-class self-join small.
    Dataset<Row> third = telco.distinct().where("pmod(hash(*), 3) = 0").cache();
    SparkAugmentation.Plan plan = augmentation().plan(spec, third);
    Dataset<Row> out = plan.valid().cache();
    long no = third.where("churn = 'No'").count();
    long yes = third.where("churn = 'Yes'").count();
    long augYes = out.where("churn = 'Yes'").count();
    assertEquals(0, out.where("churn = 'No'").count(), why());
    assertTrue(yes + augYes >= no && yes + augYes < no + yes, why());
    Map<String, Row> real = new HashMap<>();
    for (Row r : plan.real().collectAsList()) {
      real.put(r.getAs("aug_source_id"), r);
    }
    for (Row o : out.limit(2000).collectAsList()) {
      Row a = real.get(o.<String>getAs("aug_source_id"));
      Row b = real.get(o.<String>getList(o.fieldIndex("aug_partner_ids")).get(0));
      assertEquals("Yes", b.getAs("churn"), why());
      // tenure is whole (rounded); monthly charges lie on the segment.
      double x = a.<Double>getAs("monthly_charges");
      double y = b.<Double>getAs("monthly_charges");
      double v = o.<Double>getAs("monthly_charges");
      assertTrue(v >= Math.min(x, y) - 1e-9 && v <= Math.max(x, y) + 1e-9, why());
      int t = o.<Integer>getAs("tenure");
      assertTrue(
          t >= Math.min(a.<Integer>getAs("tenure"), b.<Integer>getAs("tenure"))
              && t <= Math.max(a.<Integer>getAs("tenure"), b.<Integer>getAs("tenure")),
          why());
    }
    out.unpersist();
    plan.release();
  }

  @Test
  void smoteBlockedSearchFindsNearNeighboursAndIsExactForASmallClass() {
    List<String> cols = List.of("tenure", "monthly_charges", "total_charges");
    Dataset<Row> third = telco.distinct().where("pmod(hash(*), 3) = 0").cache();
    // About 620 churners: one block of 1,000 is the exact search, 4 x 64 < 620 is not.
    double[] exact = partnerRanks(third, cols, "smote k=5 block=1000");
    double[] blocked = partnerRanks(third, cols, "smote k=5 block=64 projections=4");
    System.out.printf(
        java.util.Locale.ROOT,
        "smote partners among the 5 nearest: exact %.3f, blocked %.3f; among the 20 nearest:"
            + " blocked %.3f%n",
        exact[0],
        blocked[0],
        blocked[1]);
    assertEquals(1.0, exact[0], why());
    assertTrue(blocked[0] > 0.85, "blocked " + blocked[0] + ", " + why());
    assertTrue(blocked[1] > 0.97, "blocked " + blocked[1] + ", " + why());
    third.unpersist();
  }

  /**
   * Balances churn with {@code ops} and ranks every output row's partner by its standardized
   * distance among the real churners: the shares of partners among the 5 and the 20 nearest.
   */
  private double[] partnerRanks(Dataset<Row> source, List<String> cols, String ops) {
    DatasetSpec spec =
        AugmentSamples.spec(
            "telco", "label", "churn", "balance", true, "columns", cols, "ops", ops);
    SparkAugmentation.Plan plan = augmentation().plan(spec, source);
    List<Row> realRows = plan.real().collectAsList();
    int d = cols.size();
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (int j = 0; j < d; j++) {
      Row r =
          plan.real()
              .selectExpr(
                  "avg(cast(" + cols.get(j) + " as double))",
                  "stddev_pop(cast(" + cols.get(j) + " as double))")
              .first();
      mean[j] = r.getDouble(0);
      sd[j] = r.getDouble(1) > 0 ? r.getDouble(1) : 1;
    }
    Map<String, Double[]> z = new HashMap<>();
    for (Row r : realRows) {
      if (!"Yes".equals(r.getAs("churn"))) {
        continue;
      }
      Double[] v = new Double[d];
      for (int j = 0; j < d; j++) {
        Object x = r.getAs(cols.get(j));
        v[j] = x == null ? null : (((Number) x).doubleValue() - mean[j]) / sd[j];
      }
      z.put(r.getAs("aug_source_id"), v);
    }
    int near5 = 0;
    int near20 = 0;
    List<Row> out = plan.valid().collectAsList();
    for (Row o : out) {
      String id = o.getAs("aug_source_id");
      Double[] a = z.get(id);
      double partner = dist(a, z.get(o.<String>getList(o.fieldIndex("aug_partner_ids")).get(0)));
      int closer = 0;
      for (Map.Entry<String, Double[]> e : z.entrySet()) {
        if (!e.getKey().equals(id) && dist(a, e.getValue()) < partner - 1e-9) {
          closer++;
        }
      }
      near5 += closer < 5 ? 1 : 0;
      near20 += closer < 20 ? 1 : 0;
    }
    plan.release();
    assertTrue(out.size() > 500, why());
    return new double[] {near5 / (double) out.size(), near20 / (double) out.size()};
  }

  private static double dist(Double[] a, Double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      if (a[j] != null && b[j] != null) {
        s += (a[j] - b[j]) * (a[j] - b[j]);
      }
    }
    return Math.sqrt(s);
  }

  @Test
  void categoricalResampleFollowsClassConditionalFrequencies() {
    DatasetSpec spec =
        AugmentSamples.spec(
            "telco",
            "label",
            "churn",
            "copies",
            2,
            "ops",
            "categorical-resample p=1 columns=contract|payment_method");
    SparkAugmentation.Plan plan = augmentation().plan(spec, telco);
    Dataset<Row> out = plan.valid().cache();
    for (String c : List.of("contract", "payment_method")) {
      for (String cls : List.of("Yes", "No")) {
        Map<String, Double> want = shares(telco.where(col("churn").equalTo(cls)), c);
        Map<String, Double> got = shares(out.where(col("churn").equalTo(cls)), c);
        assertEquals(want.keySet(), got.keySet(), c + " " + cls + " " + why());
        double tv = 0;
        for (String v : want.keySet()) {
          tv += Math.abs(want.get(v) - got.get(v)) / 2;
        }
        assertTrue(tv < 0.04, "total variation " + tv + " for " + c + "|" + cls + " " + why());
      }
    }
    out.unpersist();
    plan.release();
  }

  private static Map<String, Double> shares(Dataset<Row> rows, String column) {
    long n = rows.count();
    Map<String, Double> out = new HashMap<>();
    for (Row r : rows.groupBy(column).count().collectAsList()) {
      out.put(r.getString(0), r.getLong(1) / (double) n);
    }
    return out;
  }

  @Test
  void constraintsClampOrRejectAndEveryRowIsCounted() {
    // Huge noise on never-negative whole-number columns: clamp keeps them >= 0 and whole ...
    DatasetSpec clamp =
        AugmentSamples.spec(
            "wine_clamp",
            "label",
            "cultivar",
            "constraints.alcohol.max",
            14.0,
            "columns",
            List.of("alcohol", "magnesium", "proline"),
            "ops",
            "noise sigma=3");
    Dataset<Row> out = augmentation().plan(clamp, wine).valid();
    assertEquals(0, out.where("magnesium < 0 or proline < 0 or alcohol > 14.0").count(), why());
    assertEquals(0, out.where("magnesium != round(magnesium)").count(), why());
    // ... reject sends the rows that broke one to quarantine, with the reason, and loses none.
    DatasetSpec reject =
        AugmentSamples.spec(
            "wine_reject",
            "label",
            "cultivar",
            "copies",
            2,
            "ops",
            "noise sigma=3 columns=magnesium|alcohol on-violation=reject");
    RunSummary summary = new RunSummary("r1", "test", Instant.now());
    augmentation().augment(reject, wine, summary);
    SourceCounts counts = summary.total(SparkAugmentation.STAGE);
    assertEquals(356, counts.in(), why());
    assertTrue(counts.quarantined() > 0 && counts.out() > 0, why());
    assertEquals(counts.in(), counts.out() + counts.quarantined() + counts.duplicates(), why());
    Dataset<Row> q = spark.read().format("delta").load(catalog.path("quarantine/augment"));
    assertEquals(counts.quarantined(), q.count(), why());
    assertEquals(
        counts.quarantined(),
        q.where("reason = 'out_of_range' and field in ('magnesium', 'alcohol')").count(),
        why());
    Dataset<Row> gold = spark.read().format("delta").load(catalog.path(reject.target()));
    assertEquals(counts.out(), gold.count(), why());
    assertEquals(0, gold.where("magnesium < 0 or alcohol < 0").count(), why());
    assertEquals(gold.count(), gold.where("origin = 'augmented' and aug_seed = " + seed).count());
    // A rerun adds nothing: every valid row is a duplicate of one already written.
    RunSummary again = new RunSummary("r2", "test", Instant.now());
    augmentation().augment(reject, wine, again);
    SourceCounts c2 = again.total(SparkAugmentation.STAGE);
    assertEquals(0, c2.out(), why());
    assertEquals(counts.out(), c2.duplicates(), why());
    again.checkBalanced();
  }

  @Test
  void outputDoesNotDependOnPartitioning() {
    DatasetSpec spec =
        AugmentSamples.spec(
            "telco",
            "label",
            "churn",
            "balance",
            true,
            "columns",
            List.of("tenure", "monthly_charges", "total_charges", "senior_citizen"),
            "ops",
            List.of(
                Map.of("op", "smote", "k", 3),
                Map.of("op", "noise", "sigma", 0.05),
                Map.of("op", "mixup"),
                Map.of("op", "scale", "range", 0.05),
                Map.of(
                    "op", "categorical-resample", "p", 0.3, "columns", "contract|payment_method")));
    Dataset<Row> sample = telco.where("pmod(hash(*), 10) = 0");
    sample = sample.cache();
    String one =
        AugmentSamples.hashSorted(augmentation().plan(spec, sample.repartition(1)).valid());
    String seven =
        AugmentSamples.hashSorted(augmentation().plan(spec, sample.repartition(7)).valid());
    assertEquals(one, seven, why());
    sample.unpersist();
  }
}
