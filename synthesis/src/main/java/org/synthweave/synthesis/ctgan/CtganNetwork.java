package org.synthweave.synthesis.ctgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.Span;

/**
 * CTGAN's generator and PacGAN critic as explicit tensors on one DJL manager.
 *
 * <p>Generator: {@code [z, cond]} through residual layers {@code h <- [relu(bn(h W + b)), h]}, then
 * a linear layer to the data width; {@code tanh} on scalar spans and Gumbel-softmax on one-hot
 * spans. Critic: {@code pac} rows concatenated, linear layers with LeakyReLU and dropout, one
 * output. Auxiliary classifier (only with a classifier target): an encoded row without its label's
 * one-hot, linear layers with LeakyReLU and dropout, one logit per category of the label.
 *
 * <p>WGAN-GP needs the norm of the critic's gradient with respect to its input inside the loss,
 * i.e. a second-order derivative. DJL's PyTorch engine does expose {@code create_graph} through
 * {@code JniUtils.backward}, but that backward also accumulates first-order gradients into every
 * parameter (PyTorch's {@code autograd.grad(inputs=...)} is not exposed) and is easy to get subtly
 * wrong. The critic is a plain MLP, so we write its input gradient as a forward expression instead:
 * {@code dD/dx = ((w_out * a2' * m2) W2^T * a1' * m1) W1^T}, where {@code a'} is LeakyReLU's slope
 * (a constant 1 or 0.2 per unit, whose own derivative is zero almost everywhere) and {@code m} the
 * dropout masks of that pass. Autograd then differentiates the penalty with respect to the weights
 * like any other loss: no backward pass is written by hand.
 *
 * <p>All randomness (noise, Gumbel draws, dropout masks, interpolation weights) comes from a
 * caller's {@link SplittableRandom}, not PyTorch's global generator, so Spark tasks running side by
 * side in one JVM stay reproducible.
 */
public final class CtganNetwork implements AutoCloseable {
  static final float BN_EPS = 1e-5f;
  static final float BN_MOMENTUM = 0.1f;

  private final DataTransformer transformer;
  private final CtganOptions options;
  private final NDManager manager;
  private final LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
  private final LinkedHashMap<String, NDArray> buffers = new LinkedHashMap<>();
  private final int dataDim;
  private final int condDim;

  public CtganNetwork(DataTransformer transformer, CtganOptions options, NDManager manager) {
    this.transformer = transformer;
    this.options = options;
    this.manager = manager;
    this.dataDim = transformer.dim();
    this.condDim = transformer.condDim();
  }

  /** Fresh weights, initialized as PyTorch's Linear does (uniform in +-1/sqrt(fan_in)). */
  public static ParamState initialState(DataTransformer t, CtganOptions o, SplittableRandom rnd) {
    ParamState s = new ParamState();
    int in = o.embeddingDim() + t.condDim();
    for (int i = 0; i < o.generatorDims().size(); i++) {
      int out = o.generatorDims().get(i);
      linear(s, "g.res" + i, in, out, rnd);
      s.put("g.res" + i + ".gamma", new long[] {out}, filled(out, 1f));
      s.put("g.res" + i + ".beta", new long[] {out}, new float[out]);
      s.put("g.res" + i + ".rmean", new long[] {out}, new float[out]);
      s.put("g.res" + i + ".rvar", new long[] {out}, filled(out, 1f));
      in += out;
    }
    linear(s, "g.out", in, t.dim(), rnd);
    int din = (t.dim() + t.condDim()) * o.pac();
    for (int i = 0; i < o.discriminatorDims().size(); i++) {
      int out = o.discriminatorDims().get(i);
      linear(s, "d.l" + i, din, out, rnd);
      din = out;
    }
    linear(s, "d.out", din, 1, rnd);
    int target = classifierColumn(t, o);
    if (target >= 0) {
      int cin = t.dim() - t.categoryCount(target);
      for (int i = 0; i < o.classifierDims().size(); i++) {
        int out = o.classifierDims().get(i);
        linear(s, "c.l" + i, cin, out, rnd);
        cin = out;
      }
      linear(s, "c.out", cin, t.categoryCount(target), rnd);
    }
    for (String name : s.names()) {
      if (isTrainable(name)) {
        long[] shape = s.shape(name);
        int n = s.values(name).length;
        s.put("adam.m." + name, shape, new float[n]);
        s.put("adam.v." + name, shape, new float[n]);
      }
    }
    s.counter("steps.g", 0);
    s.counter("steps.d", 0);
    return s;
  }

  /**
   * The auxiliary classifier's column (condition order), or -1 when {@code o} has none.
   *
   * @throws IllegalArgumentException when the column is not a categorical column of {@code t}
   */
  public static int classifierColumn(DataTransformer t, CtganOptions o) {
    if (!o.hasClassifier()) {
      return -1;
    }
    int[] cats = t.categoricalColumns();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < cats.length; i++) {
      String name = t.columns().get(cats[i]).spec().name();
      if (name.equals(o.classifierTarget())) {
        return i;
      }
      names.add(name);
    }
    throw new IllegalArgumentException(
        "it is not a categorical column (categorical columns: "
            + (names.isEmpty() ? "none" : String.join(", ", names))
            + ")");
  }

  /**
   * Adds a linear layer {@code name.w} ({@code in x out}) and {@code name.b} to {@code s},
   * initialized as PyTorch's Linear does (uniform in +-1/sqrt(fan_in)).
   */
  public static void linear(ParamState s, String name, int in, int out, SplittableRandom rnd) {
    double bound = 1 / Math.sqrt(in);
    float[] w = new float[in * out];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
    }
    float[] b = new float[out];
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
    }
    s.put(name + ".w", new long[] {in, out}, w);
    s.put(name + ".b", new long[] {out}, b);
  }

  private static float[] filled(int n, float v) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  static boolean isTrainable(String name) {
    return !name.startsWith("adam.") && !name.endsWith(".rmean") && !name.endsWith(".rvar");
  }

  /** Loads weights and buffers (and, when present, Adam moments) into this network's manager. */
  public void load(ParamState s) {
    for (String name : s.names()) {
      NDArray a = Tensors.owned(manager, s.values(name), new Shape(s.shape(name)));
      if (name.startsWith("adam.") || name.endsWith(".rmean") || name.endsWith(".rvar")) {
        buffers.put(name, a);
      } else {
        a.setRequiresGradient(true);
        params.put(name, a);
      }
    }
  }

  /** The current weights, buffers and moments. */
  public ParamState state(long stepsG, long stepsD) {
    ParamState s = new ParamState();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      s.put(e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray());
    }
    for (Map.Entry<String, NDArray> e : buffers.entrySet()) {
      s.put(e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray());
    }
    s.counter("steps.g", stepsG);
    s.counter("steps.d", stepsD);
    return s;
  }

  NDArray p(String name) {
    return params.get(name);
  }

  List<String> paramNames(String prefix) {
    List<String> out = new ArrayList<>();
    for (String n : params.keySet()) {
      if (n.startsWith(prefix)) {
        out.add(n);
      }
    }
    return out;
  }

  NDArray buffer(String name) {
    return buffers.get(name);
  }

  /** Moves every tensor of this network under {@code step} until {@code step} closes. */
  void attachTo(NDManager step) {
    for (NDArray a : params.values()) {
      a.tempAttach(step);
    }
    for (NDArray a : buffers.values()) {
      a.tempAttach(step);
    }
  }

  /**
   * Generator logits (before output activations). In training mode batch norm uses the batch's
   * statistics and updates the running ones; otherwise it uses the running statistics.
   */
  NDArray generatorLogits(NDArray z, NDArray cond, boolean training) {
    NDArray h = condDim > 0 ? NDArrays.concat(new NDList(z, cond), 1) : z;
    for (int i = 0; i < options.generatorDims().size(); i++) {
      String n = "g.res" + i;
      NDArray y = h.matMul(p(n + ".w")).add(p(n + ".b"));
      NDArray mean;
      NDArray var;
      if (training) {
        mean = y.mean(new int[] {0});
        NDArray centered = y.sub(mean);
        var = centered.square().mean(new int[] {0});
        updateRunning(n, mean, var, y.getShape().get(0));
      } else {
        mean = buffer(n + ".rmean");
        var = buffer(n + ".rvar");
      }
      NDArray norm =
          y.sub(mean).div(var.add(BN_EPS).sqrt()).mul(p(n + ".gamma")).add(p(n + ".beta"));
      h = NDArrays.concat(new NDList(Activation.relu(norm), h), 1);
    }
    return h.matMul(p("g.out.w")).add(p("g.out.b"));
  }

  /**
   * Running statistics from detached batch statistics: nothing here is recorded by autograd, so the
   * caller's grad mode is left as it is (switching it on here would make the critic step's no-grad
   * generator pass record a graph for every later layer).
   */
  private void updateRunning(String n, NDArray mean, NDArray var, long batch) {
    NDArray m = mean.stopGradient();
    NDArray v = var.stopGradient().mul((float) batch / Math.max(1, batch - 1));
    buffer(n + ".rmean").muli(1 - BN_MOMENTUM).addi(m.mul(BN_MOMENTUM));
    buffer(n + ".rvar").muli(1 - BN_MOMENTUM).addi(v.mul(BN_MOMENTUM));
  }

  /**
   * tanh on scalar spans, Gumbel-softmax with temperature tau on one-hot spans. The noisy, tempered
   * logits are computed once over the full width and sliced per span: the same elementwise
   * arithmetic as per span (the scalar spans' slots of it get no gradient), with one scalar and two
   * graph nodes instead of a scalar and three nodes for every one-hot span.
   */
  NDArray activate(NDArray logits, NDArray gumbel) {
    NDList parts = new NDList();
    NDArray tempered = Tensors.dividedBy(logits.add(gumbel), (float) options.gumbelTau());
    for (Span s : transformer.spans()) {
      String idx = ":, " + s.start() + ":" + s.end();
      if (s.activation() == Span.Activation.TANH) {
        parts.add(logits.get(idx).tanh());
      } else {
        parts.add(tempered.get(idx).softmax(1));
      }
    }
    return NDArrays.concat(parts, 1);
  }

  /** Cross-entropy of the conditioned categorical column (zero where no condition was set). */
  NDArray conditionLoss(NDArray logits, NDArray cond) {
    if (condDim == 0) {
      return logits.getManager().create(0f);
    }
    NDList parts = new NDList();
    int[] cats = transformer.categoricalColumns();
    for (int i = 0; i < cats.length; i++) {
      int off = transformer.dataOffset(i);
      int k = transformer.categoryCount(i);
      parts.add(logits.get(":, " + off + ":" + (off + k)).logSoftmax(1));
    }
    return crossEntropy(NDArrays.concat(parts, 1), cond);
  }

  /**
   * Mean cross-entropy per row of one-hot (or several one-hot blocks side by side) {@code targets}
   * under {@code logProbs}, log-probabilities of the same width: {@code -sum(logProbs * targets) /
   * rows}.
   */
  static NDArray crossEntropy(NDArray logProbs, NDArray targets) {
    return Tensors.dividedBy(logProbs.mul(targets).sum().neg(), logProbs.getShape().get(0));
  }

  /** Critic output and, when {@code withInputGradient}, its gradient with respect to the input. */
  NDList critic(NDArray packed, float[][] masks, boolean withInputGradient) {
    NDManager m = packed.getManager();
    float slope = (float) options.leakySlope();
    int layers = options.discriminatorDims().size();
    NDArray h = packed;
    NDArray[] slopes = new NDArray[layers];
    NDArray[] maskArrays = new NDArray[layers];
    long rows = packed.getShape().get(0);
    for (int i = 0; i < layers; i++) {
      NDArray z = h.matMul(p("d.l" + i + ".w")).add(p("d.l" + i + ".b"));
      NDArray a = Activation.leakyRelu(z, slope);
      if (masks != null) {
        maskArrays[i] =
            Tensors.owned(m, masks[i], new Shape(rows, options.discriminatorDims().get(i)));
        a = a.mul(maskArrays[i]);
      }
      if (withInputGradient) {
        slopes[i] =
            z.stopGradient().gt(0).toType(DataType.FLOAT32, false).mul(1 - slope).add(slope);
      }
      h = a;
    }
    NDArray out = h.matMul(p("d.out.w")).add(p("d.out.b"));
    if (!withInputGradient) {
      return new NDList(out);
    }
    // dD/dh_last = w_out^T, then back through each layer's slope, mask and weight, as forward ops.
    NDArray g = p("d.out.w").transpose().mul(slopes[layers - 1]);
    for (int i = layers - 1; i >= 0; i--) {
      if (i < layers - 1) {
        g = g.mul(slopes[i]);
      }
      if (maskArrays[i] != null) {
        g = g.mul(maskArrays[i]);
      }
      g = g.matMul(p("d.l" + i + ".w").transpose());
    }
    return new NDList(out, g);
  }

  /**
   * The auxiliary classifier's logits for encoded rows {@code x} (the label's own one-hot span is
   * cut out of the input): linear layers with LeakyReLU and dropout, as the critic's, then one
   * logit per category of the label.
   */
  NDArray classifierLogits(NDArray x, int target, float[][] masks) {
    int start = transformer.dataOffset(target);
    int end = start + transformer.categoryCount(target);
    NDList kept = new NDList();
    if (start > 0) {
      kept.add(x.get(":, 0:" + start));
    }
    if (end < dataDim) {
      kept.add(x.get(":, " + end + ":" + dataDim));
    }
    NDArray h = kept.size() == 1 ? kept.get(0) : NDArrays.concat(kept, 1);
    long rows = x.getShape().get(0);
    float slope = (float) options.leakySlope();
    for (int i = 0; i < options.classifierDims().size(); i++) {
      h = Activation.leakyRelu(h.matMul(p("c.l" + i + ".w")).add(p("c.l" + i + ".b")), slope);
      h =
          h.mul(
              Tensors.owned(
                  x.getManager(), masks[i], new Shape(rows, options.classifierDims().get(i))));
    }
    return h.matMul(p("c.out.w")).add(p("c.out.b"));
  }

  /** Random dropout masks (already scaled by 1/(1-p)) for {@code rows} packed critic inputs. */
  float[][] dropoutMasks(long rows, SplittableRandom rnd) {
    return masks(rows, options.discriminatorDims(), rnd);
  }

  /** Random dropout masks for {@code rows} inputs of the auxiliary classifier. */
  float[][] classifierMasks(long rows, SplittableRandom rnd) {
    return masks(rows, options.classifierDims(), rnd);
  }

  private float[][] masks(long rows, List<Integer> dims, SplittableRandom rnd) {
    int layers = dims.size();
    float[][] masks = new float[layers][];
    double p = options.dropout();
    float keep = (float) (1 / (1 - p));
    for (int i = 0; i < layers; i++) {
      int n = (int) rows * dims.get(i);
      masks[i] = new float[n];
      for (int j = 0; j < n; j++) {
        masks[i][j] = rnd.nextDouble() < p ? 0f : keep;
      }
    }
    return masks;
  }

  public int dataDim() {
    return dataDim;
  }

  public int condDim() {
    return condDim;
  }

  public CtganOptions options() {
    return options;
  }

  public DataTransformer transformer() {
    return transformer;
  }

  public NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    manager.close();
  }
}
