package org.synthweave.synthesis.ctgan;

import java.util.List;
import org.synthweave.synthesis.Condition;
import org.synthweave.synthesis.SynthesisModel;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.DataTransformer;

/** A trained CTGAN: the data transformer, the hyperparameters and the generator's weights. */
public final class CtganModel implements SynthesisModel {
  private final DataTransformer transformer;
  private final CtganOptions options;
  private final ParamState generator;
  private final int threads;

  public CtganModel(
      DataTransformer transformer, CtganOptions options, ParamState state, int threads) {
    this.transformer = transformer;
    this.options = options;
    this.generator = state.select("g.");
    this.threads = threads;
  }

  public DataTransformer transformer() {
    return transformer;
  }

  public CtganOptions options() {
    return options;
  }

  /** Generator weights and batch-norm running statistics. */
  public ParamState generator() {
    return generator;
  }

  @Override
  public String kind() {
    return "ctgan";
  }

  @Override
  public List<ColumnSpec> columns() {
    return transformer.specs();
  }

  /** The condition as {column in condition order, category}, checked against the training data. */
  public int[] resolve(Condition condition) {
    return condition == null ? null : condition.locate(transformer);
  }

  /**
   * Rows drawn with {@code seed}. With a condition the generator gets the condition vector and, as
   * SDV's CTGAN does, rows that still miss the value are rejected and drawn again (the condition is
   * a strong hint to the generator, not a guarantee), so every row has the value.
   */
  @Override
  public List<Object[]> sample(int n, long seed, Condition condition) {
    int[] cond = resolve(condition);
    CtganSampler sampler = new CtganSampler(transformer, options, generator, threads);
    if (cond == null) {
      return sampler.sample(n, seed, null);
    }
    int column = transformer.categoricalColumns()[cond[0]];
    String value = transformer.columns().get(column).categorical().categories().get(cond[1]);
    return org.synthweave.synthesis.data.RejectionSampling.sample(
        n,
        seed,
        options.batchSize(),
        column,
        value,
        condition.toString(),
        (k, s) -> sampler.sample(k, s, cond));
  }
}
