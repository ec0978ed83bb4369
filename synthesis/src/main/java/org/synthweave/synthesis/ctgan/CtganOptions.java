package org.synthweave.synthesis.ctgan;

import java.io.Serializable;
import java.util.List;

/**
 * CTGAN's hyperparameters; {@link #DEFAULTS} are the paper's (and SDV ctgan's) values, except
 * {@code pointMassShare} (point masses are not in the paper; 0 turns them off, and model files
 * written before them read as 0). {@code classifierTarget} names a categorical column for
 * CTAB-GAN's auxiliary classifier (not in the CTGAN paper; empty, the default, turns it off, and
 * model files written before it read as off); {@code classifierDims} are its hidden layers and
 * {@code classifierWeight} the weight of its loss in the generator's (1, CTAB-GAN's). {@code
 * targetConditionShare} is the share of training conditions put on the classifier target's column
 * (0, the paper's: every categorical column equally often). {@code batchSize} 0 is resolved per
 * table ({@link #resolvedFor}); {@code epochs} 0 means training by steps. Each maps to a {@code
 * synth.ctgan.*} or {@code synth.train.*} key of {@code SynthesisConfig}.
 */
public record CtganOptions(
    int embeddingDim,
    List<Integer> generatorDims,
    List<Integer> discriminatorDims,
    int pac,
    int batchSize,
    int epochs,
    double generatorLr,
    double discriminatorLr,
    double beta1,
    double beta2,
    double weightDecay,
    double gradientPenalty,
    double gumbelTau,
    double leakySlope,
    double dropout,
    int discriminatorSteps,
    int maxModes,
    double modeWeightThreshold,
    double pointMassShare,
    String classifierTarget,
    List<Integer> classifierDims,
    double classifierWeight,
    double targetConditionShare)
    implements Serializable {

  public static final CtganOptions DEFAULTS =
      new CtganOptions(
          128,
          List.of(256, 256),
          List.of(256, 256),
          10,
          500,
          300,
          2e-4,
          2e-4,
          0.5,
          0.9,
          1e-6,
          10,
          0.2,
          0.2,
          0.5,
          1,
          10,
          0.005,
          0.1,
          "",
          List.of(256, 256),
          1,
          0);

  public CtganOptions {
    generatorDims = List.copyOf(generatorDims);
    classifierTarget = classifierTarget == null ? "" : classifierTarget.trim();
    classifierDims = classifierDims == null ? List.of(256, 256) : List.copyOf(classifierDims);
    discriminatorDims = List.copyOf(discriminatorDims);
    check(embeddingDim >= 1, "embeddingDim", embeddingDim, ">= 1");
    check(!generatorDims.isEmpty(), "generatorDims", generatorDims, "not empty");
    check(!discriminatorDims.isEmpty(), "discriminatorDims", discriminatorDims, "not empty");
    check(pac >= 1, "pac", pac, ">= 1");
    check(
        batchSize == 0 || (batchSize >= pac && batchSize % pac == 0),
        "batchSize",
        batchSize,
        "0 (by table size) or a multiple of pac");
    check(epochs >= 0, "epochs", epochs, ">= 0 (0: by steps)");
    check(generatorLr > 0 && discriminatorLr > 0, "learning rate", generatorLr, "> 0");
    check(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "betas", beta1, "in [0, 1)");
    check(weightDecay >= 0, "weightDecay", weightDecay, ">= 0");
    check(gradientPenalty >= 0, "gradientPenalty", gradientPenalty, ">= 0");
    check(gumbelTau > 0, "gumbelTau", gumbelTau, "> 0");
    check(dropout >= 0 && dropout < 1, "dropout", dropout, "in [0, 1)");
    check(discriminatorSteps >= 1, "discriminatorSteps", discriminatorSteps, ">= 1");
    check(maxModes >= 1, "maxModes", maxModes, ">= 1");
    check(
        modeWeightThreshold >= 0 && modeWeightThreshold < 1,
        "modeWeightThreshold",
        modeWeightThreshold,
        "in [0, 1)");
    check(
        pointMassShare == 0 || (pointMassShare >= 0.001 && pointMassShare <= 1),
        "pointMassShare",
        pointMassShare,
        "0 (off) or in [0.001, 1]");
    check(!classifierDims.isEmpty(), "classifierDims", classifierDims, "not empty");
    check(classifierWeight >= 0, "classifierWeight", classifierWeight, ">= 0");
    check(
        targetConditionShare >= 0 && targetConditionShare <= 1,
        "targetConditionShare",
        targetConditionShare,
        "in [0, 1]");
  }

  /**
   * The batch size for a table of {@code rows} training rows when {@link #batchSize} is 0: a tenth
   * of the rows, rounded down to a multiple of pac, between 50 and 500 (the paper's 500 for tables
   * of 5,000 rows and more), so a small table still gets several distinct batches per epoch.
   */
  public static int batchFor(long rows, int pac) {
    long b = Math.max(50, Math.min(500, rows / 10));
    b = Math.max(pac, b / pac * pac);
    return (int) b;
  }

  /** These options with the batch size fixed for {@code rows} training rows. */
  public CtganOptions resolvedFor(long rows) {
    return batchSize > 0 ? this : withBatchSize(batchFor(rows, pac));
  }

  /**
   * This with a label column: CTAB-GAN's auxiliary classifier of {@code target} (empty: none) and
   * {@code conditionShare} of the training conditions on it.
   */
  public CtganOptions withTarget(String target, double conditionShare) {
    return copy(batchSize, epochs, target, conditionShare);
  }

  /** Whether training adds CTAB-GAN's auxiliary classifier of {@link #classifierTarget}. */
  public boolean hasClassifier() {
    return !classifierTarget.isEmpty();
  }

  private static void check(boolean ok, String name, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(name + " must be " + rule + ", got " + value);
    }
  }

  public CtganOptions withEpochs(int e) {
    return copy(batchSize, e, classifierTarget, targetConditionShare);
  }

  public CtganOptions withBatchSize(int b) {
    return copy(b, epochs, classifierTarget, targetConditionShare);
  }

  /** These options with the four fields that are set per table or per run replaced. */
  private CtganOptions copy(
      int batchSize, int epochs, String classifierTarget, double targetConditionShare) {
    return new CtganOptions(
        embeddingDim,
        generatorDims,
        discriminatorDims,
        pac,
        batchSize,
        epochs,
        generatorLr,
        discriminatorLr,
        beta1,
        beta2,
        weightDecay,
        gradientPenalty,
        gumbelTau,
        leakySlope,
        dropout,
        discriminatorSteps,
        maxModes,
        modeWeightThreshold,
        pointMassShare,
        classifierTarget,
        classifierDims,
        classifierWeight,
        targetConditionShare);
  }
}
