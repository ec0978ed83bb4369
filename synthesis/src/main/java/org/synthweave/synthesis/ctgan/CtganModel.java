package org.synthweave.synthesis.ctgan;

import java.util.List;
import org.synthweave.synthesis.Condition;
import org.synthweave.synthesis.SynthesisErrors;
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
    if (condition == null) {
      return null;
    }
    int[] cats = transformer.categoricalColumns();
    for (int i = 0; i < cats.length; i++) {
      var col = transformer.columns().get(cats[i]);
      if (col.spec().name().equals(condition.column())) {
        int k = transformer.categoryIndex(i, condition.value());
        if (k < 0) {
          throw SynthesisErrors.unknownConditionValue(
              condition.column(), condition.value(), col.categorical().categories());
        }
        return new int[] {i, k};
      }
    }
    throw SynthesisErrors.badCondition(
        condition.toString(), "the model has no categorical column " + condition.column());
  }

  @Override
  public List<Object[]> sample(int n, long seed, Condition condition) {
    return new CtganSampler(transformer, options, generator, threads)
        .sample(n, seed, resolve(condition));
  }
}
