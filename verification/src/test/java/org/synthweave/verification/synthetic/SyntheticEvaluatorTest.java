package org.synthweave.verification.synthetic;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.testing.SparkTestBase;

/**
 * The evaluator on a real table (Telco customer churn, 4,000 of its 7,043 rows): a real holdout
 * against the real training rows, the independent-marginals baseline, randomly labelled rows, and
 * copies of training rows. Figures are printed so runs can be compared; forests are small to keep
 * the run short.
 */
class SyntheticEvaluatorTest extends SparkTestBase {
  private static final long SEED = 20261125L;
  private static final String TARGET = "churn";

  private Dataset<Row> train;
  private Dataset<Row> holdout;
  private Dataset<Row> otherReal;
  private SyntheticEvaluator evaluator;
  private SyntheticReport realReport;

  /** Real rows as the "synthetic" table, evaluated once for the tests that compare with it. */
  private SyntheticReport realAgainstReal() {
    if (realReport == null) {
      realReport = evaluator.evaluate(train, holdout, otherReal, TARGET);
      System.out.print("real vs real: " + realReport.summary());
    }
    return realReport;
  }

  @BeforeAll
  void readTelco() {
    System.out.println("SyntheticEvaluatorTest seed: " + SEED);
    Dataset<Row> telco =
        spark
            .read()
            .option("header", "true")
            .option("inferSchema", "true")
            .csv(repoRoot().resolve("data/samples/tables/telco-churn.csv").toString());
    // About 4,000 of the 7,043 rows keep the run short: 2,400 training rows, 800 holdout rows and
    // 800 other real rows.
    Dataset<Row>[] parts = telco.randomSplit(new double[] {0.34, 0.115, 0.115, 0.43}, SEED);
    train = parts[0].cache();
    holdout = parts[1].cache();
    otherReal = parts[2].cache();
    evaluator =
        new SyntheticEvaluator(
            SyntheticOptions.defaults().withSeed(SEED).withForest(12, 6).withDcrMaxRows(500));
  }

  @Test
  void realRowsAgainstRealRowsLookReal(@TempDir Path dir) throws Exception {
    SyntheticReport r = realAgainstReal();
    assertTrue(r.qualityScore() >= 0.9, "quality " + r.qualityScore());
    assertTrue(r.columnShapes() >= 0.9, "shapes " + r.columnShapes());
    assertTrue(r.detectionAuc() <= 0.6, "detection AUC " + r.detectionAuc());
    assertTrue(r.tstrRatio() >= 0.85, "TSTR ratio " + r.tstrRatio());
    // Churn is predictable from the other columns: the real-trained forest ranks far above chance,
    // and one trained on other real rows as well.
    assertTrue(r.trtrAuc() >= 0.75 && r.trtrAuc() <= 1, "TRTR AUC " + r.trtrAuc());
    assertTrue(r.tstrAuc() >= 0.75 && r.tstrAuc() <= 1, "TSTR AUC " + r.tstrAuc());
    assertEquals(r.tstrAuc() / r.trtrAuc(), r.tstrAucRatio(), 1e-12);
    assertTrue(r.tstrAucRatio() >= 0.9, "TSTR AUC ratio " + r.tstrAucRatio());
    assertTrue(r.dcrRatio() > 0.7 && r.dcrRatio() < 1.4, "DCR ratio " + r.dcrRatio());
    assertTrue(r.exactCopyRate() < 0.02, "exact copies " + r.exactCopyRate());
    assertEquals(20, r.columns().size());
    assertEquals(20 * 19 / 2, r.pairs().size());

    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertEquals(r.detectionAuc(), json.get("detection_auc").asDouble(), 0);
    assertEquals(r.tstrAuc(), json.get("tstr_auc").asDouble(), 0);
    assertEquals(r.trtrAuc(), json.get("trtr_auc").asDouble(), 0);
    assertEquals(r.tstrAucRatio(), json.get("tstr_auc_ratio").asDouble(), 0);
    JsonNode b = new ObjectMapper().readTree(r.withBaseline(r.asBaseline()).toJson());
    assertEquals(
        r.tstrAuc(), b.get("independent_marginals_baseline").get("tstr_auc").asDouble(), 0);
    assertEquals(
        r.tstrAucRatio(),
        b.get("independent_marginals_baseline").get("tstr_auc_ratio").asDouble(),
        0);
    assertEquals(20, json.get("columns").size());

    Path html = dir.resolve("_report/index.html");
    r.writeHtml(html);
    String text = Files.readString(html, StandardCharsets.UTF_8);
    assertTrue(text.contains("<svg"), "inline SVG plots");
    assertTrue(text.contains("monthly_charges"), "a numeric column's plot");
    assertTrue(text.contains("payment_method"), "a categorical column's plot");
    assertTrue(text.contains("TRTR ROC AUC"), "AUC in the summary table");
    assertFalse(text.contains("<script"), "no script");
    // The only URL is the SVG namespace name, which nothing fetches.
    String noNamespace = text.replace("http://www.w3.org/2000/svg", "");
    assertFalse(noNamespace.contains("http:") || noNamespace.contains("https:"), "external URL");
  }

  /**
   * Real rows with one column shifted are detected, and the report names that column as the one the
   * detection forests leaned on; the importances cover every column and sum to 1.
   */
  @Test
  void detectionNamesTheColumnThatGivesRowsAway() throws Exception {
    Dataset<Row> shifted =
        otherReal.withColumn("monthly_charges", otherReal.col("monthly_charges").plus(lit(25.0)));
    SyntheticReport r = evaluator.evaluate(train, holdout, shifted, TARGET);
    System.out.print("monthly_charges + 25: " + r.summary());
    assertTrue(r.detectionAuc() >= 0.8, "detection AUC " + r.detectionAuc());
    assertEquals(20, r.detectionColumns().size());
    assertEquals("monthly_charges", r.detectionColumns().get(0).column());
    double sum = r.detectionColumns().stream().mapToDouble(w -> w.weight()).sum();
    assertEquals(1.0, sum, 1e-6);
    assertTrue(r.topDetectionColumns(2).startsWith("monthly_charges:"), r.topDetectionColumns(2));
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertEquals(
        r.detectionColumns().get(0).weight(),
        json.get("detection_columns").get("monthly_charges").asDouble(),
        0);
    assertTrue(r.summary().contains("detection leans on           monthly_charges:"));
    assertTrue(SyntheticReportHtml.render(r).contains("What gives the synthetic rows away"));
  }

  @Test
  void independentMarginalsAreDetectedThoughShapesAreKept() {
    Dataset<Row> sampled =
        new IndependentMarginalsSampler().sample(train, TARGET, holdout.count(), SEED).cache();
    SyntheticReport base = evaluator.evaluate(train, holdout, sampled, TARGET);
    SyntheticReport real = realAgainstReal();
    System.out.print("independent marginals: " + base.summary());
    assertTrue(base.columnShapes() >= 0.9, "shapes " + base.columnShapes());
    assertTrue(base.detectionAuc() >= 0.8, "detection AUC " + base.detectionAuc());
    assertTrue(
        base.columnPairTrends() < real.columnPairTrends() - 0.02,
        "pair trends " + base.columnPairTrends() + " vs real " + real.columnPairTrends());
    assertTrue(base.detectionAuc() > real.detectionAuc() + 0.2);
    assertTrue(base.tstrAuc() >= 0 && base.tstrAuc() <= 1, "baseline TSTR AUC " + base.tstrAuc());
    assertEquals(real.trtrAuc(), base.trtrAuc(), 1e-12, "the same real-trained forest");
  }

  /**
   * TRTR ranks the holdout far above chance; a forest trained on the same rows with labels drawn at
   * random (the class share kept) is near chance (about 830 holdout rows: the standard error of a
   * chance AUC is about 0.02). Multiclass targets (no AUC) are covered by the CLI test on wine.
   */
  @Test
  void aucSeesRealSignalNotRandomLabels() {
    SyntheticOptions options = evaluator.options();
    EvaluatedColumns cols = EvaluatedColumns.of(train, TARGET, options);
    Dataset<Row> t = cols.normalize(train, "train").cache();
    SparkClassifiers classifiers = new SparkClassifiers(cols, t, options);
    // Not rand(SEED): randomSplit(.., SEED) drew the split from the same generator stream, and a
    // forest on labels drawn from it scored a holdout AUC of 0.67 instead of about 0.5.
    long labelSeed = new java.util.Random(SEED).nextLong();
    Dataset<Row> drawn =
        train
            .withColumn(
                "random_label",
                when(rand(labelSeed).lt(share(train)), lit("Yes")).otherwise(lit("No")))
            .cache();
    long[][] counts = new long[2][2]; // [churn is Yes][random label is Yes]
    for (Row r : drawn.groupBy(TARGET, "random_label").count().collectAsList()) {
      counts["Yes".equals(r.getString(0)) ? 1 : 0]["Yes".equals(r.getString(1)) ? 1 : 0] +=
          r.getLong(2);
    }
    double yesAmongChurners = (double) counts[1][1] / (counts[1][0] + counts[1][1]);
    double yesAmongOthers = (double) counts[0][1] / (counts[0][0] + counts[0][1]);
    System.out.println(
        "random label 'Yes' among churners " + yesAmongChurners + ", others " + yesAmongOthers);
    // About 630 churners and 1,750 others: the standard error of the difference is about 0.02.
    assertEquals(yesAmongChurners, yesAmongOthers, 0.08, "random labels independent of churn");
    Dataset<Row> randomLabels =
        drawn.withColumn(TARGET, drawn.col("random_label")).drop("random_label");
    SparkClassifiers.Efficacy noise =
        classifiers.efficacy(
            classifiers.encode(cols.normalize(randomLabels, "random labels")),
            classifiers.encode(cols.normalize(holdout, "holdout")));
    double trtr = realAgainstReal().trtrAuc();
    System.out.println("random labels " + noise + ", TRTR AUC " + trtr);
    assertTrue(noise.auc() >= 0 && noise.auc() <= 1, "random-label AUC " + noise.auc());
    assertTrue(noise.auc() < 0.6, "random-label AUC " + noise.auc());
    assertTrue(noise.auc() < trtr - 0.15, noise.auc() + " vs TRTR " + trtr);
    drawn.unpersist();
    t.unpersist();
  }

  @Test
  void samplerIsDeterministicPerSeedAndKeepsClassShares() {
    IndependentMarginalsSampler sampler = new IndependentMarginalsSampler();
    Dataset<Row> a = sampler.sample(train, TARGET, 3000, 5L).cache();
    Dataset<Row> b = sampler.sample(train, TARGET, 3000, 5L);
    Dataset<Row> c = sampler.sample(train, TARGET, 3000, 6L);
    assertEquals(3000, a.count());
    assertEquals(0, a.exceptAll(b).count(), "same seed, same rows");
    assertTrue(a.exceptAll(c).count() > 2000, "another seed, other rows");
    assertEquals(train.columns().length, a.columns().length);
    double realYes = share(train);
    double sampledYes = share(a);
    // 3,000 draws: the standard error of a share near 0.27 is about 0.008.
    assertEquals(realYes, sampledYes, 0.04, "class share");
  }

  @Test
  void copiesOfTrainingRowsAreCaught() {
    Dataset<Row> copies = train.sample(false, 0.3, SEED);
    EvaluatedColumns cols = EvaluatedColumns.of(train, TARGET, evaluator.options());
    Dataset<Row> t = cols.normalize(train, "train").cache();
    Dataset<Row> s = cols.normalize(copies, "synthetic");
    Dataset<Row> h = cols.normalize(holdout, "holdout");
    long n = s.count();
    double rate = SparkPrivacy.exactCopyRate(cols, t, s, n);
    SparkPrivacy.Dcr dcr = SparkPrivacy.dcr(cols, t, h, h.count(), s, n, 500, SEED);
    System.out.println("copies: exact " + rate + ", DCR " + dcr);
    assertEquals(1.0, rate, 0.0);
    assertEquals(0.0, dcr.syntheticMedian(), 0.0);
    assertTrue(dcr.holdoutMedian() > 0, "holdout DCR " + dcr.holdoutMedian());
    assertEquals(0.0, dcr.ratio(), 0.0);
  }

  private static double share(Dataset<Row> table) {
    return (double) table.filter("churn = 'Yes'").count() / table.count();
  }
}
