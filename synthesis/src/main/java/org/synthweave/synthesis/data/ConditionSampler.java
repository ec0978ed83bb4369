package org.synthweave.synthesis.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training-by-sampling (Xu et al. 2019, section 4.3): a condition picks a categorical column
 * uniformly and one of its categories with probability proportional to the log of its frequency,
 * and the real rows shown to the critic are drawn among the rows with that category. The
 * frequencies are the table's (from the transformer), the rows are those of the local block, so a
 * partition trains on the same condition distribution as the whole table.
 *
 * <p>With a target column (a label, in condition order) a share of the conditions is put on the
 * target and the rest on a column drawn uniformly: the generator then sees the label's categories,
 * and real rows of each, far more often than one categorical column in many would get.
 */
public final class ConditionSampler {
  private final DataTransformer transformer;
  private final EncodedTable block;
  private final int[][][] rowsByCategory;
  private final double[][] logCdf;
  private final double[][] freqCdf;
  private final int target;
  private final double targetShare;

  public ConditionSampler(DataTransformer transformer, EncodedTable block) {
    this(transformer, block, -1, 0);
  }

  /**
   * {@code target} is the label's column in condition order (or -1), {@code targetShare} the share
   * of training conditions on it.
   */
  public ConditionSampler(
      DataTransformer transformer, EncodedTable block, int target, double targetShare) {
    this.transformer = transformer;
    this.block = block;
    this.target = target;
    this.targetShare = targetShare;
    int nc = transformer.categoricalColumns().length;
    rowsByCategory = new int[nc][][];
    logCdf = new double[nc][];
    freqCdf = new double[nc][];
    int[] cols = transformer.categoricalColumns();
    for (int i = 0; i < nc; i++) {
      int k = transformer.categoryCount(i);
      List<List<Integer>> byCat = new ArrayList<>();
      for (int j = 0; j < k; j++) {
        byCat.add(new ArrayList<>());
      }
      if (block != null) {
        for (int r = 0; r < block.rows(); r++) {
          byCat.get(block.category(r, i)).add(r);
        }
      }
      rowsByCategory[i] = new int[k][];
      for (int j = 0; j < k; j++) {
        rowsByCategory[i][j] = byCat.get(j).stream().mapToInt(Integer::intValue).toArray();
      }
      long[] counts = transformer.columns().get(cols[i]).categorical().counts();
      double[] lw = new double[k];
      double[] fw = new double[k];
      for (int j = 0; j < k; j++) {
        boolean present = block == null || rowsByCategory[i][j].length > 0;
        lw[j] = present ? Math.log(counts[j] + 1.0) : 0;
        fw[j] = counts[j];
      }
      logCdf[i] = cdf(lw);
      freqCdf[i] = cdf(fw);
    }
  }

  private static double[] cdf(double[] w) {
    double total = 0;
    for (double x : w) {
      total += x;
    }
    double[] c = new double[w.length];
    double acc = 0;
    for (int i = 0; i < w.length; i++) {
      acc += total > 0 ? w[i] / total : 1.0 / w.length;
      c[i] = acc;
    }
    return c;
  }

  private static int pick(double[] cdf, SplittableRandom rnd) {
    double u = rnd.nextDouble() * cdf[cdf.length - 1];
    for (int i = 0; i < cdf.length; i++) {
      if (u < cdf[i]) {
        return i;
      }
    }
    return cdf.length - 1;
  }

  public boolean hasConditions() {
    return logCdf.length > 0;
  }

  /** A training condition: {column (condition order), category}. */
  public int[] sampleForTraining(SplittableRandom rnd) {
    int col =
        target >= 0 && targetShare > 0 && rnd.nextDouble() < targetShare
            ? target
            : rnd.nextInt(logCdf.length);
    return new int[] {col, pick(logCdf[col], rnd)};
  }

  /** A sampling condition when none is given: column uniformly, category by its frequency. */
  public int[] sampleOriginal(SplittableRandom rnd) {
    int col = rnd.nextInt(freqCdf.length);
    return new int[] {col, pick(freqCdf[col], rnd)};
  }

  /** A local row with the given category, or any row when there is no condition. */
  public int realRow(int[] condition, SplittableRandom rnd) {
    if (condition == null) {
      return rnd.nextInt(block.rows());
    }
    int[] rows = rowsByCategory[condition[0]][condition[1]];
    if (rows.length == 0) {
      return rnd.nextInt(block.rows());
    }
    return rows[rnd.nextInt(rows.length)];
  }

  /** Writes the one-hot condition into {@code out} at {@code offset}. */
  public void writeCondition(int[] condition, float[] out, int offset) {
    if (condition != null) {
      out[offset + transformer.condOffset(condition[0]) + condition[1]] = 1f;
    }
  }
}
