package org.synthweave.verification.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.synthweave.verification.VerificationErrors;
import org.synthweave.verification.synthetic.SyntheticReport;

/**
 * The fidelity and privacy thresholds of a synthetic table, checked against what {@code
 * evaluate-synthetic}'s evaluator measures when it compares the table with the real one it
 * imitates. A threshold left out (NaN) is not checked; at least one is set.
 *
 * @param real the catalog table of real rows the synthetic table imitates
 * @param target the label column of the evaluator's classifiers
 * @param holdout a table of real rows the synthesizer never saw, or empty to split {@code real}
 * @param qualityMin least SDMetrics quality score
 * @param detectionAucMax most detection AUC (0.5: real and synthetic rows cannot be told apart)
 * @param exactCopyMax most share of synthetic rows equal to a real training row
 * @param dcrRatioMin least ratio of synthetic to holdout median distance to the closest record
 */
public record SyntheticCheck(
    String real,
    String target,
    String holdout,
    double qualityMin,
    double detectionAucMax,
    double exactCopyMax,
    double dcrRatioMin) {

  /** The check's name in results and in {@code verify.dataset.<name>.synthetic}. */
  public static final String KIND = "synthetic";

  /** The keys under {@code verify.dataset.<name>.synthetic.}. */
  static final List<String> FIELDS =
      List.of(
          "real",
          "target",
          "holdout",
          "quality-min",
          "detection-auc-max",
          "exact-copy-max",
          "dcr-ratio-min");

  /**
   * Reads the keys under {@code key} (e.g. {@code verify.dataset.wine.synthetic}); a missing table
   * or target, an unknown key or a threshold out of range is a configuration error naming it.
   */
  static SyntheticCheck parse(String key, Map<String, Object> fields) {
    for (String f : fields.keySet()) {
      if (!FIELDS.contains(f)) {
        throw VerificationErrors.unknownCheckKey(key + "." + f, f, KIND, FIELDS);
      }
    }
    String real = text(key, fields, "real");
    String target = text(key, fields, "target");
    String holdout = fields.containsKey("holdout") ? text(key, fields, "holdout") : "";
    double quality = share(key, fields, "quality-min");
    double auc = share(key, fields, "detection-auc-max");
    double copies = share(key, fields, "exact-copy-max");
    double dcr = DatasetChecks.number(key, fields, "dcr-ratio-min", Double.NaN);
    if (dcr < 0) {
      throw VerificationErrors.badCheck(key + ".dcr-ratio-min", dcr, "it must be >= 0");
    }
    if (Double.isNaN(quality) && Double.isNaN(auc) && Double.isNaN(copies) && Double.isNaN(dcr)) {
      throw VerificationErrors.badCheck(
          key,
          fields,
          "it needs at least one threshold: quality-min, detection-auc-max, exact-copy-max or"
              + " dcr-ratio-min");
    }
    return new SyntheticCheck(real, target, holdout, quality, auc, copies, dcr);
  }

  /** One result per set threshold; a metric the evaluator could not compute (NaN) fails. */
  public List<CheckResult> evaluate(SyntheticReport r) {
    List<CheckResult> out = new ArrayList<>();
    if (!Double.isNaN(qualityMin)) {
      out.add(atLeast("quality_score", qualityMin, r.qualityScore()));
    }
    if (!Double.isNaN(detectionAucMax)) {
      out.add(atMost("detection_auc", detectionAucMax, r.detectionAuc()));
    }
    if (!Double.isNaN(exactCopyMax)) {
      out.add(atMost("exact_copy_rate", exactCopyMax, r.exactCopyRate()));
    }
    if (!Double.isNaN(dcrRatioMin)) {
      out.add(atLeast("dcr_ratio", dcrRatioMin, r.dcrRatio()));
    }
    return out;
  }

  private static CheckResult atLeast(String metric, double min, double value) {
    return CheckResult.of(KIND, "", metric, ">= " + num(min), value, value >= min);
  }

  private static CheckResult atMost(String metric, double max, double value) {
    return CheckResult.of(KIND, "", metric, "<= " + num(max), value, value <= max);
  }

  private static String text(String key, Map<String, Object> fields, String field) {
    Object v = fields.get(field);
    String s = v == null ? "" : String.valueOf(v).trim();
    if (s.isEmpty() || v instanceof Map || v instanceof List) {
      throw VerificationErrors.badCheck(
          key + "." + field,
          v == null ? "nothing" : v,
          field.equals("target")
              ? "the synthetic check needs the label column, e.g. target = cultivar"
              : "it needs a catalog table name, e.g. " + field + " = \"silver/wine\"");
    }
    return s;
  }

  private static double share(String key, Map<String, Object> fields, String field) {
    double v = DatasetChecks.number(key, fields, field, Double.NaN);
    if (!Double.isNaN(v) && !(v >= 0 && v <= 1)) {
      throw VerificationErrors.badCheck(key + "." + field, v, "it must be in [0, 1]");
    }
    return v;
  }

  static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%s", v);
  }
}
