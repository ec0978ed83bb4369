package org.synthweave.vectors.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST (ann-benchmarks' fashion-mnist-784-euclidean: 60,000 base and 10,000 query vectors
 * of 784 pixel values) read from its idx files under {@code data/bench/fashion-mnist}, fetched from
 * Debian by {@code data/scripts/vectors/fetch-fashion-mnist.sh} on first use.
 */
public final class FashionMnist {
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

  private final Path root;

  /** Fashion-MNIST of the checkout at {@code repoRoot} (the folder holding data/). */
  public FashionMnist(Path repoRoot) {
    this.root = repoRoot;
  }

  /** The folder with the idx files, fetched first if missing. */
  public Path dir() throws IOException, InterruptedException {
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

  /** The first {@code n} images of an idx3 file as 784-d vectors of pixel values 0..255. */
  public float[][] images(String file, int n) throws IOException, InterruptedException {
    try (DataInputStream in = open(file)) {
      if (in.readInt() != 0x803) {
        throw new IOException(file + " is not an idx3 image file");
      }
      int count = Math.min(n, in.readInt());
      int pixels = in.readInt() * in.readInt();
      float[][] out = new float[count][pixels];
      byte[] row = new byte[pixels];
      for (int i = 0; i < count; i++) {
        in.readFully(row);
        for (int j = 0; j < pixels; j++) {
          out[i][j] = row[j] & 0xFF;
        }
      }
      return out;
    }
  }

  /** The first {@code n} labels (0..9) of an idx1 file. */
  public int[] labels(String file, int n) throws IOException, InterruptedException {
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

  private DataInputStream open(String file) throws IOException, InterruptedException {
    InputStream raw = Files.newInputStream(dir().resolve(file));
    return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
  }
}
