package org.synthweave.synthesis.ctgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Creates tensors from Java arrays that own their memory. DJL's {@code create} wraps a direct
 * buffer with {@code torch::from_blob}, so the tensor's storage lives only as long as that Java
 * buffer; autograd may keep a tensor (a dropout mask, a view) after the Java object that owns the
 * buffer is gone. A clone gives the tensor storage of its own, at the cost of one copy.
 */
final class Tensors {
  private Tensors() {}

  static NDArray owned(NDManager m, float[] data, Shape shape) {
    try (NDArray blob = m.create(data, shape)) {
      return blob.duplicate();
    }
  }
}
