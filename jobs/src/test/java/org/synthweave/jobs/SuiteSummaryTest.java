package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The suite's label shares, goal checks and summary statistics, on hand-computed figures. */
class SuiteSummaryTest {
  private static final double EPS = 1e-12;

  @Test
  void labelShareOfABinaryTargetIsTheMinorityClassAndItsGap() {
    LabelShare s = LabelShare.of(Map.of("No", 700L, "Yes", 300L), Map.of("No", 600L, "Yes", 400L));
    assertEquals("Yes", s.rarestClass());
    assertEquals(0.3, s.real(), EPS);
    assertEquals(0.4, s.synthetic(), EPS);
    assertEquals(0.1, s.maxDiff(), EPS);
  }

  @Test
  void labelShareOfAMulticlassTargetTakesTheLargestGapOverAllClasses() {
    // Real 50/30/20, synthetic 40/45/15: the rarest real class (C) is off by 0.05, B by 0.15.
    LabelShare s =
        LabelShare.of(Map.of("A", 50L, "B", 30L, "C", 20L), Map.of("A", 80L, "B", 90L, "C", 30L));
    assertEquals("C", s.rarestClass());
    assertEquals(0.2, s.real(), EPS);
    assertEquals(0.15, s.synthetic(), EPS);
    assertEquals(0.15, s.maxDiff(), EPS);
  }

  @Test
  void aClassOnlyOneSideHasCountsFully() {
    // The synthetic rows lose the rare class and invent one: both gaps count.
    LabelShare lost = LabelShare.of(Map.of("a", 90L, "b", 10L), Map.of("a", 100L));
    assertEquals(0.0, lost.synthetic(), EPS);
    assertEquals(0.1, lost.maxDiff(), EPS);
    LabelShare invented =
        LabelShare.of(Map.of("a", 50L, "b", 50L), Map.of("a", 25L, "b", 25L, "z", 50L));
    assertEquals("a", invented.rarestClass(), "a tie goes to the first class by name");
    assertEquals(0.5, invented.maxDiff(), EPS);
    assertThrows(IllegalArgumentException.class, () -> LabelShare.of(Map.of(), Map.of("a", 1L)));
  }

  private static SuiteResult result(
      String table,
      String synthesizer,
      double detection,
      double baseline,
      double f1Ratio,
      double aucRatio,
      double copies,
      double labelGap) {
    return new SuiteResult(
        table,
        synthesizer,
        0.9,
        detection,
        baseline,
        f1Ratio,
        aucRatio,
        copies,
        new LabelShare("x", 0.3, 0.3 + labelGap, labelGap));
  }

  @Test
  void goalsHoldAtTheirBoundsAndFailJustBeyond() {
    SuiteResult atBounds = result("t", "copula", 0.7, 0.71, 0.85, 0.85, 0.01, 0.05);
    assertEquals(
        Map.of(
            SuiteResult.DETECTION, true,
            SuiteResult.TSTR_F1, true,
            SuiteResult.TSTR_AUC, true,
            SuiteResult.EXACT_COPIES, true,
            SuiteResult.LABEL_SHARE, true),
        atBounds.goals());
    assertTrue(atBounds.meetsAllGoals());

    SuiteResult beyond = result("t", "copula", 0.71, 0.71, 0.849, 0.849, 0.0101, 0.0501);
    assertTrue(
        beyond.goals().values().stream().allMatch(Boolean.FALSE::equals), beyond.goals()::toString);
    assertFalse(beyond.meetsAllGoals());
    // One missed goal is enough.
    assertFalse(result("t", "copula", 0.7, 0.71, 0.9, 0.9, 0.02, 0.0).meetsAllGoals());
  }

  @Test
  void anUndefinedAucRatioDoesNotCountButAnUndefinedF1RatioDoes() {
    SuiteResult multiclass = result("wine", "copula", 0.6, 0.9, 0.95, Double.NaN, 0.0, 0.01);
    assertNull(multiclass.goals().get(SuiteResult.TSTR_AUC));
    assertTrue(multiclass.meetsAllGoals());

    SuiteResult noF1 = result("lending-club", "copula", 0.6, 0.9, Double.NaN, 0.95, 0.0, 0.01);
    assertNull(noF1.goals().get(SuiteResult.TSTR_F1));
    assertFalse(
        noF1.meetsAllGoals(), "an F1 ratio that cannot be computed cannot be shown to hold");

    SuiteResult noBaseline = result("t", "copula", 0.6, Double.NaN, 0.95, 0.95, 0.0, 0.01);
    assertNull(noBaseline.goals().get(SuiteResult.DETECTION));
    assertFalse(noBaseline.meetsAllGoals());
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(3.0, SuiteSummary.median(new double[] {5, 1, 3}), EPS);
    assertEquals(2.5, SuiteSummary.median(new double[] {4, 1, 3, 2}), EPS);
    assertEquals(7.0, SuiteSummary.median(new double[] {7}), EPS);
    assertTrue(Double.isNaN(SuiteSummary.median(new double[0])));
  }

  @Test
  @SuppressWarnings("unchecked")
  void summaryGivesMediansGoalCountsAndFailuresPerSynthesizer() {
    List<SuiteResult> results =
        List.of(
            result("a", "copula", 0.60, 0.90, 0.90, 0.95, 0.0, 0.01), // meets every goal
            result("b", "copula", 0.95, 0.90, 0.50, Double.NaN, 0.0, 0.01), // multiclass
            result("c", "copula", 0.70, 0.80, 0.86, 0.70, 0.0, 0.10),
            result("a", "ctgan", 0.80, 0.90, 0.70, 0.90, 0.02, 0.00));
    Map<String, Object> line = SuiteSummary.of(results, Map.of("ctgan", List.of("b")));
    assertEquals(true, line.get("summary"));
    assertEquals(3L, line.get("tables"));
    Map<String, Map<String, Object>> per =
        (Map<String, Map<String, Object>>) line.get("synthesizers");
    assertEquals(List.of("copula", "ctgan"), List.copyOf(per.keySet()));

    Map<String, Object> copula = per.get("copula");
    assertEquals(3, copula.get("tables"));
    assertEquals(0.70, copula.get("median_detection_auc"));
    assertEquals(0.90, copula.get("median_baseline_detection_auc"));
    assertEquals(0.86, copula.get("median_tstr_ratio"));
    assertEquals(0.825, copula.get("median_tstr_auc_ratio"), "over the two binary tables");
    assertEquals(2, copula.get("tstr_auc_ratio_tables"));
    assertFalse(copula.containsKey("tstr_ratio_tables"), "every table has an F1 ratio");
    Map<String, Long> met = (Map<String, Long>) copula.get("goal_met_tables");
    assertEquals(2L, met.get(SuiteResult.DETECTION));
    assertEquals(2L, met.get(SuiteResult.TSTR_F1));
    assertEquals(1L, met.get(SuiteResult.TSTR_AUC));
    assertEquals(3L, met.get(SuiteResult.EXACT_COPIES));
    assertEquals(2L, met.get(SuiteResult.LABEL_SHARE));
    assertEquals(1, copula.get("tables_meeting_all_goals"));
    assertEquals(List.of("a"), copula.get("meeting_all_goals"));
    assertEquals(List.of(), copula.get("failed"));

    Map<String, Object> ctgan = per.get("ctgan");
    assertEquals(2, ctgan.get("tables"), "a failed run still counts as a table of the suite");
    assertEquals(0.80, ctgan.get("median_detection_auc"));
    assertEquals(0, ctgan.get("tables_meeting_all_goals"));
    assertEquals(List.of("b"), ctgan.get("failed"));
  }

  @Test
  void theSummaryIsOneJsonLine() {
    String json =
        BenchSynthCommand.json(
            SuiteSummary.of(
                List.of(result("penguins", "copula", 0.6, 0.9, 0.9, Double.NaN, 0, 0)), Map.of()));
    assertFalse(json.contains("\n"), json);
    assertTrue(json.startsWith("{\"bench\":\"synth-suite\",\"summary\":true,\"tables\":1,"), json);
    assertTrue(json.contains("\"median_tstr_auc_ratio\":null"), json);
  }
}
