package org.synthweave.embedding.text;

import java.io.Serializable;

/**
 * How a {@link TextEncoder} runs: batching, passage windows and ONNX Runtime threads. Every setting
 * has a {@code DEFAULT_*} twin; the embed stage's config keys resolve to one of these.
 *
 * @param batchSize most passages per ONNX run
 * @param batchTokens most padded tokens (passages x longest passage) per ONNX run; a batch closes
 *     at whichever limit comes first, so short sentences share big batches and long passages do not
 *     make huge ones
 * @param maxTokens tokens per passage, [CLS] and [SEP] included (at most {@link
 *     TextModel#MAX_POSITIONS}; the model was trained with {@link TextModel#MAX_TOKENS})
 * @param overlapTokens tokens shared by consecutive passages of a long text
 * @param sortWindow passages read ahead and sorted by length before batching, so a batch pads to
 *     similar lengths
 * @param intraOpThreads ONNX Runtime threads inside one run (1 lets Spark's task slots provide the
 *     parallelism)
 * @param executionProvider {@code cpu} or {@code cuda}
 */
public record EncoderOptions(
    int batchSize,
    int batchTokens,
    int maxTokens,
    int overlapTokens,
    int sortWindow,
    int intraOpThreads,
    String executionProvider)
    implements Serializable {

  public static final int DEFAULT_BATCH_SIZE = 32;
  public static final int DEFAULT_BATCH_TOKENS = 2048;
  public static final int DEFAULT_MAX_TOKENS = TextModel.MAX_TOKENS;
  public static final int DEFAULT_OVERLAP_TOKENS = 32;
  public static final int DEFAULT_SORT_WINDOW = 1024;
  public static final int DEFAULT_INTRA_OP_THREADS = 1;
  public static final String DEFAULT_EXECUTION_PROVIDER = "cpu";

  public EncoderOptions {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    if (maxTokens < 3 || maxTokens > TextModel.MAX_POSITIONS) {
      throw new IllegalArgumentException(
          "maxTokens must be in [3, " + TextModel.MAX_POSITIONS + "], got " + maxTokens);
    }
    if (batchTokens < maxTokens) {
      throw new IllegalArgumentException(
          "batchTokens must be >= maxTokens (" + maxTokens + "), got " + batchTokens);
    }
    if (overlapTokens < 0 || overlapTokens > (maxTokens - 2) / 2) {
      throw new IllegalArgumentException(
          "overlapTokens must be in [0, (maxTokens - 2) / 2 = "
              + (maxTokens - 2) / 2
              + "], got "
              + overlapTokens);
    }
    if (sortWindow < batchSize) {
      throw new IllegalArgumentException(
          "sortWindow must be >= batchSize (" + batchSize + "), got " + sortWindow);
    }
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
    }
    if (!"cpu".equals(executionProvider) && !"cuda".equals(executionProvider)) {
      throw new IllegalArgumentException(
          "executionProvider must be cpu or cuda, got " + executionProvider);
    }
  }

  /** The defaults: batches of up to 32 passages and 2048 tokens, 256-token passages, CPU. */
  public static EncoderOptions defaults() {
    return new EncoderOptions(
        DEFAULT_BATCH_SIZE,
        DEFAULT_BATCH_TOKENS,
        DEFAULT_MAX_TOKENS,
        DEFAULT_OVERLAP_TOKENS,
        DEFAULT_SORT_WINDOW,
        DEFAULT_INTRA_OP_THREADS,
        DEFAULT_EXECUTION_PROVIDER);
  }

  public EncoderOptions withIntraOpThreads(int threads) {
    return new EncoderOptions(
        batchSize, batchTokens, maxTokens, overlapTokens, sortWindow, threads, executionProvider);
  }

  public EncoderOptions withBatch(int size, int tokens) {
    return new EncoderOptions(
        size,
        Math.max(tokens, maxTokens),
        maxTokens,
        overlapTokens,
        Math.max(sortWindow, size),
        intraOpThreads,
        executionProvider);
  }

  public EncoderOptions withWindow(int tokens, int overlap) {
    return new EncoderOptions(
        batchSize,
        Math.max(batchTokens, tokens),
        tokens,
        overlap,
        sortWindow,
        intraOpThreads,
        executionProvider);
  }
}
