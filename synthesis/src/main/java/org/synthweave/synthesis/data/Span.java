package org.synthweave.synthesis.data;

import java.io.Serializable;

/**
 * A run of encoded features and the output activation the generator applies to it: {@code TANH} for
 * a normalized scalar, {@code SOFTMAX} for a one-hot block (mode, category, null flag).
 */
public record Span(int start, int length, Activation activation) implements Serializable {
  /** Output activation of a span. */
  public enum Activation {
    TANH,
    SOFTMAX
  }

  public int end() {
    return start + length;
  }
}
