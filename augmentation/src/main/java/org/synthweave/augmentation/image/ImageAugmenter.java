package org.synthweave.augmentation.image;

import java.util.Random;

/**
 * Geometric and photometric ops on a grayscale image of {@code width x height} pixel values
 * (row-major, nominally 0..255). Ops return unclamped values so the caller can tell a value that
 * left the range (and clamp or reject it, as the op's {@code on-violation} says); {@link #toBytes}
 * rounds and clamps. Geometric ops fill uncovered pixels with 0 (Fashion-MNIST's background).
 */
public final class ImageAugmenter {
  private ImageAugmenter() {}

  /** Pixels of 8-bit data as values 0..255. */
  public static double[] fromBytes(byte[] pixels) {
    double[] out = new double[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      out[i] = pixels[i] & 0xFF;
    }
    return out;
  }

  /** Rounded and clamped to 0..255. */
  public static byte[] toBytes(double[] v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      long r = Math.round(v[i]);
      out[i] = (byte) Math.max(0, Math.min(255, r));
    }
    return out;
  }

  /** How many values lie outside [0, 255] after rounding. */
  public static int outOfRange(double[] v) {
    int n = 0;
    for (double x : v) {
      long r = Math.round(x);
      if (r < 0 || r > 255 || Double.isNaN(x)) {
        n++;
      }
    }
    return n;
  }

  /** Rotation by a uniform angle in [-degrees, degrees] about the centre, bilinear. */
  public static double[] rotate(double[] img, int w, int h, double degrees, Random rnd) {
    double a = Math.toRadians((rnd.nextDouble() * 2 - 1) * degrees);
    double cos = Math.cos(a);
    double sin = Math.sin(a);
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    double[] out = new double[img.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        // Inverse mapping: where in the source does this output pixel come from?
        double sx = cos * (x - cx) + sin * (y - cy) + cx;
        double sy = -sin * (x - cx) + cos * (y - cy) + cy;
        out[y * w + x] = bilinear(img, w, h, sx, sy);
      }
    }
    return out;
  }

  /** Left-right mirror with probability p. */
  public static double[] reflect(double[] img, int w, int h, double p, Random rnd) {
    if (rnd.nextDouble() >= p) {
      return img.clone();
    }
    double[] out = new double[img.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        out[y * w + x] = img[y * w + (w - 1 - x)];
      }
    }
    return out;
  }

  /** A random size x size window (clipped to the image) scaled back to w x h, bilinear. */
  public static double[] cropResize(double[] img, int w, int h, int size, Random rnd) {
    int cw = Math.min(size, w);
    int ch = Math.min(size, h);
    int x0 = rnd.nextInt(w - cw + 1);
    int y0 = rnd.nextInt(h - ch + 1);
    double[] out = new double[img.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double sx = x0 + (w == 1 ? 0 : x * (cw - 1) / (double) (w - 1));
        double sy = y0 + (h == 1 ? 0 : y * (ch - 1) / (double) (h - 1));
        out[y * w + x] = bilinear(img, w, h, sx, sy);
      }
    }
    return out;
  }

  /** A shift by whole pixels uniform in [-pixels, pixels] on each axis. */
  public static double[] translate(double[] img, int w, int h, int pixels, Random rnd) {
    int dx = rnd.nextInt(2 * pixels + 1) - pixels;
    int dy = rnd.nextInt(2 * pixels + 1) - pixels;
    double[] out = new double[img.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int sx = x - dx;
        int sy = y - dy;
        if (sx >= 0 && sx < w && sy >= 0 && sy < h) {
          out[y * w + x] = img[sy * w + sx];
        }
      }
    }
    return out;
  }

  /** Adds sigma x N(0,1) to every pixel. */
  public static double[] noise(double[] img, double sigma, Random rnd) {
    double[] out = new double[img.length];
    for (int i = 0; i < img.length; i++) {
      out[i] = img[i] + sigma * rnd.nextGaussian();
    }
    return out;
  }

  /** Adds one offset uniform in [-delta, delta] to every pixel. */
  public static double[] brightness(double[] img, double delta, Random rnd) {
    double d = (rnd.nextDouble() * 2 - 1) * delta;
    double[] out = new double[img.length];
    for (int i = 0; i < img.length; i++) {
      out[i] = img[i] + d;
    }
    return out;
  }

  /** Scales each pixel's distance from the image mean by a factor uniform in [1-range, 1+range]. */
  public static double[] contrast(double[] img, double range, Random rnd) {
    double f = 1 + (rnd.nextDouble() * 2 - 1) * range;
    double mean = 0;
    for (double v : img) {
      mean += v;
    }
    mean /= Math.max(1, img.length);
    double[] out = new double[img.length];
    for (int i = 0; i < img.length; i++) {
      out[i] = mean + (img[i] - mean) * f;
    }
    return out;
  }

  private static double bilinear(double[] img, int w, int h, double x, double y) {
    if (x < -0.5 || y < -0.5 || x > w - 0.5 || y > h - 0.5) {
      return 0;
    }
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    return (1 - fx) * (1 - fy) * at(img, w, h, x0, y0)
        + fx * (1 - fy) * at(img, w, h, x0 + 1, y0)
        + (1 - fx) * fy * at(img, w, h, x0, y0 + 1)
        + fx * fy * at(img, w, h, x0 + 1, y0 + 1);
  }

  private static double at(double[] img, int w, int h, int x, int y) {
    return x < 0 || y < 0 || x >= w || y >= h ? 0 : img[y * w + x];
  }
}
