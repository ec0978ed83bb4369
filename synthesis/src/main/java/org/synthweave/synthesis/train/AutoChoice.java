package org.synthweave.synthesis.train;

import java.util.List;
import java.util.Locale;

/**
 * How {@code synth.synthesizer = auto} picks among trained candidates, from their scores on real
 * rows none of them trained on. With a target, a candidate is eligible when a classifier trained on
 * its rows does nearly as well on the held-out rows as one trained on real rows: its TSTR ROC AUC
 * ratio (binary targets), else its F1 ratio (multiclass), at least {@link #MIN_TSTR_AUC_RATIO}; a
 * candidate whose ratio is undefined (the real-trained classifier scored 0) is eligible, since TSTR
 * cannot tell it apart. Among the eligible the lowest detection AUC wins (rows hardest to tell from
 * real ones), ties going to the higher quality score. When none is eligible the highest ratio wins.
 * Without a target only detection and quality count. A scorer that measures no detection AUC (NaN)
 * leaves quality to decide.
 */
public final class AutoChoice {
  /** Least TSTR ROC AUC ratio of an eligible candidate when there is a target. */
  public static final double MIN_TSTR_AUC_RATIO = 0.9;

  private AutoChoice() {}

  /**
   * One candidate's figures; NaN where the scorer measured nothing (no target: no TSTR; the
   * synthesis module's own scorer: no detection AUC).
   */
  public record Scores(
      double detectionAuc, double quality, double tstrRatio, double tstrAucRatio) {}

  /** A trained candidate and its scores. */
  public record Candidate(String kind, String modelId, Scores scores) {}

  /** The chosen candidate's index and why it won. */
  public record Choice(int index, String reason) {}

  public static Choice choose(List<Candidate> candidates, boolean hasTarget) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("no candidates");
    }
    int best = -1;
    if (hasTarget) {
      for (int i = 0; i < candidates.size(); i++) {
        Scores s = candidates.get(i).scores();
        if ((Double.isNaN(tstr(s)) || tstr(s) >= MIN_TSTR_AUC_RATIO)
            && (best < 0 || better(s, candidates.get(best).scores()))) {
          best = i;
        }
      }
      if (best < 0) {
        for (int i = 0; i < candidates.size(); i++) {
          double r = tstr(candidates.get(i).scores());
          if (best < 0 || r > tstr(candidates.get(best).scores())) {
            best = i;
          }
        }
        return new Choice(
            best,
            String.format(
                Locale.ROOT,
                "no candidate reached a TSTR ratio of %.2f; %s has the highest",
                MIN_TSTR_AUC_RATIO,
                candidates.get(best).kind()));
      }
      return new Choice(
          best,
          String.format(
              Locale.ROOT,
              "lowest detection AUC among the candidates with a TSTR ratio >= %.2f",
              MIN_TSTR_AUC_RATIO));
    }
    best = 0;
    for (int i = 1; i < candidates.size(); i++) {
      if (better(candidates.get(i).scores(), candidates.get(best).scores())) {
        best = i;
      }
    }
    return new Choice(
        best,
        Double.isNaN(candidates.get(best).scores().detectionAuc())
            ? "highest quality score"
            : "lowest detection AUC");
  }

  /** The TSTR ratio that judges: ROC AUC's when measured (binary target), else F1's. */
  static double tstr(Scores s) {
    return Double.isNaN(s.tstrAucRatio()) ? s.tstrRatio() : s.tstrAucRatio();
  }

  /** Lower detection AUC, then higher quality; NaN detection compares by quality alone. */
  private static boolean better(Scores a, Scores b) {
    boolean detection = !Double.isNaN(a.detectionAuc()) && !Double.isNaN(b.detectionAuc());
    if (detection && Math.abs(a.detectionAuc() - b.detectionAuc()) > 1e-9) {
      return a.detectionAuc() < b.detectionAuc();
    }
    return a.quality() > b.quality();
  }
}
