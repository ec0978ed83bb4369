package org.synthweave.synthesis;

import org.synthweave.core.SynthweaveException;

/**
 * A model produced too few rows carrying a sampling condition's value for rejection sampling to
 * meet it: a fact about the trained model (undertrained, or the value is rare in training), not a
 * failure of the job. Auto leaves such a candidate out instead of stopping.
 */
public final class ConditionTooRareException extends SynthweaveException {
  private static final long serialVersionUID = 1L;

  ConditionTooRareException(String message) {
    super(message);
  }

  /**
   * Whether {@code t} or one of its causes is this failure. A task's exception reaches the driver
   * as the cause of Spark's own; its message is matched too, for a cluster whose driver could not
   * deserialize the cause.
   */
  public static boolean in(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ConditionTooRareException
          || String.valueOf(c.getMessage()).contains(ConditionTooRareException.class.getName())) {
        return true;
      }
    }
    return false;
  }
}
