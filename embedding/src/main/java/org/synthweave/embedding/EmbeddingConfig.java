package org.synthweave.embedding;

import java.io.Serializable;
import java.util.List;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.ConfigKey;
import org.synthweave.core.config.Settings;
import org.synthweave.embedding.text.EncoderOptions;
import org.synthweave.embedding.text.TextModel;

/**
 * Every configuration key of the embed stage, with its documented default, and the typed view the
 * embed jobs use.
 */
public record EmbeddingConfig(
    TextModel textModel,
    String textTable,
    EncoderOptions encoder,
    int tasksPerCore,
    List<String> rowTables,
    List<String> rowExcludeColumns,
    int rowMaxOneHot,
    int rowHashBuckets)
    implements Serializable {

  public static final ConfigKey<String> TEXT_MODEL =
      ConfigKey.string(
          "embed.text.model",
          TextModel.ALL_MINILM_L6_V2.id(),
          "Sentence model: all-minilm-l6-v2 (fp32) or all-minilm-l6-v2-q (int8, faster on CPU).");
  public static final ConfigKey<String> TEXT_TABLE =
      ConfigKey.string(
          "embed.text.table",
          TableCatalog.SILVER_DOCUMENTS,
          "Table of documents to embed (columns id, text), e.g. silver/documents.");
  public static final ConfigKey<Integer> BATCH_SIZE =
      ConfigKey.integer(
          "embed.text.batch-size",
          EncoderOptions.DEFAULT_BATCH_SIZE,
          "Most passages per ONNX run.");
  public static final ConfigKey<Integer> BATCH_TOKENS =
      ConfigKey.integer(
          "embed.text.batch-tokens",
          EncoderOptions.DEFAULT_BATCH_TOKENS,
          "Most padded tokens (passages x longest passage) per ONNX run: short sentences share"
              + " big batches, long passages small ones.");
  public static final ConfigKey<Integer> MAX_TOKENS =
      ConfigKey.integer(
          "embed.text.max-tokens",
          EncoderOptions.DEFAULT_MAX_TOKENS,
          "Tokens per passage, [CLS] and [SEP] included (the model was trained with 256, can take"
              + " 512); longer texts become several passages.");
  public static final ConfigKey<Integer> OVERLAP_TOKENS =
      ConfigKey.integer(
          "embed.text.overlap-tokens",
          EncoderOptions.DEFAULT_OVERLAP_TOKENS,
          "Tokens shared by consecutive passages of a long text.");
  public static final ConfigKey<Integer> SORT_WINDOW =
      ConfigKey.integer(
          "embed.text.sort-window",
          EncoderOptions.DEFAULT_SORT_WINDOW,
          "Passages a task reads ahead and sorts by length before batching (less padding).");
  public static final ConfigKey<Integer> INTRA_OP_THREADS =
      ConfigKey.integer(
          "embed.onnx.intra-op-threads",
          EncoderOptions.DEFAULT_INTRA_OP_THREADS,
          "ONNX Runtime threads per inference run; with 1, Spark's task slots are the parallelism.");
  public static final ConfigKey<String> EXECUTION_PROVIDER =
      ConfigKey.string(
          "embed.onnx.execution-provider",
          EncoderOptions.DEFAULT_EXECUTION_PROVIDER,
          "cpu, or cuda (needs the -Pgpu build and a GPU; without one it logs a line and uses"
              + " CPU).");
  public static final ConfigKey<Integer> TASKS_PER_CORE =
      ConfigKey.integer(
          "embed.tasks-per-core",
          2,
          "Documents are spread over cores x this many tasks, so long documents even out.");
  public static final ConfigKey<List<String>> ROW_TABLES =
      ConfigKey.stringList(
          "embed.rows.tables",
          List.of(TableCatalog.SILVER_TELEMETRY),
          "Tables whose rows get feature vectors (a fitted Spark ML pipeline: imputation, scaling,"
              + " one-hot or hashed categoricals).");
  public static final ConfigKey<List<String>> ROW_EXCLUDE_COLUMNS =
      ConfigKey.stringList(
          "embed.rows.exclude-columns",
          List.of(),
          "Columns left out of row features, besides ids, provenance and binary columns.");
  public static final ConfigKey<Integer> ROW_MAX_ONE_HOT =
      ConfigKey.integer(
          "embed.rows.max-one-hot",
          32,
          "A string column with at most this many distinct values is one-hot encoded; with more,"
              + " it is hashed.");
  public static final ConfigKey<Integer> ROW_HASH_BUCKETS =
      ConfigKey.integer(
          "embed.rows.hash-buckets",
          64,
          "Buckets of the feature hasher for high-cardinality strings.");

  public static final List<ConfigKey<?>> KEYS =
      List.of(
          TEXT_MODEL,
          TEXT_TABLE,
          BATCH_SIZE,
          BATCH_TOKENS,
          MAX_TOKENS,
          OVERLAP_TOKENS,
          SORT_WINDOW,
          INTRA_OP_THREADS,
          EXECUTION_PROVIDER,
          TASKS_PER_CORE,
          ROW_TABLES,
          ROW_EXCLUDE_COLUMNS,
          ROW_MAX_ONE_HOT,
          ROW_HASH_BUCKETS);

  public static EmbeddingConfig from(Settings s) {
    EncoderOptions encoder;
    try {
      encoder =
          new EncoderOptions(
              s.get(BATCH_SIZE),
              s.get(BATCH_TOKENS),
              s.get(MAX_TOKENS),
              s.get(OVERLAP_TOKENS),
              s.get(SORT_WINDOW),
              s.get(INTRA_OP_THREADS),
              s.get(EXECUTION_PROVIDER));
    } catch (IllegalArgumentException e) {
      throw EmbeddingErrors.badEncoderOptions(e.getMessage());
    }
    if (s.get(TASKS_PER_CORE) < 1) {
      throw EmbeddingErrors.badOption(
          TASKS_PER_CORE.name(), s.get(TASKS_PER_CORE), "it must be >= 1");
    }
    if (s.get(ROW_MAX_ONE_HOT) < 1) {
      throw EmbeddingErrors.badOption(
          ROW_MAX_ONE_HOT.name(), s.get(ROW_MAX_ONE_HOT), "it must be >= 1");
    }
    if (s.get(ROW_HASH_BUCKETS) < 2) {
      throw EmbeddingErrors.badOption(
          ROW_HASH_BUCKETS.name(), s.get(ROW_HASH_BUCKETS), "it must be >= 2");
    }
    return new EmbeddingConfig(
        TextModel.of(s.get(TEXT_MODEL)),
        s.get(TEXT_TABLE),
        encoder,
        s.get(TASKS_PER_CORE),
        s.get(ROW_TABLES),
        s.get(ROW_EXCLUDE_COLUMNS),
        s.get(ROW_MAX_ONE_HOT),
        s.get(ROW_HASH_BUCKETS));
  }
}
