package org.synthweave.augmentation;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.synthweave.core.testing.SparkTestBase;

/**
 * Fashion-MNIST read from its idx files, fetched by data/scripts/vectors/fetch-fashion-mnist.sh on
 * first use (the script the vector-store tests use).
 */
public final class FashionMnist {
  private FashionMnist() {}

  static Path dir() throws IOException, InterruptedException {
    Path root = SparkTestBase.repoRoot();
    Path dir = root.resolve("data/bench/fashion-mnist");
    if (!Files.exists(dir.resolve("t10k-labels-idx1-ubyte.gz"))) {
      Process p =
          new ProcessBuilder(
                  "bash", root.resolve("data/scripts/vectors/fetch-fashion-mnist.sh").toString())
              .inheritIO()
              .start();
      if (p.waitFor() != 0) {
        throw new IOException("fetch-fashion-mnist.sh failed with exit code " + p.exitValue());
      }
    }
    return dir;
  }

  /** The first {@code n} images of an idx3 file, 784 bytes each. */
  public static byte[][] images(String file, int n) throws IOException, InterruptedException {
    try (DataInputStream in = open(file)) {
      if (in.readInt() != 0x803) {
        throw new IOException(file + " is not an idx3 image file");
      }
      int count = Math.min(n, in.readInt());
      int pixels = in.readInt() * in.readInt();
      byte[][] out = new byte[count][pixels];
      for (int i = 0; i < count; i++) {
        in.readFully(out[i]);
      }
      return out;
    }
  }

  /** The first {@code n} labels (0..9) of an idx1 file. */
  public static int[] labels(String file, int n) throws IOException, InterruptedException {
    try (DataInputStream in = open(file)) {
      if (in.readInt() != 0x801) {
        throw new IOException(file + " is not an idx1 label file");
      }
      int count = Math.min(n, in.readInt());
      int[] out = new int[count];
      for (int i = 0; i < count; i++) {
        out[i] = in.readUnsignedByte();
      }
      return out;
    }
  }

  private static DataInputStream open(String file) throws IOException, InterruptedException {
    InputStream raw = Files.newInputStream(dir().resolve(file));
    return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
  }
}
