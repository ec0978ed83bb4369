package org.synthweave.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The summary line of {@code bench synth --suite}: per synthesizer, medians over the suite's tables
 * and how many tables meet each goal and every goal. A median leaves out the tables where its
 * figure is undefined (the ROC AUC ratio is over binary targets only) and says over how many it was
 * taken.
 */
final class SuiteSummary {
  private SuiteSummary() {}

  /**
   * The summary of {@code results} (one per table and synthesizer) and of the {@code failed} runs
   * (synthesizer → tables whose run threw), synthesizers in order of first appearance.
   */
  static Map<String, Object> of(List<SuiteResult> results, Map<String, List<String>> failed) {
    Map<String, List<SuiteResult>> bySynthesizer = new LinkedHashMap<>();
    for (SuiteResult r : results) {
      bySynthesizer.computeIfAbsent(r.synthesizer(), k -> new ArrayList<>()).add(r);
    }
    failed.keySet().forEach(k -> bySynthesizer.computeIfAbsent(k, x -> new ArrayList<>()));
    Map<String, Object> per = new LinkedHashMap<>();
    bySynthesizer.forEach(
        (name, rs) -> per.put(name, synthesizer(rs, failed.getOrDefault(name, List.of()))));
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("bench", "synth-suite");
    line.put("summary", true);
    line.put(
        "tables",
        java.util.stream.Stream.concat(
                results.stream().map(SuiteResult::table),
                failed.values().stream().flatMap(List::stream))
            .distinct()
            .count());
    line.put("synthesizers", per);
    return line;
  }

  private static Map<String, Object> synthesizer(List<SuiteResult> rs, List<String> failed) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tables", rs.size() + failed.size());
    median(m, "detection_auc", rs, SuiteResult::detectionAuc);
    median(m, "baseline_detection_auc", rs, SuiteResult::baselineDetectionAuc);
    median(m, "tstr_ratio", rs, SuiteResult::tstrRatio);
    median(m, "tstr_auc_ratio", rs, SuiteResult::tstrAucRatio);
    median(m, "quality_score", rs, SuiteResult::qualityScore);
    median(m, "exact_copy_rate", rs, SuiteResult::exactCopyRate);
    median(
        m,
        "label_share_diff",
        rs,
        r -> r.labelShare() == null ? Double.NaN : r.labelShare().maxDiff());
    Map<String, Long> met = new LinkedHashMap<>();
    for (SuiteResult r : rs) {
      r.goals()
          .forEach((goal, ok) -> met.merge(goal, Boolean.TRUE.equals(ok) ? 1L : 0L, Long::sum));
    }
    m.put("goal_met_tables", met);
    List<String> all =
        rs.stream().filter(SuiteResult::meetsAllGoals).map(SuiteResult::table).toList();
    m.put("tables_meeting_all_goals", all.size());
    m.put("meeting_all_goals", all);
    m.put("failed", failed);
    return m;
  }

  /** Puts {@code median_<key>} and, when some tables lack the figure, {@code <key>_tables}. */
  private static void median(
      Map<String, Object> m, String key, List<SuiteResult> rs, ToDoubleFunction<SuiteResult> f) {
    double[] v = rs.stream().mapToDouble(f).filter(x -> !Double.isNaN(x)).toArray();
    m.put("median_" + key, v.length == 0 ? null : round(median(v)));
    if (v.length < rs.size()) {
      m.put(key + "_tables", v.length);
    }
  }

  /** The median of {@code values} (the mean of the middle two for an even count); NaN if empty. */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int mid = s.length / 2;
    return s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
