package org.synthweave.synthesis.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.synthweave.synthesis.train.AutoChoice.Candidate;
import org.synthweave.synthesis.train.AutoChoice.Scores;

class AutoChoiceTest {
  private static Candidate c(String kind, double det, double q, double tstrAuc) {
    return new Candidate(kind, kind + "-1", new Scores(det, q, Double.NaN, tstrAuc));
  }

  @Test
  void withATargetTheLeastDetectableEligibleCandidateWins() {
    List<Candidate> cs =
        List.of(
            c("copula", 0.70, 0.97, 0.80),
            c("ctgan", 0.78, 0.93, 0.97),
            c("tvae", 0.74, 0.9, 0.95));
    AutoChoice.Choice ch = AutoChoice.choose(cs, true);
    // copula is least detectable but teaches a classifier too little (0.80 < 0.9).
    assertEquals(2, ch.index());
    assertTrue(ch.reason().contains("TSTR"), ch.reason());
  }

  @Test
  void aMulticlassTargetIsJudgedByTheF1Ratio() {
    // Penguins (3 species): no ROC AUC ratio, so the F1 ratio decides who is eligible.
    List<Candidate> cs =
        List.of(
            new Candidate("copula", "c", new Scores(0.681, 0.90, 0.641, Double.NaN)),
            new Candidate("ctgan", "g", new Scores(0.877, 0.78, 0.767, Double.NaN)),
            new Candidate("tvae", "t", new Scores(0.710, 0.87, 0.872, Double.NaN)));
    // None reaches 0.9: the best teacher (tvae, 0.872) wins.
    assertEquals(2, AutoChoice.choose(cs, true).index());
    List<Candidate> eligible =
        List.of(
            new Candidate("copula", "c", new Scores(0.70, 0.90, 0.95, Double.NaN)),
            new Candidate("tvae", "t", new Scores(0.75, 0.87, Double.NaN, Double.NaN)));
    // An undefined ratio cannot exclude a candidate: both eligible, copula less detectable.
    assertEquals(0, AutoChoice.choose(eligible, true).index());
  }

  @Test
  void whenNoneIsEligibleTheBestTeacherWins() {
    List<Candidate> cs = List.of(c("copula", 0.70, 0.97, 0.60), c("ctgan", 0.9, 0.9, 0.85));
    assertEquals(1, AutoChoice.choose(cs, true).index());
  }

  @Test
  void withoutATargetDetectionThenQualityDecide() {
    assertEquals(
        0,
        AutoChoice.choose(List.of(c("a", 0.7, 0.8, Double.NaN), c("b", 0.8, 0.99, 1)), false)
            .index());
    assertEquals(
        1,
        AutoChoice.choose(List.of(c("a", 0.7, 0.8, Double.NaN), c("b", 0.7, 0.9, 1)), false)
            .index());
    // The synthesis module's own scorer measures no detection: quality alone.
    AutoChoice.Choice q =
        AutoChoice.choose(
            List.of(c("a", Double.NaN, 0.8, Double.NaN), c("b", Double.NaN, 0.9, Double.NaN)),
            false);
    assertEquals(1, q.index());
    assertEquals("highest quality score", q.reason());
    assertThrows(IllegalArgumentException.class, () -> AutoChoice.choose(List.of(), false));
  }
}
