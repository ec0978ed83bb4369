package org.synthweave.market.serve;

import java.util.Locale;
import org.synthweave.market.ListingDetail.FidelityPlot;

/**
 * One fidelity plot as inline SVG, drawn on the server: per label a pair of bars, the real share of
 * rows ({@code rect.bar-real}) and the synthetic share ({@code rect.bar-synthetic}), on a common
 * axis from 0 to the largest share. No script and no external reference; colours come from the
 * style sheet. Labels are publisher text and are escaped; a bar's {@code <title>} gives its exact
 * share on hover.
 */
final class FidelitySvg {
  /** At most this many labels are drawn; the rest are named in a note under the plot. */
  static final int MAX_BARS = 24;

  private static final int WIDTH = 560;
  private static final int PLOT_HEIGHT = 160;
  private static final int TOP = 16;
  private static final int LEFT = 44;
  private static final int RIGHT = 8;
  private static final int LABEL_SPACE = 64;

  private FidelitySvg() {}

  static String render(FidelityPlot p) {
    int n = Math.min(p.labels().size(), MAX_BARS);
    double max = 0;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, Math.max(share(p.real().get(i)), share(p.synthetic().get(i))));
    }
    if (max <= 0) {
      max = 1;
    }
    int height = TOP + PLOT_HEIGHT + LABEL_SPACE;
    double slot = n == 0 ? 0 : (WIDTH - LEFT - RIGHT) / (double) n;
    // a pair of bars fills 76% of its slot, each bar at most 36 wide, centred in the slot
    double bar = Math.max(1, Math.min(slot * 0.38, 36));
    StringBuilder b = new StringBuilder(1024 + n * 400);
    b.append("<svg class=\"fidelity-plot\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"")
        .append(" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(height)
        .append("\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" aria-label=\"")
        .append(Html.escape("Real and synthetic shares of " + p.column()))
        .append("\">");
    int baseY = TOP + PLOT_HEIGHT;
    // axis with the top share as its scale
    b.append("<line class=\"axis\" x1=\"")
        .append(LEFT)
        .append("\" y1=\"")
        .append(TOP)
        .append("\" x2=\"")
        .append(LEFT)
        .append("\" y2=\"")
        .append(baseY)
        .append("\"/>");
    b.append("<line class=\"axis\" x1=\"")
        .append(LEFT)
        .append("\" y1=\"")
        .append(baseY)
        .append("\" x2=\"")
        .append(WIDTH - RIGHT)
        .append("\" y2=\"")
        .append(baseY)
        .append("\"/>");
    b.append("<text class=\"tick\" x=\"")
        .append(LEFT - 4)
        .append("\" y=\"")
        .append(TOP + 4)
        .append("\" text-anchor=\"end\">")
        .append(percent(max))
        .append("</text>");
    b.append("<text class=\"tick\" x=\"")
        .append(LEFT - 4)
        .append("\" y=\"")
        .append(baseY)
        .append("\" text-anchor=\"end\">0</text>");
    for (int i = 0; i < n; i++) {
      double x = LEFT + i * slot + (slot - 2 * bar) / 2;
      bar(b, "bar-real", x, bar, share(p.real().get(i)), max, baseY, "real", p.labels().get(i));
      bar(
          b,
          "bar-synthetic",
          x + bar,
          bar,
          share(p.synthetic().get(i)),
          max,
          baseY,
          "synthetic",
          p.labels().get(i));
      double cx = LEFT + i * slot + slot / 2;
      b.append("<text class=\"bar-label\" x=\"")
          .append(num(cx))
          .append("\" y=\"")
          .append(baseY + 12)
          .append("\" text-anchor=\"end\" transform=\"rotate(-40 ")
          .append(num(cx))
          .append(' ')
          .append(baseY + 12)
          .append(")\">")
          .append(Html.escape(cut(p.labels().get(i), 14)))
          .append("</text>");
    }
    b.append("</svg>");
    return b.toString();
  }

  private static void bar(
      StringBuilder b,
      String cls,
      double x,
      double w,
      double share,
      double max,
      int baseY,
      String which,
      String label) {
    double h = PLOT_HEIGHT * share / max;
    b.append("<rect class=\"")
        .append(cls)
        .append("\" x=\"")
        .append(num(x))
        .append("\" y=\"")
        .append(num(baseY - h))
        .append("\" width=\"")
        .append(num(w))
        .append("\" height=\"")
        .append(num(h))
        .append("\"><title>")
        .append(Html.escape(label + ": " + which + " " + percent(share)))
        .append("</title></rect>");
  }

  private static double share(Double d) {
    return d == null || d.isNaN() || d < 0 ? 0 : Math.min(d, 1);
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String cut(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
