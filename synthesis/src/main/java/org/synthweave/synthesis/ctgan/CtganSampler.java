package org.synthweave.synthesis.ctgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.synthweave.synthesis.data.ConditionSampler;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.Span;

/**
 * Draws rows from a trained generator: batch norm on its running statistics, a condition per row
 * (the given one, or a categorical column and category drawn by frequency, as CTGAN samples),
 * {@code tanh} scalars and one-hot blocks drawn from the softmax by the Gumbel-max trick, decoded
 * back to column values. Same seed, same rows.
 */
public final class CtganSampler {
  private final DataTransformer transformer;
  private final CtganOptions options;
  private final ParamState generator;
  private final int threads;

  public CtganSampler(
      DataTransformer transformer, CtganOptions options, ParamState state, int threads) {
    this.transformer = transformer;
    this.options = options;
    this.generator = state.select("g.");
    this.threads = threads;
  }

  /**
   * {@code n} rows; {@code condition} is {column (condition order), category} or null for the
   * table's own mix.
   */
  public List<Object[]> sample(int n, long seed, int[] condition) {
    SplittableRandom rnd = new SplittableRandom(seed);
    ConditionSampler conds = new ConditionSampler(transformer, null);
    List<Object[]> out = new ArrayList<>(n);
    int dim = transformer.dim();
    int cd = transformer.condDim();
    ai.djl.engine.Engine engine = Torch.engine(threads);
    Torch.gradMode(false);
    try (NDManager m = engine.newBaseManager();
        CtganNetwork net = new CtganNetwork(transformer, options, m.newSubManager())) {
      net.load(generator);
      int batch = options.batchSize();
      while (out.size() < n) {
        try (NDManager step = m.newSubManager()) {
          net.attachTo(step);
          int rows = Math.min(batch, n - out.size());
          float[] z = new float[rows * options.embeddingDim()];
          for (int i = 0; i < z.length; i++) {
            z[i] = (float) rnd.nextGaussian();
          }
          NDArray cond = null;
          if (cd > 0) {
            float[] c = new float[rows * cd];
            for (int i = 0; i < rows; i++) {
              int[] ci = condition != null ? condition : conds.sampleOriginal(rnd);
              conds.writeCondition(ci, c, i * cd);
            }
            cond = Tensors.owned(step, c, new Shape(rows, cd));
          }
          NDArray logits =
              net.generatorLogits(
                  Tensors.owned(step, z, new Shape(rows, options.embeddingDim())), cond, false);
          float[] raw = logits.toFloatArray();
          for (int i = 0; i < rows; i++) {
            int off = i * dim;
            for (Span s : transformer.spans()) {
              for (int j = s.start(); j < s.end(); j++) {
                if (s.activation() == Span.Activation.TANH) {
                  raw[off + j] = (float) Math.tanh(raw[off + j]);
                } else {
                  double u = Math.max(rnd.nextDouble(), 1e-20);
                  raw[off + j] += (float) -Math.log(-Math.log(u) + 1e-20);
                }
              }
            }
            out.add(transformer.decode(raw, off));
          }
        }
      }
    } finally {
      Torch.gradMode(false);
    }
    return out;
  }
}
