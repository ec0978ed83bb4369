package org.synthweave.jobs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one synthesizer on one suite table that issue 18's goals judge, and the judgement.
 * A figure that could not be computed is NaN (e.g. the ROC AUC ratio of a multiclass target, or the
 * F1 ratio when the forest trained on real rows never predicts the minority class); its goal is
 * then {@code null}, "not judged".
 *
 * @param table the suite table's file name, e.g. {@code telco-churn}
 * @param synthesizer the synthesizer's name as given to {@code --synthesizers}
 * @param qualityScore the SDMetrics quality score
 * @param detectionAuc detection ROC AUC of the synthetic rows against the real holdout
 * @param baselineDetectionAuc the same for the independent-marginals baseline on the same split
 * @param tstrRatio F1 of the synthetic-trained forest over that of the real-trained one
 * @param tstrAucRatio the same for ROC AUC (binary targets only)
 * @param exactCopyRate share of synthetic rows equal to a real training row
 * @param labelShare the label's class shares, real training rows vs synthetic rows
 */
record SuiteResult(
    String table,
    String synthesizer,
    double qualityScore,
    double detectionAuc,
    double baselineDetectionAuc,
    double tstrRatio,
    double tstrAucRatio,
    double exactCopyRate,
    LabelShare labelShare) {

  /** The same figures under another synthesizer's name (auto's pick judged as its candidate). */
  SuiteResult as(String name) {
    return new SuiteResult(
        table,
        name,
        qualityScore,
        detectionAuc,
        baselineDetectionAuc,
        tstrRatio,
        tstrAucRatio,
        exactCopyRate,
        labelShare);
  }

  /** TSTR F1 and ROC AUC ratios must reach this. */
  static final double MIN_TSTR_RATIO = 0.85;

  /** At most this share of synthetic rows may copy a training row exactly. */
  static final double MAX_EXACT_COPY_RATE = 0.01;

  /** Real and synthetic share of every class may differ by at most this. */
  static final double MAX_LABEL_SHARE_DIFF = 0.05;

  /** The goals' names, as printed (each line's {@code goal_<name>} and the summary's counts). */
  static final String DETECTION = "detection_below_baseline";

  static final String TSTR_F1 = "tstr_ratio";
  static final String TSTR_AUC = "tstr_auc_ratio";
  static final String EXACT_COPIES = "exact_copies";
  static final String LABEL_SHARE = "label_share";

  /**
   * Each goal: true (met), false (missed) or null (its figure is undefined), in a fixed order:
   * detection AUC strictly below the baseline's, TSTR F1 ratio ≥ 0.85, TSTR ROC AUC ratio ≥ 0.85,
   * exact-copy rate ≤ 1%, every class's share within 0.05 of the real one.
   */
  Map<String, Boolean> goals() {
    Map<String, Boolean> g = new LinkedHashMap<>();
    g.put(
        DETECTION,
        Double.isNaN(detectionAuc) || Double.isNaN(baselineDetectionAuc)
            ? null
            : detectionAuc < baselineDetectionAuc);
    g.put(TSTR_F1, atLeast(tstrRatio, MIN_TSTR_RATIO));
    g.put(TSTR_AUC, atLeast(tstrAucRatio, MIN_TSTR_RATIO));
    g.put(EXACT_COPIES, Double.isNaN(exactCopyRate) ? null : exactCopyRate <= MAX_EXACT_COPY_RATE);
    g.put(LABEL_SHARE, labelShare == null ? null : labelShare.maxDiff() <= MAX_LABEL_SHARE_DIFF);
    return g;
  }

  /**
   * Whether the table meets every goal: each is met, except that the ROC AUC ratio may be undefined
   * (it does not apply to a multiclass target). Any other undefined goal counts as missed: it
   * cannot be shown to hold.
   */
  boolean meetsAllGoals() {
    for (Map.Entry<String, Boolean> e : goals().entrySet()) {
      Boolean met = e.getValue();
      if (met == null ? !e.getKey().equals(TSTR_AUC) : !met) {
        return false;
      }
    }
    return true;
  }

  private static Boolean atLeast(double value, double min) {
    return Double.isNaN(value) ? null : value >= min;
  }
}
