package org.synthweave.augmentation.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.synthweave.augmentation.AugmentSamples;
import org.synthweave.augmentation.FashionMnist;

/**
 * The image ops on real Fashion-MNIST images (fetched from Debian by
 * data/scripts/vectors/fetch-fashion-mnist.sh on first use). Seeds are printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageAugmenterTest {
  private byte[][] images;
  private long seed;

  @BeforeAll
  void load() throws Exception {
    seed = AugmentSamples.seed();
    System.out.println("ImageAugmenterTest seed: " + seed + " (-Dtests.seed=" + seed + ")");
    images = FashionMnist.images("t10k-images-idx3-ubyte.gz", 300);
  }

  @Test
  void geometricOpsWithZeroParametersAreIdentity() {
    Random rnd = new Random(seed);
    for (byte[] b : images) {
      double[] img = ImageAugmenter.fromBytes(b);
      assertArrayEquals(b, ImageAugmenter.toBytes(ImageAugmenter.rotate(img, 28, 28, 0, rnd)));
      assertArrayEquals(b, ImageAugmenter.toBytes(ImageAugmenter.translate(img, 28, 28, 0, rnd)));
      assertArrayEquals(b, ImageAugmenter.toBytes(ImageAugmenter.cropResize(img, 28, 28, 28, rnd)));
      assertArrayEquals(b, ImageAugmenter.toBytes(ImageAugmenter.reflect(img, 28, 28, 0, rnd)));
    }
  }

  @Test
  void reflectionTwiceIsIdentityAndMirrorsRows() {
    for (byte[] b : images) {
      double[] img = ImageAugmenter.fromBytes(b);
      double[] once = ImageAugmenter.reflect(img, 28, 28, 1, new Random(seed));
      assertEquals(img[3 * 28 + 2], once[3 * 28 + 25]);
      assertArrayEquals(img, ImageAugmenter.reflect(once, 28, 28, 1, new Random(seed)));
    }
  }

  @Test
  void photometricOpsDoWhatTheySay() {
    Random rnd = new Random(seed);
    double sumSq = 0;
    int n = 0;
    for (byte[] b : images) {
      double[] img = ImageAugmenter.fromBytes(b);
      double[] noisy = ImageAugmenter.noise(img, 8, rnd);
      for (int i = 0; i < img.length; i++) {
        sumSq += (noisy[i] - img[i]) * (noisy[i] - img[i]);
        n++;
      }
      double[] bright = ImageAugmenter.brightness(img, 25, rnd);
      double d = bright[0] - img[0];
      assertTrue(Math.abs(d) <= 25);
      for (int i = 0; i < img.length; i++) {
        assertEquals(d, bright[i] - img[i], 1e-9);
      }
      double[] c = ImageAugmenter.contrast(img, 0.2, rnd);
      assertEquals(mean(img), mean(c), 1e-6, "contrast keeps the mean");
      byte[] out = ImageAugmenter.toBytes(c);
      assertEquals(784, out.length);
    }
    assertEquals(64.0, sumSq / n, 64.0 * 0.02, "noise variance, seed " + seed);
  }

  @Test
  void translationIsAWholePixelShiftAndRotationStaysInRange() {
    Random rnd = new Random(seed);
    for (byte[] b : images) {
      double[] img = ImageAugmenter.fromBytes(b);
      double[] t = ImageAugmenter.translate(img, 28, 28, 2, rnd);
      boolean found = false;
      for (int dy = -2; dy <= 2 && !found; dy++) {
        for (int dx = -2; dx <= 2 && !found; dx++) {
          found = shifted(img, t, dx, dy);
        }
      }
      assertTrue(found, "translate is a shift by at most 2 pixels, seed " + seed);
      double[] r = ImageAugmenter.rotate(img, 28, 28, 15, rnd);
      assertEquals(0, ImageAugmenter.outOfRange(r), "bilinear stays within the range");
    }
  }

  private static boolean shifted(double[] img, double[] out, int dx, int dy) {
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        int sx = x - dx;
        int sy = y - dy;
        double want = sx >= 0 && sx < 28 && sy >= 0 && sy < 28 ? img[sy * 28 + sx] : 0;
        if (out[y * 28 + x] != want) {
          return false;
        }
      }
    }
    return true;
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }

  private static double mean(double[] v) {
    return sum(v) / v.length;
  }
}
