package org.synthweave.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Every chart draws a PNG of the documented size with its series' colours in it. */
class ChartsTest {
  @Test
  void barIsAPngOfTheChartSize() throws Exception {
    BufferedImage img =
        Charts.bar(
            "Quarantine", "reason", "records", List.of("bad_json", "bad_sig"), new double[] {5, 2});
    byte[] png = Charts.png(img);
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(Charts.WIDTH, back.getWidth());
    assertEquals(Charts.HEIGHT, back.getHeight());
    assertTrue(count(back, Charts.FIRST.getRGB()) > 500, "bars drawn in the first colour");
    assertTrue(colours(back) > 20, "not blank");
  }

  @Test
  void histogramsOverlayTwoSamples() {
    Map<String, double[]> samples = new LinkedHashMap<>();
    samples.put("real", new double[] {1, 2, 2, 3, 3, 3, Double.NaN});
    samples.put("synthetic", new double[] {1, 1, 2, 3});
    BufferedImage img = Charts.histograms("alcohol", "alcohol", samples, 4);
    assertTrue(count(img, Charts.FIRST.getRGB()) > 100);
    assertTrue(count(img, Charts.SECOND.getRGB()) > 100);
  }

  @Test
  void scatterLinesAndHeatmapDraw() {
    Map<String, double[][]> s = new LinkedHashMap<>();
    s.put("real", new double[][] {{0, 1, 2}, {0, 1, 4}});
    s.put("augmented", new double[][] {{0.5, 1.5}, {0.2, 2.5}});
    assertTrue(count(Charts.scatter("tracks", "lon", "lat", s), Charts.SECOND.getRGB()) > 10);
    assertTrue(count(Charts.lines("series", "t", "v", s), Charts.FIRST.getRGB()) > 10);
    BufferedImage heat =
        Charts.heatmap(
            "corr",
            List.of("a", "b", "c"),
            new double[][] {{1, -1, 0}, {-1, 1, 0.5}, {0, 0.5, 1}},
            -1,
            1);
    assertEquals(Charts.WIDTH, heat.getWidth());
    assertTrue(colours(heat) > 20, "not blank");
  }

  @Test
  void mismatchedSeriesAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Charts.bar("t", "x", "y", List.of("a", "b"), new double[] {1}));
    assertTrue(e.getMessage().contains("1 values for 2 labels"), e.getMessage());
  }

  private static int count(BufferedImage img, int rgb) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xFFFFFF) == (rgb & 0xFFFFFF)) {
          n++;
        }
      }
    }
    return n;
  }

  private static int colours(BufferedImage img) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        seen.add(img.getRGB(x, y));
      }
    }
    return seen.size();
  }
}
