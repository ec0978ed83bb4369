package org.synthweave.verification.synthetic;

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
 * against the real training rows, the independent-marginals baseline, and copies of training rows.
 * Figures are printed so runs can be compared; forests are small to keep the run short.
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
    assertTrue(r.dcrRatio() > 0.7 && r.dcrRatio() < 1.4, "DCR ratio " + r.dcrRatio());
    assertTrue(r.exactCopyRate() < 0.02, "exact copies " + r.exactCopyRate());
    assertEquals(20, r.columns().size());
    assertEquals(20 * 19 / 2, r.pairs().size());

    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertEquals(r.detectionAuc(), json.get("detection_auc").asDouble(), 0);
    assertEquals(20, json.get("columns").size());

    Path html = dir.resolve("_report/index.html");
    r.writeHtml(html);
    String text = Files.readString(html, StandardCharsets.UTF_8);
    assertTrue(text.contains("<svg"), "inline SVG plots");
    assertTrue(text.contains("monthly_charges"), "a numeric column's plot");
    assertTrue(text.contains("payment_method"), "a categorical column's plot");
    assertFalse(text.contains("<script"), "no script");
    // The only URL is the SVG namespace name, which nothing fetches.
    String noNamespace = text.replace("http://www.w3.org/2000/svg", "");
    assertFalse(noNamespace.contains("http:") || noNamespace.contains("https:"), "external URL");
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
