package org.synthweave.verification.synthetic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link SyntheticEvaluator} measured: fidelity (SDMetrics quality score, its column shapes
 * and column pair trends with every per-column and per-pair score), machine-learning efficacy (TSTR
 * and TRTR F1 and, for a binary target, ROC AUC on the same real holdout), detection AUC, privacy
 * (distance to the closest record, exact copies), and the small per-column histograms and
 * correlation matrices the HTML report draws. Scores that cannot be computed (e.g. a correlation of
 * a constant column) are NaN and left out of the averages; JSON writes them as null.
 *
 * @param target the label column of the classifiers
 * @param seed the seed everything random used
 * @param trainRows real training rows
 * @param holdoutRows real holdout rows
 * @param syntheticRows synthetic rows
 * @param qualityScore mean of {@code columnShapes} and {@code columnPairTrends}
 * @param columnShapes mean of the per-column scores
 * @param columnPairTrends mean of the per-pair scores
 * @param columns per-column scores (KSComplement or TVComplement)
 * @param pairs per-pair scores (CorrelationSimilarity or ContingencySimilarity)
 * @param f1Kind which F1: "F1 of class 'x'" (binary, the minority class of the real training rows)
 *     or "macro F1" (multiclass)
 * @param classifier the classifier and its parameters, for the record
 * @param tstrMetric F1 on the real holdout of a classifier trained on the synthetic rows
 * @param trtrMetric F1 on the real holdout of a classifier trained on the real training rows
 * @param tstrRatio {@code tstrMetric / trtrMetric}; NaN when {@code trtrMetric} is 0 (e.g. a forest
 *     trained on real rows that never predicts a rare class)
 * @param tstrAuc ROC AUC on the real holdout of the same synthetic-trained classifier's probability
 *     of the minority class: threshold-free, 0.5 is chance; NaN for a multiclass target
 * @param trtrAuc the same for the classifier trained on the real training rows
 * @param tstrAucRatio {@code tstrAuc / trtrAuc}, NaN when undefined (multiclass); since 0.5 is
 *     chance, a synthetic table of no use still scores about {@code 0.5 / trtrAuc}
 * @param detectionAuc cross-validated ROC AUC of a random forest telling real holdout rows from
 *     synthetic rows (0.5: indistinguishable, 1: always told apart)
 * @param detectionColumns how much each column helped those forests tell the rows apart (mean
 *     impurity-based importance over the folds, summing to 1), most telling first: where a
 *     synthesizer falls short
 * @param dcrSyntheticMedian median Gower distance of a synthetic row to its closest training row
 * @param dcrHoldoutMedian the same for real holdout rows
 * @param dcrRatio {@code dcrSyntheticMedian / dcrHoldoutMedian} (near 0: copies of training rows;
 *     near 1: as far from the training rows as unseen real rows are)
 * @param exactCopyRate share of synthetic rows equal to some training row in every column
 * @param distributions per-column real and synthetic shares, for plots
 * @param correlations Pearson matrices of the numeric columns, real and synthetic, for heat maps
 * @param baseline the same figures for the independent-marginals baseline, or null when not run
 */
public record SyntheticReport(
    String target,
    long seed,
    long trainRows,
    long holdoutRows,
    long syntheticRows,
    double qualityScore,
    double columnShapes,
    double columnPairTrends,
    List<ColumnScore> columns,
    List<PairScore> pairs,
    String f1Kind,
    String classifier,
    double tstrMetric,
    double trtrMetric,
    double tstrRatio,
    double tstrAuc,
    double trtrAuc,
    double tstrAucRatio,
    double detectionAuc,
    List<ColumnWeight> detectionColumns,
    double dcrSyntheticMedian,
    double dcrHoldoutMedian,
    double dcrRatio,
    double exactCopyRate,
    List<ColumnDistribution> distributions,
    CorrelationMatrix correlations,
    Baseline baseline) {

  /**
   * The version of the metric definitions in docs/SYNTHETIC_METRICS.md; raise it when a metric's
   * definition changes, so that figures of different definitions are not compared.
   */
  public static final String METRICS_VERSION = "synthweave-synthetic-metrics/1";

  /**
   * The file beside {@code report.json} that holds {@link #fidelityJson()}: the per-column plot
   * data a published synthetic dataset carries.
   */
  public static final String FIDELITY_FILE_NAME = "fidelity.json";

  /**
   * Where a dataset export carries {@link #FIDELITY_FILE_NAME}, listed and signed in its manifest.
   */
  public static final String FIDELITY_PATH = "report/" + FIDELITY_FILE_NAME;

  /** The format tag of {@link #fidelityJson()}. */
  public static final String FIDELITY_FORMAT = "synthweave-fidelity/1";

  /** The score of one column: {@code metric} is KSComplement or TVComplement. */
  public record ColumnScore(String column, String kind, String metric, double score) {}

  /**
   * The score of one column pair: {@code metric} is CorrelationSimilarity (then {@code real} and
   * {@code synthetic} are the Pearson coefficients) or ContingencySimilarity (then they are NaN).
   */
  public record PairScore(
      String columnA, String columnB, String metric, double score, double real, double synthetic) {}

  /**
   * Shares of real and synthetic rows per category (top categories of the real rows) or per
   * equal-width bin over the real range (numeric; {@code labels} are the bins' lower edges).
   */
  public record ColumnDistribution(
      String column, String kind, List<String> labels, double[] real, double[] synthetic) {}

  /** A column and a weight, e.g. its share of a detection forest's feature importance. */
  public record ColumnWeight(String column, double weight) {}

  /**
   * The {@code n} columns that most helped detection, as {@code column:weight} joined by commas
   * (weights to 3 decimals), e.g. {@code total_charges:0.312,tenure:0.201}.
   */
  public String topDetectionColumns(int n) {
    StringBuilder s = new StringBuilder();
    for (ColumnWeight w : detectionColumns.subList(0, Math.min(n, detectionColumns.size()))) {
      if (s.length() > 0) {
        s.append(',');
      }
      s.append(w.column()).append(String.format(java.util.Locale.ROOT, ":%.3f", w.weight()));
    }
    return s.toString();
  }

  /** Pearson correlation matrices of the numeric columns (NaN where undefined). */
  public record CorrelationMatrix(List<String> columns, double[][] real, double[][] synthetic) {}

  /** The headline figures of the independent-marginals baseline, evaluated the same way. */
  public record Baseline(
      double qualityScore,
      double columnShapes,
      double columnPairTrends,
      double tstrMetric,
      double tstrRatio,
      double tstrAuc,
      double tstrAucRatio,
      double detectionAuc,
      double dcrRatio,
      double exactCopyRate) {}

  /** This report's headline figures as a baseline of another report. */
  public Baseline asBaseline() {
    return new Baseline(
        qualityScore,
        columnShapes,
        columnPairTrends,
        tstrMetric,
        tstrRatio,
        tstrAuc,
        tstrAucRatio,
        detectionAuc,
        dcrRatio,
        exactCopyRate);
  }

  /** A copy with {@code value} as the baseline. */
  public SyntheticReport withBaseline(Baseline value) {
    return new SyntheticReport(
        target,
        seed,
        trainRows,
        holdoutRows,
        syntheticRows,
        qualityScore,
        columnShapes,
        columnPairTrends,
        columns,
        pairs,
        f1Kind,
        classifier,
        tstrMetric,
        trtrMetric,
        tstrRatio,
        tstrAuc,
        trtrAuc,
        tstrAucRatio,
        detectionAuc,
        detectionColumns,
        dcrSyntheticMedian,
        dcrHoldoutMedian,
        dcrRatio,
        exactCopyRate,
        distributions,
        correlations,
        value);
  }

  /** The scores (not the plot data) as one line of JSON; NaN becomes null. */
  public String toJson() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode o = json.createObjectNode();
    o.put("metrics_version", METRICS_VERSION);
    o.put("target", target);
    o.put("seed", seed);
    o.put("train_rows", trainRows);
    o.put("holdout_rows", holdoutRows);
    o.put("synthetic_rows", syntheticRows);
    put(o, "quality_score", qualityScore);
    put(o, "column_shapes", columnShapes);
    put(o, "column_pair_trends", columnPairTrends);
    o.put("f1", f1Kind);
    o.put("classifier", classifier);
    put(o, "tstr", tstrMetric);
    put(o, "trtr", trtrMetric);
    put(o, "tstr_ratio", tstrRatio);
    put(o, "tstr_auc", tstrAuc);
    put(o, "trtr_auc", trtrAuc);
    put(o, "tstr_auc_ratio", tstrAucRatio);
    put(o, "detection_auc", detectionAuc);
    ObjectNode telling = o.putObject("detection_columns");
    for (ColumnWeight w : detectionColumns) {
      put(telling, w.column(), w.weight());
    }
    put(o, "dcr_synthetic_median", dcrSyntheticMedian);
    put(o, "dcr_holdout_median", dcrHoldoutMedian);
    put(o, "dcr_ratio", dcrRatio);
    put(o, "exact_copy_rate", exactCopyRate);
    if (baseline != null) {
      ObjectNode b = o.putObject("independent_marginals_baseline");
      put(b, "quality_score", baseline.qualityScore());
      put(b, "column_shapes", baseline.columnShapes());
      put(b, "column_pair_trends", baseline.columnPairTrends());
      put(b, "tstr", baseline.tstrMetric());
      put(b, "tstr_ratio", baseline.tstrRatio());
      put(b, "tstr_auc", baseline.tstrAuc());
      put(b, "tstr_auc_ratio", baseline.tstrAucRatio());
      put(b, "detection_auc", baseline.detectionAuc());
      put(b, "dcr_ratio", baseline.dcrRatio());
      put(b, "exact_copy_rate", baseline.exactCopyRate());
    }
    ArrayNode cols = o.putArray("columns");
    for (ColumnScore c : columns) {
      ObjectNode n = cols.addObject();
      n.put("column", c.column());
      n.put("kind", c.kind());
      n.put("metric", c.metric());
      put(n, "score", c.score());
    }
    ArrayNode ps = o.putArray("pairs");
    for (PairScore p : pairs) {
      ObjectNode n = ps.addObject();
      n.put("a", p.columnA());
      n.put("b", p.columnB());
      n.put("metric", p.metric());
      put(n, "score", p.score());
      if (!Double.isNaN(p.real())) {
        put(n, "real", p.real());
        put(n, "synthetic", p.synthetic());
      }
    }
    try {
      return json.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a report as JSON", e);
    }
  }

  /**
   * The per-column distributions, real against synthetic, as one line of JSON for {@link
   * #FIDELITY_FILE_NAME}: {@code format}, {@code metrics_version}, {@code seed}, {@code
   * synthetic_rows} (to match it with the table it describes) and {@code columns}, each with {@code
   * column}, {@code kind} ({@code numeric}: labels are bins' lower edges; {@code categorical}:
   * labels are the real rows' top values), {@code labels}, {@code real} and {@code synthetic} (the
   * share of rows per label). Stable for the same report, so an export that carries it is
   * reproducible.
   */
  public String fidelityJson() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode o = json.createObjectNode();
    o.put("format", FIDELITY_FORMAT);
    o.put("metrics_version", METRICS_VERSION);
    o.put("seed", seed);
    o.put("synthetic_rows", syntheticRows);
    ArrayNode cols = o.putArray("columns");
    for (ColumnDistribution d : distributions) {
      ObjectNode n = cols.addObject();
      n.put("column", d.column());
      n.put("kind", d.kind());
      ArrayNode labels = n.putArray("labels");
      d.labels().forEach(labels::add);
      ArrayNode real = n.putArray("real");
      ArrayNode synthetic = n.putArray("synthetic");
      for (int i = 0; i < d.labels().size(); i++) {
        real.add(finite(d.real()[i]));
        synthetic.add(finite(d.synthetic()[i]));
      }
    }
    try {
      return json.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the fidelity plots as JSON", e);
    }
  }

  private static double finite(double v) {
    return Double.isFinite(v) ? v : 0;
  }

  /** A few lines a person reads at the end of a run. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            java.util.Locale.ROOT,
            "synthetic vs real (%d train, %d holdout, %d synthetic rows, target %s, seed %d)%n",
            trainRows,
            holdoutRows,
            syntheticRows,
            target,
            seed));
    line(s, "quality score", qualityScore, baseline == null ? Double.NaN : baseline.qualityScore);
    line(s, "  column shapes", columnShapes, baseline == null ? Double.NaN : baseline.columnShapes);
    line(
        s,
        "  column pair trends",
        columnPairTrends,
        baseline == null ? Double.NaN : baseline.columnPairTrends);
    line(s, "TSTR " + f1Kind, tstrMetric, baseline == null ? Double.NaN : baseline.tstrMetric);
    line(s, "TRTR " + f1Kind, trtrMetric, Double.NaN);
    line(s, "TSTR / TRTR", tstrRatio, baseline == null ? Double.NaN : baseline.tstrRatio);
    line(s, "TSTR ROC AUC", tstrAuc, baseline == null ? Double.NaN : baseline.tstrAuc);
    line(s, "TRTR ROC AUC", trtrAuc, Double.NaN);
    line(
        s,
        "TSTR / TRTR ROC AUC",
        tstrAucRatio,
        baseline == null ? Double.NaN : baseline.tstrAucRatio);
    line(s, "detection AUC", detectionAuc, baseline == null ? Double.NaN : baseline.detectionAuc);
    if (!detectionColumns.isEmpty()) {
      s.append("  detection leans on           ")
          .append(topDetectionColumns(3).replace(",", ", "))
          .append(System.lineSeparator());
    }
    line(s, "DCR synthetic median", dcrSyntheticMedian, Double.NaN);
    line(s, "DCR holdout median", dcrHoldoutMedian, Double.NaN);
    line(s, "DCR ratio", dcrRatio, baseline == null ? Double.NaN : baseline.dcrRatio);
    line(s, "exact copies", exactCopyRate, baseline == null ? Double.NaN : baseline.exactCopyRate);
    return s.toString();
  }

  private static void line(StringBuilder s, String name, double value, double base) {
    s.append(String.format(java.util.Locale.ROOT, "  %-28s %8.4f", name, value));
    if (!Double.isNaN(base)) {
      s.append(String.format(java.util.Locale.ROOT, "   (independent marginals: %.4f)", base));
    }
    s.append(System.lineSeparator());
  }

  /** Writes the self-contained HTML report to {@code file} (see {@link SyntheticReportHtml}). */
  public void writeHtml(Path file) {
    SyntheticReportHtml.write(this, file);
  }

  private static void put(ObjectNode o, String key, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      o.putNull(key);
    } else {
      o.put(key, value);
    }
  }
}
