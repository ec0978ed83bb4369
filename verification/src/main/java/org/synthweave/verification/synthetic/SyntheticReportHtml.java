package org.synthweave.verification.synthetic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.synthweave.verification.VerificationErrors;
import org.synthweave.verification.synthetic.SyntheticReport.Baseline;
import org.synthweave.verification.synthetic.SyntheticReport.ColumnDistribution;
import org.synthweave.verification.synthetic.SyntheticReport.ColumnScore;
import org.synthweave.verification.synthetic.SyntheticReport.ColumnWeight;
import org.synthweave.verification.synthetic.SyntheticReport.CorrelationMatrix;
import org.synthweave.verification.synthetic.SyntheticReport.PairScore;

/**
 * Writes a {@link SyntheticReport} as one self-contained HTML file: a summary table (with the
 * independent-marginals baseline when present), per-column real vs synthetic histograms or bar
 * charts, Pearson heat maps of the numeric columns (real, synthetic) and the per-pair scores. All
 * plots are inline SVG; no script, style sheet or font is loaded from anywhere.
 */
public final class SyntheticReportHtml {
  private static final String REAL = "#1f77b4";
  private static final String SYN = "#ff7f0e";

  private SyntheticReportHtml() {}

  /** Writes {@code report} to {@code file}, creating its folder. */
  public static void write(SyntheticReport report, Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, render(report), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw VerificationErrors.unwritable(file, e);
    }
  }

  /** The HTML text of {@code report}. */
  public static String render(SyntheticReport r) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Synthetic data report: ")
        .append(esc(r.target()))
        .append("</title><style>")
        .append("body{font-family:sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;")
        .append("text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}")
        .append(".grid{display:flex;flex-wrap:wrap;gap:12px}.grid figure{margin:0}")
        .append("figcaption{font-size:13px}")
        .append("</style></head><body>\n");
    h.append("<h1>Synthetic vs real</h1>\n<p>")
        .append(r.trainRows())
        .append(" real training rows, ")
        .append(r.holdoutRows())
        .append(" real holdout rows, ")
        .append(r.syntheticRows())
        .append(" synthetic rows; target <code>")
        .append(esc(r.target()))
        .append("</code>; seed ")
        .append(r.seed())
        .append(".</p>\n");
    summary(h, r);
    detectionColumns(h, r.detectionColumns());
    h.append("<h2>Columns</h2>\n<p><span style=\"color:")
        .append(REAL)
        .append("\">&#9632; real (training)</span> &nbsp; <span style=\"color:")
        .append(SYN)
        .append(
            "\">&#9632; synthetic</span>; shares of non-missing values.</p>\n<div class=\"grid\">");
    for (ColumnDistribution d : r.distributions()) {
      double score =
          r.columns().stream()
              .filter(c -> c.column().equals(d.column()))
              .mapToDouble(ColumnScore::score)
              .findFirst()
              .orElse(Double.NaN);
      h.append("<figure>").append(bars(d)).append("<figcaption>").append(esc(d.column()));
      h.append(" &mdash; ")
          .append(d.kind().equals("numeric") ? "KSComplement " : "TVComplement ")
          .append(fmt(score))
          .append("</figcaption></figure>");
    }
    h.append("</div>\n");
    CorrelationMatrix m = r.correlations();
    if (m.columns().size() >= 2) {
      h.append("<h2>Correlations of numeric columns (Pearson)</h2>\n<div class=\"grid\">");
      h.append("<figure>")
          .append(heat(m.columns(), m.real()))
          .append("<figcaption>real</figcaption></figure>");
      h.append("<figure>")
          .append(heat(m.columns(), m.synthetic()))
          .append("<figcaption>synthetic</figcaption></figure></div>\n");
    }
    pairs(h, r.pairs());
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void summary(StringBuilder h, SyntheticReport r) {
    Baseline b = r.baseline();
    h.append("<h2>Summary</h2>\n<table><tr><th>metric</th><th>synthetic</th>");
    if (b != null) {
      h.append("<th>independent marginals</th>");
    }
    h.append("<th>meaning</th></tr>\n");
    row(
        h,
        "quality score",
        r.qualityScore(),
        b == null ? null : b.qualityScore(),
        "mean of column shapes and column pair trends (SDMetrics); 1 is best");
    row(
        h,
        "column shapes",
        r.columnShapes(),
        b == null ? null : b.columnShapes(),
        "mean KSComplement / TVComplement");
    row(
        h,
        "column pair trends",
        r.columnPairTrends(),
        b == null ? null : b.columnPairTrends(),
        "mean CorrelationSimilarity / ContingencySimilarity");
    row(
        h,
        "TSTR " + r.f1Kind(),
        r.tstrMetric(),
        b == null ? null : b.tstrMetric(),
        "trained on synthetic, tested on the real holdout");
    row(
        h,
        "TRTR " + r.f1Kind(),
        r.trtrMetric(),
        null,
        "trained on real training rows, tested on the same holdout");
    row(
        h,
        "TSTR / TRTR",
        r.tstrRatio(),
        b == null ? null : b.tstrRatio(),
        "1 is as useful as real data");
    row(
        h,
        "TSTR ROC AUC",
        r.tstrAuc(),
        b == null ? null : b.tstrAuc(),
        "of the minority class's probability (binary targets): threshold-free, 0.5 is chance;"
            + " F1 at the default threshold can be 0 on a rare class even for a useful classifier");
    row(
        h,
        "TRTR ROC AUC",
        r.trtrAuc(),
        null,
        "the same for the classifier trained on real training rows");
    row(
        h,
        "TSTR / TRTR ROC AUC",
        r.tstrAucRatio(),
        b == null ? null : b.tstrAucRatio(),
        "1 is as useful as real data; a useless table scores about 0.5 / TRTR AUC");
    row(
        h,
        "detection AUC",
        r.detectionAuc(),
        b == null ? null : b.detectionAuc(),
        "random forest telling real holdout from synthetic rows; 0.5 is indistinguishable");
    row(
        h,
        "DCR median (synthetic)",
        r.dcrSyntheticMedian(),
        null,
        "Gower distance to the closest training row");
    row(
        h,
        "DCR median (real holdout)",
        r.dcrHoldoutMedian(),
        null,
        "the same for unseen real rows");
    row(
        h,
        "DCR ratio",
        r.dcrRatio(),
        b == null ? null : b.dcrRatio(),
        "near 0: copies training rows; near 1: as far as unseen real rows");
    row(
        h,
        "exact copies",
        r.exactCopyRate(),
        b == null ? null : b.exactCopyRate(),
        "share of synthetic rows equal to a training row");
    h.append("</table>\n<p>Classifier: ").append(esc(r.classifier())).append(".</p>\n");
  }

  /** The columns the detection forests leaned on, as a table with bars. */
  private static void detectionColumns(StringBuilder h, List<ColumnWeight> weights) {
    if (weights.isEmpty()) {
      return;
    }
    double most = Math.max(1e-12, weights.get(0).weight());
    h.append("<h2>What gives the synthetic rows away</h2>\n<p>Share of the detection forests'")
        .append(" feature importance per column (mean over the folds); a synthesizer falls")
        .append(" short where a column's share is large.</p>\n<table><tr><th>column</th>")
        .append("<th>importance</th><th></th></tr>\n");
    for (ColumnWeight w : weights) {
      int width = (int) Math.round(200 * Math.max(0, w.weight()) / most);
      h.append("<tr><td>")
          .append(esc(w.column()))
          .append("</td><td>")
          .append(fmt(w.weight()))
          .append("</td><td style=\"text-align:left\"><svg width=\"200\" height=\"10\">")
          .append("<rect width=\"")
          .append(width)
          .append("\" height=\"10\" fill=\"")
          .append(SYN)
          .append("\"/></svg></td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void row(StringBuilder h, String name, double v, Double base, String meaning) {
    h.append("<tr><td>").append(esc(name)).append("</td><td>").append(fmt(v)).append("</td>");
    if (base != null) {
      h.append("<td>").append(fmt(base)).append("</td>");
    }
    h.append("<td style=\"text-align:left\">").append(esc(meaning)).append("</td></tr>\n");
  }

  private static void pairs(StringBuilder h, List<PairScore> pairs) {
    h.append("<h2>Column pairs</h2>\n<table><tr><th>column</th><th>column</th><th>metric</th>")
        .append("<th>score</th><th>real &rho;</th><th>synthetic &rho;</th></tr>\n");
    pairs.stream()
        .sorted((x, y) -> Double.compare(nanLast(x.score()), nanLast(y.score())))
        .forEach(
            p ->
                h.append("<tr><td>")
                    .append(esc(p.columnA()))
                    .append("</td><td style=\"text-align:left\">")
                    .append(esc(p.columnB()))
                    .append("</td><td style=\"text-align:left\">")
                    .append(p.metric())
                    .append("</td><td>")
                    .append(fmt(p.score()))
                    .append("</td><td>")
                    .append(Double.isNaN(p.real()) ? "" : fmt(p.real()))
                    .append("</td><td>")
                    .append(Double.isNaN(p.synthetic()) ? "" : fmt(p.synthetic()))
                    .append("</td></tr>\n"));
    h.append("</table>\n");
  }

  private static double nanLast(double v) {
    return Double.isNaN(v) ? Double.MAX_VALUE : v;
  }

  /** Grouped bars: real and synthetic share side by side per bin or category. */
  static String bars(ColumnDistribution d) {
    int n = Math.max(1, d.labels().size());
    int w = 320;
    int plotH = 140;
    int top = 10;
    int bottom = d.kind().equals("numeric") ? 20 : 60;
    double max = 1e-9;
    for (int i = 0; i < d.real().length; i++) {
      max = Math.max(max, Math.max(d.real()[i], d.synthetic()[i]));
    }
    double slot = (double) (w - 20) / n;
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">",
            w,
            top + plotH + bottom));
    s.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"10\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>",
            top + plotH,
            w - 10,
            top + plotH));
    for (int i = 0; i < d.labels().size(); i++) {
      double x = 10 + i * slot;
      double hr = plotH * d.real()[i] / max;
      double hs = plotH * d.synthetic()[i] / max;
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                  + "<title>%s real %.4f</title></rect>",
              x + slot * 0.1,
              top + plotH - hr,
              slot * 0.4,
              hr,
              REAL,
              esc(d.labels().get(i)),
              d.real()[i]));
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                  + "<title>%s synthetic %.4f</title></rect>",
              x + slot * 0.5,
              top + plotH - hs,
              slot * 0.4,
              hs,
              SYN,
              esc(d.labels().get(i)),
              d.synthetic()[i]));
      if (d.kind().equals("categorical")) {
        s.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" transform=\"rotate(45 %.1f %d)\">%s</text>",
                x + slot * 0.3,
                top + plotH + 12,
                x + slot * 0.3,
                top + plotH + 12,
                esc(shorten(d.labels().get(i)))));
      }
    }
    if (d.kind().equals("numeric") && !d.labels().isEmpty()) {
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"10\" y=\"%d\" font-size=\"10\">%s</text>",
              top + plotH + 14,
              esc(d.labels().get(0))));
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">last bin from %s</text>",
              w - 10,
              top + plotH + 14,
              esc(d.labels().get(d.labels().size() - 1))));
    }
    s.append("</svg>");
    return s.toString();
  }

  /** A heat map of a correlation matrix: blue −1, white 0, red +1, grey undefined. */
  static String heat(List<String> names, double[][] m) {
    int n = names.size();
    int cell = Math.max(8, Math.min(28, 420 / Math.max(1, n)));
    int left = 130;
    int top = 10;
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">",
            left + n * cell + 10,
            top + n * cell + 10));
    for (int i = 0; i < n; i++) {
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%s</text>",
              left - 4,
              top + i * cell + cell / 2 + 4,
              esc(shorten(names.get(i)))));
      for (int j = 0; j < n; j++) {
        double v = m[i][j];
        s.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                    + "<title>%s / %s: %s</title></rect>",
                left + j * cell,
                top + i * cell,
                cell,
                cell,
                color(v),
                esc(names.get(i)),
                esc(names.get(j)),
                fmt(v)));
      }
    }
    s.append("</svg>");
    return s.toString();
  }

  static String color(double v) {
    if (Double.isNaN(v)) {
      return "#bbbbbb";
    }
    double c = Math.max(-1, Math.min(1, v));
    int fade = (int) Math.round(255 * (1 - Math.abs(c)));
    return c >= 0
        ? String.format(Locale.ROOT, "#ff%02x%02x", fade, fade)
        : String.format(Locale.ROOT, "#%02x%02xff", fade, fade);
  }

  private static String shorten(String s) {
    if (s == null) {
      return "(missing)";
    }
    return s.length() <= 18 ? s : s.substring(0, 17) + "\u2026";
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
