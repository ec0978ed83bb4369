package org.synthweave.verification.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.synthweave.core.testing.HostileColumns;
import org.synthweave.core.testing.SparkTestBase;

/**
 * evaluate-synthetic on the real wine table whose columns carry hostile names (issue 17, item 6):
 * every metric is the same as on the same table with plain names.
 */
class EvaluateColumnNamesTest extends SparkTestBase {
  private static final long SEED = 20261204L;

  private SyntheticReport evaluate(Dataset<Row> wine, String target) {
    SyntheticEvaluator evaluator =
        new SyntheticEvaluator(
            SyntheticOptions.defaults().withSeed(SEED).withForest(8, 5).withDcrMaxRows(200));
    Dataset<Row>[] parts = wine.randomSplit(new double[] {0.5, 0.25, 0.25}, SEED);
    Dataset<Row> train = parts[0].cache();
    Dataset<Row> synthetic =
        new IndependentMarginalsSampler().sample(train, target, 50, SEED).cache();
    return evaluator.evaluate(train, parts[1], synthetic, target);
  }

  @Test
  void hostileNamesGiveTheSameReportAsPlainOnes() {
    Dataset<Row> hostile = HostileColumns.wine(spark).cache();
    // The same table with plain names (the empty header's _c6 kept: '_' columns are left out).
    List<String> plainNames = new ArrayList<>(HostileColumns.WINE_NAMES);
    plainNames.set(HostileColumns.NAMES.indexOf("_c6"), "_c6");
    Dataset<Row> plain = hostile.toDF(plainNames.toArray(String[]::new)).cache();

    SyntheticReport h = evaluate(hostile, HostileColumns.LABEL);
    SyntheticReport p = evaluate(plain, "cultivar");
    System.out.print("hostile names: " + h.summary());
    List<String> evaluated = h.columns().stream().map(SyntheticReport.ColumnScore::column).toList();
    for (String name : HostileColumns.NAMES) {
      assertEquals(!name.startsWith("_"), evaluated.contains(name), name + " in " + evaluated);
    }
    assertTrue(h.trtrMetric() > 0.7, "TRTR " + h.trtrMetric());
    assertEquals(p.qualityScore(), h.qualityScore(), 1e-9);
    assertEquals(p.columnPairTrends(), h.columnPairTrends(), 1e-9);
    assertEquals(p.trtrMetric(), h.trtrMetric(), 1e-9);
    assertEquals(p.tstrMetric(), h.tstrMetric(), 1e-9);
    assertEquals(p.detectionAuc(), h.detectionAuc(), 1e-9);
    assertEquals(p.dcrRatio(), h.dcrRatio(), 1e-9);
  }
}
