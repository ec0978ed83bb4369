package org.synthweave.synthesis.tvae;

import java.io.Serializable;
import java.util.List;
import org.synthweave.synthesis.ctgan.CtganOptions;

/**
 * TVAE's hyperparameters; {@link #DEFAULTS} are those of SDV's {@code TVAESynthesizer} (Xu et al.
 * 2019): a 128-wide latent code, two hidden layers of 128 in the encoder ({@code compressDims}) and
 * in the decoder ({@code decompressDims}), Adam with learning rate {@code lr} and L2 weight decay
 * {@code l2scale}, batches of 500 rows, 300 epochs, and the reconstruction loss weighted {@code
 * lossFactor} against the KL term. Rows are encoded with CTGAN's mode-specific normalization,
 * configured by CTGAN's keys. Each value maps to a {@code synth.tvae.*} key of {@code
 * SynthesisConfig}; those keys default to {@code epochs} 0 (training by steps, as CTGAN) and {@code
 * batchSize} 0 (by the table's size, {@link #resolvedFor}), which beat SDV's fixed 300 epochs of
 * 500-row batches on every small table measured (docs/BENCHMARKS.md).
 */
public record TvaeOptions(
    int embeddingDim,
    List<Integer> compressDims,
    List<Integer> decompressDims,
    double l2scale,
    int batchSize,
    int epochs,
    double lossFactor,
    double lr)
    implements Serializable {

  /** Adam's betas: PyTorch's defaults, which SDV's TVAE keeps. */
  public static final double BETA1 = 0.9;

  public static final double BETA2 = 0.999;

  public static final TvaeOptions DEFAULTS =
      new TvaeOptions(128, List.of(128, 128), List.of(128, 128), 1e-5, 500, 300, 2, 1e-3);

  public TvaeOptions {
    compressDims = compressDims == null ? null : List.copyOf(compressDims);
    decompressDims = decompressDims == null ? null : List.copyOf(decompressDims);
    check(embeddingDim >= 1, "embeddingDim", embeddingDim, ">= 1");
    check(
        compressDims != null && compressDims.stream().allMatch(d -> d >= 1),
        "compressDims",
        compressDims,
        "widths >= 1");
    check(
        decompressDims != null && decompressDims.stream().allMatch(d -> d >= 1),
        "decompressDims",
        decompressDims,
        "widths >= 1");
    check(l2scale >= 0, "l2scale", l2scale, ">= 0");
    check(batchSize >= 0, "batchSize", batchSize, ">= 0 (0: by the table's size)");
    check(epochs >= 0, "epochs", epochs, ">= 0 (0: by steps)");
    check(lossFactor > 0, "lossFactor", lossFactor, "> 0");
    check(lr > 0, "lr", lr, "> 0");
  }

  private static void check(boolean ok, String name, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(name + " must be " + rule + ", got " + value);
    }
  }

  public TvaeOptions withEpochs(int e) {
    return new TvaeOptions(
        embeddingDim, compressDims, decompressDims, l2scale, batchSize, e, lossFactor, lr);
  }

  /** These options with the batch size fixed for {@code rows} training rows (when it is 0). */
  public TvaeOptions resolvedFor(long rows) {
    return batchSize > 0 ? this : withBatchSize(CtganOptions.batchFor(rows, 1));
  }

  public TvaeOptions withBatchSize(int b) {
    return new TvaeOptions(
        embeddingDim, compressDims, decompressDims, l2scale, b, epochs, lossFactor, lr);
  }
}
