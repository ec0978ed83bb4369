package org.synthweave.verification.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.config.CoreConfig;
import org.synthweave.core.config.Settings;
import org.synthweave.core.config.SettingsLoader;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.verification.synthetic.SyntheticConfig;
import org.synthweave.verification.synthetic.SyntheticReport;

/**
 * Synthetic-table and index checks as declared under {@code verify.dataset.<name>}, on the bundled
 * wine table: a "synthetic" table of real rows the evaluator never trains on passes the fidelity
 * and privacy thresholds, a copy of the training rows fails the privacy ones, and a bad key is a
 * one-line configuration error.
 */
class SyntheticCheckTest extends SparkTestBase {
  private static final long SEED = 7;

  private Dataset<Row> train;
  private Dataset<Row> holdout;
  private Dataset<Row> unseen;
  private SyntheticConfig config;

  @BeforeAll
  void load() throws IOException {
    Path csv = repoRoot().resolve("data/samples/tables/wine.csv");
    Dataset<Row> wine =
        spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toString());
    // Three disjoint parts of the real rows: what a synthesizer learned from, the holdout, and
    // real rows it never saw (what a perfect synthesizer would make).
    Dataset<Row>[] parts = wine.randomSplit(new double[] {0.4, 0.3, 0.3}, SEED);
    train = parts[0].persist(StorageLevel.MEMORY_ONLY());
    holdout = parts[1].persist(StorageLevel.MEMORY_ONLY());
    unseen = parts[2].persist(StorageLevel.MEMORY_ONLY());
    config =
        SyntheticConfig.from(
            settings(null, "verify.synthetic.trees=10", "verify.synthetic.max-depth=5"));
  }

  private Settings settings(String hocon, String... sets) throws IOException {
    Path conf = null;
    if (hocon != null) {
      conf = warehouse.resolve("checks-" + System.nanoTime() + ".conf");
      Files.writeString(conf, hocon, StandardCharsets.UTF_8);
    }
    return new SettingsLoader(
            CoreConfig.registry()
                .register(SyntheticConfig.KEYS)
                .family(DatasetChecks.PREFIX, DatasetChecks.KEYS))
        .load(conf, List.of(sets));
  }

  private DatasetChecks checks(String hocon) throws IOException {
    return DatasetChecks.from("wine_synthetic", settings(hocon).explicitValues());
  }

  private static CheckResult result(List<CheckResult> rs, String metric) {
    return rs.stream()
        .filter(r -> r.metric().equals(metric))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + metric + " in " + rs));
  }

  private static final String THRESHOLDS =
      """
      verify.dataset.wine_synthetic {
        table = "gold/wine_synthetic"
        synthetic {
          real = "silver/wine"
          target = cultivar
          holdout = "silver/wine_holdout"
          quality-min = 0.75
          detection-auc-max = 0.85
          exact-copy-max = 0.01
          dcr-ratio-min = 0.6
        }
      }
      """;

  @Test
  void unseenRealRowsPass() throws IOException {
    DatasetChecks c = checks(THRESHOLDS);
    SyntheticCheck s = c.synthetic();
    assertEquals("silver/wine", s.real());
    assertEquals("silver/wine_holdout", s.holdout());
    List<CheckResult> rs = SparkChecks.runSynthetic(train, holdout, unseen, s, config);
    assertEquals(
        List.of("quality_score", "detection_auc", "exact_copy_rate", "dcr_ratio"),
        rs.stream().map(CheckResult::metric).toList());
    assertTrue(rs.stream().allMatch(CheckResult::pass), rs.toString());
    assertTrue(rs.stream().allMatch(r -> r.check().equals("synthetic")), rs.toString());
    assertEquals(">= 0.75", result(rs, "quality_score").threshold());
    assertEquals("<= 0.85", result(rs, "detection_auc").threshold());

    assertEquals(0.0, result(rs, "exact_copy_rate").value(), "no real row is in two parts");
    assertTrue(result(rs, "quality_score").value() < 1.0, rs.toString());
  }

  @Test
  void aCopyOfTheTrainingRowsFailsThePrivacyThresholds() throws IOException {
    SyntheticCheck s = checks(THRESHOLDS).synthetic();
    List<CheckResult> rs = SparkChecks.runSynthetic(train, holdout, train, s, config);
    CheckResult copies = result(rs, "exact_copy_rate");
    assertFalse(copies.pass(), rs.toString());
    assertEquals(1.0, copies.value());
    assertEquals("FAIL synthetic exact_copy_rate = 1, needs <= 0.01", copies.describe());
    CheckResult dcr = result(rs, "dcr_ratio");
    assertFalse(dcr.pass(), rs.toString());
    assertEquals(0.0, dcr.value());
    // A copy looks like real data: fidelity passes, only privacy tells it apart.
    assertTrue(result(rs, "quality_score").pass(), rs.toString());
  }

  /**
   * A report whose four checked figures are {@code quality}, {@code auc}, {@code copies}, {@code
   * dcr}.
   */
  private static SyntheticReport report(double quality, double auc, double copies, double dcr) {
    return new SyntheticReport(
        "t",
        1,
        10,
        10,
        10,
        quality,
        0.9,
        0.9,
        List.of(),
        List.of(),
        "macro F1",
        "rf",
        0.5,
        0.5,
        1,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        auc,
        List.of(),
        0.1,
        0.2,
        dcr,
        copies,
        List.of(),
        new SyntheticReport.CorrelationMatrix(List.of(), null, null),
        null);
  }

  @Test
  void eachThresholdReadsItsOwnFigureOnItsOwnSide() {
    SyntheticCheck s = new SyntheticCheck("r", "t", "", 0.8, 0.7, 0.0, 0.5);
    List<CheckResult> rs = s.evaluate(report(0.81, 0.62, 0.0, 0.93));
    assertEquals(List.of(0.81, 0.62, 0.0, 0.93), rs.stream().map(CheckResult::value).toList());
    // Equal to the bound passes on both sides.
    assertTrue(s.evaluate(report(0.8, 0.7, 0.0, 0.5)).stream().allMatch(CheckResult::pass));
    // Each figure just past its bound fails its own check only.
    assertEquals(List.of(false, true, true, true), passes(s.evaluate(report(0.79, 0.7, 0.0, 0.5))));
    assertEquals(List.of(true, false, true, true), passes(s.evaluate(report(0.8, 0.71, 0.0, 0.5))));
    assertEquals(List.of(true, true, false, true), passes(s.evaluate(report(0.8, 0.7, 0.01, 0.5))));
    assertEquals(List.of(true, true, true, false), passes(s.evaluate(report(0.8, 0.7, 0.0, 0.49))));
    // A figure the evaluator could not compute fails.
    CheckResult undefined = result(s.evaluate(report(0.8, 0.7, 0.0, Double.NaN)), "dcr_ratio");
    assertFalse(undefined.pass());
    assertEquals("none", undefined.shownValue());
    // Unset thresholds are not checked.
    SyntheticCheck one = new SyntheticCheck("r", "t", "", Double.NaN, 0.7, Double.NaN, Double.NaN);
    assertEquals(
        List.of("detection_auc"),
        one.evaluate(report(0, 0.5, 1, 0)).stream().map(CheckResult::metric).toList());
  }

  private static List<Boolean> passes(List<CheckResult> rs) {
    return rs.stream().map(CheckResult::pass).toList();
  }

  @Test
  void indexChecksReadTheirKeysAndCompareModelAndDimensions() throws IOException {
    DatasetChecks c =
        checks(
            """
            verify.dataset.wine_synthetic.index {
              name = rows-silver-wine, recall-min = 0.9, model = "row-features@abc", dimensions = 18
            }
            """);
    IndexCheck ix = c.index();
    assertNull(c.synthetic());
    assertEquals(new IndexCheck("rows-silver-wine", 0.9, "row-features@abc", 18, 200, 0), ix);
    List<CheckResult> ok =
        ix.evaluate("rows-silver-wine", new IndexCheck.Figures("row-features", "abc", 18, 0.9));
    assertTrue(ok.stream().allMatch(CheckResult::pass), ok.toString());
    List<CheckResult> bad =
        ix.evaluate("rows-silver-wine", new IndexCheck.Figures("row-features", "def", 384, 0.89));
    assertEquals(
        List.of(
            "FAIL index(rows-silver-wine) recall_at_10 = 0.890000, needs >= 0.9",
            "FAIL index(rows-silver-wine) model = row-features@def, needs = row-features@abc",
            "FAIL index(rows-silver-wine) dimensions = 384, needs = 18"),
        bad.stream().map(CheckResult::describe).toList());
  }

  @Test
  void aBadKeyIsAOneLineErrorBeforeAnyWork() throws IOException {
    Map<String, String> cases =
        Map.of(
            "verify.dataset.wine_synthetic.synthetic { real = a, target = t, quality-mn = 0.8 }",
            "Unknown key 'quality-mn' in verify.dataset.wine_synthetic.synthetic.quality-mn:"
                + " the synthetic check's keys are real, target, holdout, quality-min,"
                + " detection-auc-max, exact-copy-max, dcr-ratio-min. Did you mean 'quality-min'?",
            "verify.dataset.wine_synthetic.synthetic { real = a, quality-min = 0.8 }",
            "verify.dataset.wine_synthetic.synthetic.target",
            "verify.dataset.wine_synthetic.synthetic { real = a, target = t, detection-auc-max = 2 }",
            "verify.dataset.wine_synthetic.synthetic.detection-auc-max",
            "verify.dataset.wine_synthetic.synthetic { real = a, target = t }",
            "it needs at least one threshold",
            "verify.dataset.wine_synthetic.index { recal-min = 0.9 }",
            "Did you mean 'recall-min'?",
            "verify.dataset.wine_synthetic.index.dimensions = -3",
            "it must be a whole number >= 0",
            "verify.dataset.wine_synthetic.synthetc { real = a }",
            "Did you mean 'synthetic'?");
    for (Map.Entry<String, String> e : cases.entrySet()) {
      SynthweaveException x =
          assertThrows(SynthweaveException.class, () -> checks(e.getKey()), e.getKey());
      assertTrue(x.getMessage().contains(e.getValue()), e.getKey() + " -> " + x.getMessage());
      assertFalse(x.getMessage().contains("\n"), x.getMessage());
    }

    // A target the synthetic table lacks: named before any data is read.
    DatasetChecks noTarget =
        checks(
            "verify.dataset.wine_synthetic.synthetic { real = a, target = grape, quality-min = 0"
                + " }");
    SynthweaveException x =
        assertThrows(SynthweaveException.class, () -> SparkChecks.run(unseen, noTarget));
    assertTrue(x.getMessage().contains("'grape'"), x.getMessage());
    assertTrue(x.getMessage().contains("cultivar"), "lists the real columns: " + x.getMessage());
  }
}
