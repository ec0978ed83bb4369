package org.synthweave.synthesis.ctgan;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.synthweave.synthesis.data.ConditionSampler;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.EncodedTable;

/**
 * Runs CTGAN steps on one block of encoded rows, starting from a {@link ParamState} and returning
 * the state after the steps: the single-JVM trainer runs it over the whole table, a Spark task over
 * its partition for one round. One step is {@code discriminatorSteps} critic updates (WGAN-GP) and
 * one generator update (adversarial loss plus the cross-entropy of the condition), each with Adam
 * (PyTorch's semantics: L2 weight decay added to the gradient, bias-corrected moments). An update
 * whose gradient is not finite is skipped, as PyTorch's GradScaler skips an optimizer step.
 *
 * <p>With a classifier target (CTAB-GAN, Zhao et al. 2021) the generator's loss also holds the
 * cross-entropy of each generated row's label (the argmax of its one-hot) under the auxiliary
 * classifier's prediction from the row's other columns, so that generated labels agree with
 * generated features as real ones do; after the generator update the classifier takes one Adam step
 * (the generator's learning rate) on real rows drawn uniformly from the block.
 */
public final class LocalTrainer {
  private final DataTransformer transformer;
  private final CtganOptions options;
  private final EncodedTable block;
  private final ConditionSampler conditions;
  private final int threads;
  private final int target;

  /** Updates of the current {@link #run} skipped for a non-finite gradient. */
  private int skipped;

  /** Sums of the losses over the steps of one {@link #run}. */
  public record Losses(
      double discriminator, double generator, double classifier, int steps, int skipped)
      implements java.io.Serializable {
    public static final Losses NONE = new Losses(0, 0, 0, 0, 0);

    public Losses plus(Losses o) {
      return new Losses(
          discriminator + o.discriminator,
          generator + o.generator,
          classifier + o.classifier,
          steps + o.steps,
          skipped + o.skipped);
    }
  }

  /** What one {@link #run} returns. */
  public record Result(ParamState state, Losses losses) implements java.io.Serializable {}

  public LocalTrainer(
      DataTransformer transformer, CtganOptions options, EncodedTable block, int threads) {
    this.transformer = transformer;
    this.options = options;
    this.block = block;
    this.threads = threads;
    this.target = CtganNetwork.classifierColumn(transformer, options);
    this.conditions =
        new ConditionSampler(transformer, block, target, options.targetConditionShare());
  }

  /** Runs {@code steps} steps from {@code start}; {@code rnd} drives every random choice. */
  public Result run(ParamState start, int steps, SplittableRandom rnd) {
    Engine engine = Torch.engine(threads);
    Torch.gradMode(true);
    double lossD = 0;
    double lossG = 0;
    double lossC = 0;
    skipped = 0;
    long stepsG = start.counter("steps.g");
    long stepsD = start.counter("steps.d");
    try (NDManager base = engine.newBaseManager();
        CtganNetwork net = new CtganNetwork(transformer, options, base.newSubManager())) {
      net.load(start);
      for (int s = 0; s < steps; s++) {
        try (NDManager step = base.newSubManager()) {
          net.attachTo(step);
          for (int d = 0; d < options.discriminatorSteps(); d++) {
            stepsD++;
            lossD += discriminatorStep(net, step, rnd, stepsD);
          }
          stepsG++;
          lossG += generatorStep(net, step, rnd, stepsG);
          if (target >= 0) {
            lossC += classifierStep(net, step, rnd, stepsG);
          }
        }
      }
      return new Result(net.state(stepsG, stepsD), new Losses(lossD, lossG, lossC, steps, skipped));
    } finally {
      Torch.gradMode(false);
    }
  }

  private int batch() {
    return options.batchSize();
  }

  /** Conditions for a batch: {column, category} per row (null rows when there are none). */
  private int[][] sampleConditions(SplittableRandom rnd) {
    int[][] c = new int[batch()][];
    if (conditions.hasConditions()) {
      for (int i = 0; i < c.length; i++) {
        c[i] = conditions.sampleForTraining(rnd);
      }
    }
    return c;
  }

  private NDArray condArray(NDManager m, int[][] conds) {
    int cd = transformer.condDim();
    float[] a = new float[batch() * Math.max(cd, 1)];
    if (cd > 0) {
      for (int i = 0; i < conds.length; i++) {
        conditions.writeCondition(conds[i], a, i * cd);
      }
    }
    return Tensors.owned(m, a, new Shape(batch(), Math.max(cd, 1)));
  }

  static NDArray gumbel(NDManager m, int rows, int cols, SplittableRandom rnd) {
    float[] a = new float[rows * cols];
    for (int i = 0; i < a.length; i++) {
      double u = rnd.nextDouble();
      a[i] = (float) -Math.log(-Math.log(Math.max(u, 1e-20)) + 1e-20);
    }
    return Tensors.owned(m, a, new Shape(rows, cols));
  }

  private NDArray fake(CtganNetwork net, NDManager m, NDArray cond, SplittableRandom rnd) {
    NDArray z = Tensors.gaussian(m, batch(), options.embeddingDim(), rnd);
    NDArray logits = net.generatorLogits(z, transformer.condDim() > 0 ? cond : null, true);
    return net.activate(logits, gumbel(m, batch(), transformer.dim(), rnd));
  }

  private NDArray withCond(NDArray x, NDArray cond) {
    return transformer.condDim() > 0 ? NDArrays.concat(new NDList(x, cond), 1) : x;
  }

  private NDArray pack(NDArray x) {
    return x.reshape(batch() / options.pac(), -1);
  }

  private double discriminatorStep(CtganNetwork net, NDManager m, SplittableRandom rnd, long step) {
    int[][] conds = sampleConditions(rnd);
    NDArray c1 = condArray(m, conds);
    NDArray fake;
    Torch.gradMode(false);
    try {
      fake = fake(net, m, c1, rnd).stopGradient();
    } finally {
      Torch.gradMode(true);
    }
    // Real rows for a shuffled copy of the conditions (as CTGAN does), so that the critic
    // cannot pair rows by position.
    int[] perm = Tensors.permutation(batch(), rnd);
    int[][] permuted = new int[batch()][];
    for (int i = 0; i < perm.length; i++) {
      permuted[i] = conds[perm[i]];
    }
    NDArray c2 = condArray(m, permuted);
    float[] real = new float[batch() * transformer.dim()];
    for (int i = 0; i < batch(); i++) {
      int row = conditions.realRow(conditions.hasConditions() ? permuted[i] : null, rnd);
      System.arraycopy(
          block.data(), row * transformer.dim(), real, i * transformer.dim(), transformer.dim());
    }
    NDArray realX = withCond(Tensors.owned(m, real, new Shape(batch(), transformer.dim())), c2);
    NDArray fakeX = withCond(fake, c1);
    long groups = batch() / options.pac();
    NDArray yReal = net.critic(pack(realX), net.dropoutMasks(groups, rnd), false).get(0);
    NDArray yFake = net.critic(pack(fakeX), net.dropoutMasks(groups, rnd), false).get(0);
    // Interpolates: one weight per PacGAN group, shared by its pac rows (as in CTGAN).
    float[] alpha = new float[batch()];
    for (int g = 0; g < groups; g++) {
      float a = (float) rnd.nextDouble();
      for (int j = 0; j < options.pac(); j++) {
        alpha[g * options.pac() + j] = a;
      }
    }
    NDArray al = Tensors.owned(m, alpha, new Shape(batch(), 1));
    NDArray inter = realX.mul(al).add(fakeX.mul(al.neg().add(1f)));
    NDArray grad = net.critic(pack(inter), net.dropoutMasks(groups, rnd), true).get(1);
    NDArray penalty = gradientPenalty(grad, (float) options.gradientPenalty());
    NDArray loss = yReal.mean().sub(yFake.mean()).neg().add(penalty);
    backwardAndStep(net, loss, "d.", options.discriminatorLr(), step);
    return loss.getFloat();
  }

  /** WGAN-GP's penalty: {@code weight} times the mean of (||input gradient|| - 1)^2 per row. */
  static NDArray gradientPenalty(NDArray inputGradient, float weight) {
    NDArray norm = inputGradient.square().sum(new int[] {1}).add(1e-12f).sqrt();
    return Tensors.times(norm.sub(1f).square().mean(), weight);
  }

  private double generatorStep(CtganNetwork net, NDManager m, SplittableRandom rnd, long step) {
    int[][] conds = sampleConditions(rnd);
    NDArray c1 = condArray(m, conds);
    NDArray z = Tensors.gaussian(m, batch(), options.embeddingDim(), rnd);
    NDArray logits = net.generatorLogits(z, transformer.condDim() > 0 ? c1 : null, true);
    NDArray fake = net.activate(logits, gumbel(m, batch(), transformer.dim(), rnd));
    long groups = batch() / options.pac();
    NDArray y = net.critic(pack(withCond(fake, c1)), net.dropoutMasks(groups, rnd), false).get(0);
    NDArray ce = transformer.condDim() > 0 ? net.conditionLoss(logits, c1) : m.create(0f);
    NDArray loss = y.mean().neg().add(ce);
    if (target >= 0) {
      int start = transformer.dataOffset(target);
      int k = transformer.categoryCount(target);
      float[] label = oneHotOfArgmax(fake.get(":, " + start + ":" + (start + k)).toFloatArray(), k);
      NDArray predicted = net.classifierLogits(fake, target, net.classifierMasks(batch(), rnd));
      NDArray ceLabel =
          CtganNetwork.crossEntropy(
              predicted.logSoftmax(1), Tensors.owned(m, label, new Shape(batch(), k)));
      loss = loss.add(Tensors.times(ceLabel, (float) options.classifierWeight()));
    }
    backwardAndStep(net, loss, "g.", options.generatorLr(), step);
    return loss.getFloat();
  }

  /** One Adam step of the auxiliary classifier on real rows; returns its cross-entropy. */
  private double classifierStep(CtganNetwork net, NDManager m, SplittableRandom rnd, long step) {
    int dim = transformer.dim();
    int k = transformer.categoryCount(target);
    float[] real = new float[batch() * dim];
    float[] label = new float[batch() * k];
    for (int i = 0; i < batch(); i++) {
      int row = conditions.realRow(null, rnd);
      System.arraycopy(block.data(), row * dim, real, i * dim, dim);
      label[i * k + block.category(row, target)] = 1f;
    }
    NDArray x = Tensors.owned(m, real, new Shape(batch(), dim));
    NDArray logits = net.classifierLogits(x, target, net.classifierMasks(batch(), rnd));
    NDArray loss =
        CtganNetwork.crossEntropy(
            logits.logSoftmax(1), Tensors.owned(m, label, new Shape(batch(), k)));
    backwardAndStep(net, loss, "c.", options.generatorLr(), step);
    return loss.getFloat();
  }

  /** Row-wise one-hot of the largest entry of {@code probs} (rows of width {@code k}). */
  static float[] oneHotOfArgmax(float[] probs, int k) {
    float[] out = new float[probs.length];
    for (int r = 0; r < probs.length / k; r++) {
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (probs[r * k + j] > probs[r * k + best]) {
          best = j;
        }
      }
      out[r * k + best] = 1f;
    }
    return out;
  }

  /**
   * Zeroes every gradient, back-propagates {@code loss} (autograd) and applies Adam to the
   * parameters under {@code prefix}; the other networks' gradients are ignored and zeroed before
   * their own next update. When a gradient under {@code prefix} is not finite the update is skipped
   * (as PyTorch's GradScaler skips an optimizer step), so that one overflow does not turn every
   * weight into NaN; {@link Losses#skipped} counts these.
   */
  private void backwardAndStep(CtganNetwork net, NDArray loss, String prefix, double lr, long t) {
    List<Adam.Slot> slots = new ArrayList<>();
    for (String n : net.paramNames(prefix)) {
      slots.add(new Adam.Slot(net.p(n), net.buffer("adam.m." + n), net.buffer("adam.v." + n)));
    }
    List<NDArray> all = net.paramNames("").stream().map(net::p).toList();
    Adam adam = new Adam(lr, options.beta1(), options.beta2(), options.weightDecay());
    if (!adam.step(loss, all, slots, t)) {
      skipped++;
    }
  }
}
