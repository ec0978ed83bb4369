package org.synthweave.synthesis.tvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.synthweave.synthesis.ctgan.CtganNetwork;
import org.synthweave.synthesis.ctgan.ParamState;
import org.synthweave.synthesis.ctgan.Tensors;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.Span;

/**
 * TVAE's encoder and decoder (Xu et al. 2019, as SDV's {@code TVAESynthesizer}) as explicit tensors
 * on one DJL manager.
 *
 * <p>Encoder ({@code e.*}): an encoded row through linear layers with ReLU, then two linear heads,
 * the mean {@code mu} and log-variance {@code logvar} of the latent code. Decoder ({@code d.*}): a
 * latent code through linear layers with ReLU, then a linear layer to the data width, plus {@code
 * d.sigma}, one learned standard deviation per scalar ({@code tanh}) span (none without continuous
 * columns): the spread of the Gaussian the reconstruction loss assumes around {@code tanh} of the
 * output, and the noise added to a sampled scalar. SDV keeps a sigma for every feature but only
 * reads those of scalar spans; here there are only those.
 *
 * <p>The randomness of a training step (the reparameterization noise) comes from the caller's
 * {@link java.util.SplittableRandom}, not PyTorch's global generator, so runs side by side in one
 * JVM stay reproducible.
 */
public final class TvaeNetwork implements AutoCloseable {
  /** Bounds SDV clamps sigma to after every step, and its initial value. */
  static final float SIGMA_MIN = 0.01f;

  static final float SIGMA_MAX = 1f;
  static final float SIGMA_INIT = 0.1f;

  private final DataTransformer transformer;
  private final TvaeOptions options;
  private final NDManager manager;
  private final LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
  private final LinkedHashMap<String, NDArray> buffers = new LinkedHashMap<>();
  private final NDArray scalarColumns;

  public TvaeNetwork(DataTransformer transformer, TvaeOptions options, NDManager manager) {
    this.transformer = transformer;
    this.options = options;
    this.manager = manager;
    int scalars = scalarSpans(transformer);
    float[] select = new float[transformer.dim() * Math.max(scalars, 1)];
    int j = 0;
    for (Span s : transformer.spans()) {
      if (s.activation() == Span.Activation.TANH) {
        select[s.start() * scalars + j++] = 1f;
      }
    }
    this.scalarColumns =
        scalars == 0 ? null : Tensors.owned(manager, select, new Shape(transformer.dim(), scalars));
  }

  /** Number of scalar ({@code tanh}) spans of {@code t}: one per continuous column. */
  static int scalarSpans(DataTransformer t) {
    int n = 0;
    for (Span s : t.spans()) {
      if (s.activation() == Span.Activation.TANH) {
        n++;
      }
    }
    return n;
  }

  /**
   * Fresh weights (PyTorch's Linear initialization), sigma at 0.1 as in SDV, zero Adam moments and
   * a step counter at 0.
   */
  public static ParamState initialState(DataTransformer t, TvaeOptions o, SplittableRandom rnd) {
    ParamState s = new ParamState();
    int in = t.dim();
    for (int i = 0; i < o.compressDims().size(); i++) {
      CtganNetwork.linear(s, "e.l" + i, in, o.compressDims().get(i), rnd);
      in = o.compressDims().get(i);
    }
    CtganNetwork.linear(s, "e.mu", in, o.embeddingDim(), rnd);
    CtganNetwork.linear(s, "e.logvar", in, o.embeddingDim(), rnd);
    in = o.embeddingDim();
    for (int i = 0; i < o.decompressDims().size(); i++) {
      CtganNetwork.linear(s, "d.l" + i, in, o.decompressDims().get(i), rnd);
      in = o.decompressDims().get(i);
    }
    CtganNetwork.linear(s, "d.out", in, t.dim(), rnd);
    int scalars = scalarSpans(t);
    if (scalars > 0) {
      float[] sigma = new float[scalars];
      java.util.Arrays.fill(sigma, SIGMA_INIT);
      s.put("d.sigma", new long[] {scalars}, sigma);
    }
    for (String name : s.names()) {
      long[] shape = s.shape(name);
      int n = s.values(name).length;
      s.put("adam.m." + name, shape, new float[n]);
      s.put("adam.v." + name, shape, new float[n]);
    }
    s.counter("steps", 0);
    return s;
  }

  /** Loads weights and (when present) Adam moments into this network's manager. */
  public void load(ParamState s) {
    for (String name : s.names()) {
      NDArray a = Tensors.owned(manager, s.values(name), new Shape(s.shape(name)));
      if (name.startsWith("adam.")) {
        buffers.put(name, a);
      } else {
        a.setRequiresGradient(true);
        params.put(name, a);
      }
    }
  }

  /** The current weights and moments, with the number of optimizer steps taken. */
  public ParamState state(long steps) {
    ParamState s = new ParamState();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      s.put(e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray());
    }
    for (Map.Entry<String, NDArray> e : buffers.entrySet()) {
      s.put(e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray());
    }
    s.counter("steps", steps);
    return s;
  }

  NDArray p(String name) {
    NDArray a = params.get(name);
    if (a == null) {
      throw new IllegalStateException("no parameter " + name + " loaded");
    }
    return a;
  }

  List<String> paramNames() {
    return new ArrayList<>(params.keySet());
  }

  NDArray buffer(String name) {
    return buffers.get(name);
  }

  /** Moves every weight and moment of this network under {@code step} until {@code step} closes. */
  void attachTo(NDManager step) {
    for (NDArray a : params.values()) {
      a.tempAttach(step);
    }
    for (NDArray a : buffers.values()) {
      a.tempAttach(step);
    }
  }

  /** The encoder's {@code mu} and {@code logvar} of rows {@code x}. */
  NDList encode(NDArray x) {
    NDArray h = x;
    for (int i = 0; i < options.compressDims().size(); i++) {
      h = Activation.relu(h.matMul(p("e.l" + i + ".w")).add(p("e.l" + i + ".b")));
    }
    return new NDList(
        h.matMul(p("e.mu.w")).add(p("e.mu.b")), h.matMul(p("e.logvar.w")).add(p("e.logvar.b")));
  }

  /** The decoder's raw output (before {@code tanh} or softmax) for latent codes {@code z}. */
  NDArray decode(NDArray z) {
    NDArray h = z;
    for (int i = 0; i < options.decompressDims().size(); i++) {
      h = Activation.relu(h.matMul(p("d.l" + i + ".w")).add(p("d.l" + i + ".b")));
    }
    return h.matMul(p("d.out.w")).add(p("d.out.b"));
  }

  /**
   * SDV's loss of a batch of encoded rows {@code x} with reparameterization noise {@code eps}
   * (standard normal, rows x embedding): the reconstruction term and the KL term, each divided by
   * the batch's rows. Reconstruction sums, for each scalar span, {@code (x - tanh(out))^2 / (2
   * sigma^2)} plus {@code log(sigma)} per row, and for each one-hot span the cross-entropy of its
   * softmax against the real one-hot, times {@code lossFactor}; KL is that of {@code N(mu, exp
   * (logvar))} from {@code N(0, 1)}.
   */
  NDList loss(NDArray x, NDArray eps) {
    long rows = x.getShape().get(0);
    NDList code = encode(x);
    NDArray mu = code.get(0);
    NDArray logvar = code.get(1);
    NDArray std = Tensors.times(logvar, 0.5f).exp();
    NDArray out = decode(eps.mul(std).add(mu));
    NDArray sum = null;
    if (scalarColumns != null) {
      NDArray sigma = p("d.sigma");
      NDArray diff = x.matMul(scalarColumns).sub(out.matMul(scalarColumns).tanh());
      NDArray squared = diff.square().div(Tensors.times(sigma.square(), 2f)).sum();
      sum = squared.add(Tensors.times(sigma.log().sum(), rows));
    }
    NDList logProbs = new NDList();
    NDList oneHots = new NDList();
    for (Span s : transformer.spans()) {
      if (s.activation() == Span.Activation.SOFTMAX) {
        String idx = ":, " + s.start() + ":" + s.end();
        logProbs.add(out.get(idx).logSoftmax(1));
        oneHots.add(x.get(idx));
      }
    }
    if (!logProbs.isEmpty()) {
      NDArray ce = NDArrays.concat(logProbs, 1).mul(NDArrays.concat(oneHots, 1)).sum().neg();
      sum = sum == null ? ce : sum.add(ce);
    }
    NDArray reconstruction = Tensors.times(sum, (float) (options.lossFactor() / rows));
    NDArray kl =
        Tensors.times(logvar.add(1f).sub(mu.square()).sub(logvar.exp()).sum(), -0.5f / rows);
    return new NDList(reconstruction, kl);
  }

  /** Clamps sigma into SDV's [0.01, 1] after an update (grad mode must be off). */
  void clampSigma() {
    if (params.containsKey("d.sigma")) {
      NDArray sigma = p("d.sigma");
      NDArray clamped = sigma.clip(SIGMA_MIN, SIGMA_MAX);
      sigma.subi(sigma.sub(clamped));
    }
  }

  public TvaeOptions options() {
    return options;
  }

  public DataTransformer transformer() {
    return transformer;
  }

  @Override
  public void close() {
    manager.close();
  }
}
