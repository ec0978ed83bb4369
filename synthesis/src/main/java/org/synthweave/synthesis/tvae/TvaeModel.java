package org.synthweave.synthesis.tvae;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.synthweave.synthesis.Condition;
import org.synthweave.synthesis.SynthesisModel;
import org.synthweave.synthesis.ctgan.ParamState;
import org.synthweave.synthesis.ctgan.Tensors;
import org.synthweave.synthesis.ctgan.Torch;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.RejectionSampling;
import org.synthweave.synthesis.data.Span;

/**
 * A trained TVAE: the data transformer, the hyperparameters and the decoder's weights (the encoder
 * only serves training). Sampling is SDV's: latent codes from {@code N(0, 1)} through the decoder,
 * {@code tanh} of every output, Gaussian noise of the learned sigma added to each scalar, and the
 * argmax of every one-hot span, decoded back to column values. Same seed, same rows.
 */
public final class TvaeModel implements SynthesisModel {
  private final DataTransformer transformer;
  private final TvaeOptions options;
  private final ParamState decoder;
  private final int threads;

  public TvaeModel(
      DataTransformer transformer, TvaeOptions options, ParamState state, int threads) {
    this.transformer = transformer;
    this.options = options;
    this.decoder = state.select("d.");
    this.threads = threads;
  }

  public DataTransformer transformer() {
    return transformer;
  }

  public TvaeOptions options() {
    return options;
  }

  /** The decoder's weights and sigma. */
  public ParamState decoder() {
    return decoder;
  }

  @Override
  public String kind() {
    return "tvae";
  }

  @Override
  public List<ColumnSpec> columns() {
    return transformer.specs();
  }

  /**
   * Rows drawn with {@code seed}. TVAE has no conditional input, so a condition is met by rejection
   * (as CTGAN's sampling does for the rows its condition vector misses): batches drawn with seeds
   * {@code mix(seed, round)} until {@code n} rows carry the value, failing with a clear error when
   * the value is too rare for that.
   */
  @Override
  public List<Object[]> sample(int n, long seed, Condition condition) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    if (condition == null) {
      return draw(n, seed);
    }
    int[] cond = condition.locate(transformer);
    int column = transformer.categoricalColumns()[cond[0]];
    String value = transformer.columns().get(column).categorical().categories().get(cond[1]);
    return RejectionSampling.sample(
        n, seed, options.batchSize(), column, value, condition.toString(), this::draw);
  }

  private List<Object[]> draw(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Object[]> out = new ArrayList<>(n);
    if (n == 0) {
      return out;
    }
    int dim = transformer.dim();
    int emb = options.embeddingDim();
    float[] sigma = decoder.has("d.sigma") ? decoder.values("d.sigma") : new float[0];
    ai.djl.engine.Engine engine = Torch.engine(threads);
    Torch.gradMode(false);
    try (NDManager m = engine.newBaseManager();
        TvaeNetwork net = new TvaeNetwork(transformer, options, m.newSubManager())) {
      net.load(decoder);
      while (out.size() < n) {
        try (NDManager step = m.newSubManager()) {
          net.attachTo(step);
          int rows = Math.min(options.batchSize(), n - out.size());
          float[] z = new float[rows * emb];
          for (int i = 0; i < z.length; i++) {
            z[i] = (float) rnd.nextGaussian();
          }
          float[] raw = net.decode(Tensors.owned(step, z, new Shape(rows, emb))).toFloatArray();
          for (int i = 0; i < rows; i++) {
            int off = i * dim;
            int scalar = 0;
            for (Span s : transformer.spans()) {
              if (s.activation() == Span.Activation.TANH) {
                int j = off + s.start();
                raw[j] = (float) (Math.tanh(raw[j]) + sigma[scalar++] * rnd.nextGaussian());
              }
            }
            out.add(transformer.decode(raw, off));
          }
        }
      }
    }
    return out;
  }
}
