package org.synthweave.notebook;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts for notebooks, drawn with XChart into a {@link BufferedImage}: the rapaio Java kernel
 * shows a cell's {@code RenderedImage} value inline as a PNG ({@code display(image)} does the same
 * in the middle of a cell), and {@link #png} gives the bytes to save one. Nothing here needs Spark;
 * {@link Workbench} turns table columns into the arrays these take.
 */
public final class Charts {
  /** Width of every chart, in pixels. */
  public static final int WIDTH = 760;

  /** Height of every chart, in pixels. */
  public static final int HEIGHT = 420;

  /** Real rows are drawn in this colour, synthetic or augmented ones in {@link #SECOND}. */
  public static final Color FIRST = new Color(31, 119, 180);

  /** The colour of the second series. */
  public static final Color SECOND = new Color(255, 127, 14);

  private static final Color[] PALETTE = {
    FIRST,
    SECOND,
    new Color(44, 160, 44),
    new Color(214, 39, 40),
    new Color(148, 103, 189),
    new Color(140, 86, 75),
    new Color(227, 119, 194),
    new Color(127, 127, 127),
    new Color(188, 189, 34),
    new Color(23, 190, 207)
  };

  static {
    // Charts are drawn off screen; a kernel started without a display must not look for one.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private Charts() {}

  /** One bar per label, e.g. quarantined records per reason. */
  public static BufferedImage bar(
      String title, String xTitle, String yTitle, List<String> labels, double[] values) {
    return bars(title, xTitle, yTitle, labels, Map.of(yTitle, values));
  }

  /**
   * Grouped bars: for each label one bar per series, e.g. the share of real and of synthetic rows
   * per category. Every series has one value per label.
   */
  public static BufferedImage bars(
      String title,
      String xTitle,
      String yTitle,
      List<String> labels,
      Map<String, double[]> series) {
    requireSeries(series);
    CategoryChart c =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle(yTitle)
            .build();
    style(c.getStyler());
    c.getStyler().setLegendVisible(series.size() > 1);
    c.getStyler().setXAxisLabelRotation(labels.size() > 6 ? 45 : 0);
    c.getStyler().setOverlapped(false);
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      if (e.getValue().length != labels.size()) {
        throw new IllegalArgumentException(
            "series '"
                + e.getKey()
                + "' has "
                + e.getValue().length
                + " values for "
                + labels.size()
                + " labels");
      }
      c.addSeries(e.getKey(), new ArrayList<>(labels), boxed(e.getValue()));
    }
    return draw(c);
  }

  /**
   * Overlaid histograms of a numeric column in several samples (e.g. real and synthetic), over one
   * common range cut into {@code bins} equal bins; each sample's bars are its share of rows, so
   * samples of different sizes compare. NaN values are left out.
   */
  public static BufferedImage histograms(
      String title, String xTitle, Map<String, double[]> samples, int bins) {
    requireSeries(samples);
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be at least 1, got " + bins);
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double[] s : samples.values()) {
      for (double v : s) {
        if (!Double.isNaN(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    if (min > max) {
      throw new IllegalArgumentException("every sample is empty: nothing to draw for " + xTitle);
    }
    double width = max > min ? (max - min) / bins : 1;
    List<String> labels = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      labels.add(number(min + b * width));
    }
    Map<String, double[]> shares = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : samples.entrySet()) {
      double[] h = new double[bins];
      long n = 0;
      for (double v : e.getValue()) {
        if (!Double.isNaN(v)) {
          h[Math.min(bins - 1, (int) ((v - min) / width))]++;
          n++;
        }
      }
      for (int b = 0; b < bins; b++) {
        h[b] = n == 0 ? 0 : h[b] / n;
      }
      shares.put(e.getKey(), h);
    }
    return bars(title, xTitle + " (bin start)", "share of rows", labels, shares);
  }

  /**
   * Points, one colour per series; each series is {@code {xs, ys}} of equal length, e.g. device
   * positions of real and of augmented readings.
   */
  public static BufferedImage scatter(
      String title, String xTitle, String yTitle, Map<String, double[][]> series) {
    return xy(title, xTitle, yTitle, series, XYSeries.XYSeriesRenderStyle.Scatter);
  }

  /** Lines, one per series; each series is {@code {xs, ys}}, xs ascending (e.g. time). */
  public static BufferedImage lines(
      String title, String xTitle, String yTitle, Map<String, double[][]> series) {
    return xy(title, xTitle, yTitle, series, XYSeries.XYSeriesRenderStyle.Line);
  }

  private static BufferedImage xy(
      String title,
      String xTitle,
      String yTitle,
      Map<String, double[][]> series,
      XYSeries.XYSeriesRenderStyle how) {
    requireSeries(series);
    XYChart c =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle(yTitle)
            .build();
    style(c.getStyler());
    c.getStyler().setDefaultSeriesRenderStyle(how);
    c.getStyler().setMarkerSize(how == XYSeries.XYSeriesRenderStyle.Scatter ? 5 : 0);
    c.getStyler().setLegendVisible(series.size() > 1);
    for (Map.Entry<String, double[][]> e : series.entrySet()) {
      double[][] s = e.getValue();
      if (s.length != 2 || s[0].length != s[1].length) {
        throw new IllegalArgumentException(
            "series '" + e.getKey() + "' must be {xs, ys} of equal length");
      }
      if (s[0].length == 0) {
        continue;
      }
      XYSeries x = c.addSeries(e.getKey(), s[0], s[1]);
      x.setMarker(SeriesMarkers.CIRCLE);
    }
    return draw(c);
  }

  /**
   * A square heat map of {@code matrix} (e.g. Pearson correlations), rows and columns named by
   * {@code labels}, coloured from {@code min} (blue) through white to {@code max} (red). NaN cells
   * are drawn as {@code min + max} over 2.
   */
  public static BufferedImage heatmap(
      String title, List<String> labels, double[][] matrix, double min, double max) {
    int n = labels.size();
    if (matrix.length != n) {
      throw new IllegalArgumentException(
          "matrix has " + matrix.length + " rows for " + n + " labels");
    }
    if (!(min < max)) {
      throw new IllegalArgumentException("min must be below max, got " + min + " and " + max);
    }
    HeatMapChart c = new HeatMapChartBuilder().width(WIDTH).height(WIDTH - 80).title(title).build();
    style(c.getStyler());
    c.getStyler().setLegendVisible(true);
    c.getStyler().setShowValue(n <= 14);
    c.getStyler().setMin(min);
    c.getStyler().setMax(max);
    c.getStyler().setXAxisLabelRotation(45);
    c.getStyler()
        .setRangeColors(new Color[] {new Color(59, 76, 192), Color.WHITE, new Color(180, 4, 38)});
    List<Number[]> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (matrix[i].length != n) {
        throw new IllegalArgumentException(
            "matrix row " + i + " has " + matrix[i].length + " values");
      }
      for (int j = 0; j < n; j++) {
        double v = Double.isNaN(matrix[i][j]) ? (min + max) / 2 : matrix[i][j];
        cells.add(new Number[] {j, n - 1 - i, Math.round(v * 100) / 100.0});
      }
    }
    List<String> ys = new ArrayList<>(labels);
    java.util.Collections.reverse(ys);
    c.addSeries(title, new ArrayList<>(labels), ys, cells);
    return draw(c);
  }

  /** The image as PNG bytes, e.g. to save it beside a report. */
  public static byte[] png(BufferedImage image) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer in this JVM");
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void style(Styler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setSeriesColors(PALETTE);
    s.setAntiAlias(true);
  }

  private static BufferedImage draw(Chart<?, ?> c) {
    BufferedImage img = new BufferedImage(c.getWidth(), c.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      c.paint(g, c.getWidth(), c.getHeight());
    } finally {
      g.dispose();
    }
    return img;
  }

  private static void requireSeries(Map<String, ?> series) {
    if (series == null || series.isEmpty()) {
      throw new IllegalArgumentException("series must hold at least one series");
    }
  }

  private static List<Double> boxed(double[] values) {
    List<Double> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(v);
    }
    return out;
  }

  private static String number(double v) {
    double a = Math.abs(v);
    if (a != 0 && (a >= 1e5 || a < 1e-2)) {
      return String.format(Locale.ROOT, "%.2e", v);
    }
    return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 1 ? "%.2f" : "%.3f", v);
  }
}
