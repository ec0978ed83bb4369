package org.synthweave.synthesis.ctgan;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;
import java.util.List;

/**
 * One optimizer step of {@code torch.optim.Adam} on explicit tensors: L2 weight decay added to the
 * gradient, bias-corrected moments, epsilon outside the square root. The moments live next to the
 * weights (as {@code adam.m.*} and {@code adam.v.*} tensors of a {@link ParamState}), so a training
 * state can be averaged, checkpointed and resumed. CTGAN's and TVAE's trainers both step with it.
 *
 * <p>A step whose gradient is not finite changes nothing (as PyTorch's GradScaler skips an
 * optimizer step), so that one overflow does not turn every weight into NaN.
 */
public record Adam(double lr, double beta1, double beta2, double weightDecay) {
  static final float EPS = 1e-8f;

  /** A weight and its two moment tensors, updated in place. */
  public record Slot(NDArray weight, NDArray firstMoment, NDArray secondMoment) {}

  /**
   * Zeroes the gradient of every tensor of {@code all} (the updated ones and any others the loss
   * reaches, whose gradients would otherwise pile up), back-propagates {@code loss} and applies
   * Adam's step number {@code t} (from 1) to the slots. Returns false, leaving every weight and
   * moment as it was, when a gradient of the slots is not finite.
   */
  public boolean step(NDArray loss, Collection<NDArray> all, List<Slot> slots, long t) {
    Torch.gradMode(false);
    try {
      for (NDArray w : all) {
        w.getGradient(); // creates the gradient tensor before the first backward
        // zero_() rather than multiplying by 0, which would keep a NaN left by a skipped update.
        JniUtils.zeroGrad((PtNDArray) w);
      }
    } finally {
      Torch.gradMode(true);
    }
    JniUtils.backward(
        (PtNDArray) loss, (PtNDArray) loss.getManager().ones(loss.getShape()), false, false);
    Torch.gradMode(false);
    try {
      for (Slot s : slots) {
        if (!Float.isFinite(s.weight().getGradient().sum().getFloat())) {
          return false;
        }
      }
      float b1 = (float) beta1;
      float b2 = (float) beta2;
      float wd = (float) weightDecay;
      float c1 = (float) (1 - Math.pow(b1, t));
      float c2 = (float) (1 - Math.pow(b2, t));
      for (Slot s : slots) {
        NDArray w = s.weight();
        NDArray g = w.getGradient();
        if (wd > 0) {
          g = g.add(w.mul(wd));
        }
        s.firstMoment().muli(b1).addi(g.mul(1 - b1));
        s.secondMoment().muli(b2).addi(g.square().mul(1 - b2));
        NDArray update =
            s.firstMoment().div(c1).div(s.secondMoment().div(c2).sqrt().add(EPS)).mul((float) lr);
        w.subi(update);
      }
      return true;
    } finally {
      Torch.gradMode(true);
    }
  }
}
