package org.synthweave.synthesis.ctgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Creates tensors from Java arrays and numbers that own their memory. DJL's {@code create} wraps a
 * direct buffer with {@code torch::from_blob}, so the tensor's storage lives only as long as that
 * Java buffer; autograd may keep a tensor (a dropout mask, a view) after the Java object that owns
 * the buffer is gone. A clone gives the tensor storage of its own, at the cost of one copy.
 */
public final class Tensors {
  private Tensors() {}

  /** A {@code rows × cols} tensor of standard normal draws from {@code rnd}. */
  public static NDArray gaussian(NDManager m, int rows, int cols, java.util.SplittableRandom rnd) {
    float[] a = new float[rows * cols];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) rnd.nextGaussian();
    }
    return owned(m, a, new Shape(rows, cols));
  }

  /** A uniformly random permutation of {@code 0 .. n-1} (Fisher-Yates, from {@code rnd}). */
  public static int[] permutation(int n, java.util.SplittableRandom rnd) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  public static NDArray owned(NDManager m, float[] data, Shape shape) {
    try (NDArray blob = m.create(data, shape)) {
      return blob.duplicate();
    }
  }

  /**
   * {@code x * v}, for code that autograd records. DJL's {@code mul(Number)} and {@code
   * div(Number)} wrap the number in a tensor over a Java direct buffer and close that tensor at
   * once; autograd keeps it for the backward pass (the gradient of {@code x * v} is {@code v} times
   * the incoming one), and once the garbage collector has freed the buffer, backward reads freed
   * memory: a gradient of 1e30 or NaN now and then, which wrecks Adam's moments for good. Here the
   * factor owns its storage.
   */
  public static NDArray times(NDArray x, float v) {
    try (NDArray factor = owned(x.getManager(), new float[] {v}, new Shape())) {
      return x.mul(factor);
    }
  }

  /** {@code x / v}, for code that autograd records; see {@link #times}. */
  public static NDArray dividedBy(NDArray x, float v) {
    try (NDArray divisor = owned(x.getManager(), new float[] {v}, new Shape())) {
      return x.div(divisor);
    }
  }
}
