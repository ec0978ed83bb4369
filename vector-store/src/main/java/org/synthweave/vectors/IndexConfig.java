package org.synthweave.vectors;

import java.util.Locale;
import org.synthweave.core.config.ConfigKey;
import org.synthweave.core.config.Settings;

/**
 * Every configuration key of the index and search stage, with its documented default, and the typed
 * view the index jobs and the search command use.
 */
public record IndexConfig(
    int m,
    int beamWidth,
    HnswParams.Quantization quantization,
    HnswParams.Similarity textSimilarity,
    HnswParams.Similarity rowSimilarity,
    SparkVectorIndex.Options shards,
    int searchCandidates,
    int searchThreads,
    int searchSpinMicros) {

  public static final ConfigKey<Integer> M =
      ConfigKey.integer(
          "index.m",
          HnswParams.DEFAULT_M,
          "HNSW neighbours per node (Lucene's M): more means better recall, more memory, slower"
              + " builds.");
  public static final ConfigKey<Integer> BEAM_WIDTH =
      ConfigKey.integer(
          "index.beam-width",
          HnswParams.DEFAULT_BEAM_WIDTH,
          "Candidates kept while inserting a vector into the graph (Lucene's beamWidth).");
  public static final ConfigKey<String> QUANTIZATION =
      ConfigKey.string(
          "index.quantization",
          "none",
          "Stored vector precision in the graph: none (float32), int8 or int4 (Lucene's scalar"
              + " quantization; raw vectors are kept for exact scores).");
  public static final ConfigKey<String> TEXT_SIMILARITY =
      ConfigKey.string(
          "index.text.similarity", "cosine", "Similarity of text indexes: cosine, dot_product.");
  public static final ConfigKey<String> ROW_SIMILARITY =
      ConfigKey.string(
          "index.rows.similarity",
          "euclidean",
          "Similarity of row-feature indexes (standardized features): euclidean, cosine.");
  public static final ConfigKey<Long> MAX_SHARD_VECTORS =
      ConfigKey.longKey(
          "index.max-shard-vectors",
          1_000_000L,
          "Vectors per shard at most; a full build also makes at least one shard per core.");
  public static final ConfigKey<Long> COMPACT_BELOW =
      ConfigKey.longKey(
          "index.compact.below",
          10_000L,
          "A shard with fewer live vectors than this is small (incremental updates make small"
              + " shards).");
  public static final ConfigKey<Integer> COMPACT_SMALL_SHARDS =
      ConfigKey.integer(
          "index.compact.small-shards",
          4,
          "Small shards are merged once there are more of them than this (each shard adds a graph"
              + " search per query).");
  public static final ConfigKey<Double> COMPACT_DELETED_RATIO =
      ConfigKey.decimal(
          "index.compact.deleted-ratio",
          0.25,
          "A shard whose share of deleted vectors is above this is rewritten without them.");
  public static final ConfigKey<Integer> SEARCH_CANDIDATES =
      ConfigKey.integer(
          "index.search.candidates",
          100,
          "Search effort: neighbours each shard's graph search keeps (at least k). Higher means"
              + " better recall, lower throughput; see `synthweave eval-index`.");
  public static final ConfigKey<Integer> SEARCH_THREADS =
      ConfigKey.integer(
          "index.search.threads", 0, "Threads searching shards in parallel; 0 means one per core.");
  public static final ConfigKey<Integer> SEARCH_SPIN_MICROS =
      ConfigKey.integer(
          "index.search.spin-micros",
          ShardSearcher.DEFAULT_SPIN_MICROS,
          "Microseconds an idle search thread keeps polling for the next query's shard before it"
              + " sleeps: waking a sleeping thread costs about as much as searching a small shard."
              + " 0 sleeps at once (no CPU spent while idle, slower fan-out).");

  public static final java.util.List<ConfigKey<?>> KEYS =
      java.util.List.of(
          M,
          BEAM_WIDTH,
          QUANTIZATION,
          TEXT_SIMILARITY,
          ROW_SIMILARITY,
          MAX_SHARD_VECTORS,
          COMPACT_BELOW,
          COMPACT_SMALL_SHARDS,
          COMPACT_DELETED_RATIO,
          SEARCH_CANDIDATES,
          SEARCH_THREADS,
          SEARCH_SPIN_MICROS);

  public static IndexConfig from(Settings s) {
    try {
      int threads = s.get(SEARCH_THREADS);
      if (threads < 0) {
        throw VectorStoreErrors.badOption(SEARCH_THREADS.name(), threads, "it must be >= 0");
      }
      if (s.get(SEARCH_SPIN_MICROS) < 0) {
        throw VectorStoreErrors.badOption(
            SEARCH_SPIN_MICROS.name(), s.get(SEARCH_SPIN_MICROS), "it must be >= 0");
      }
      if (s.get(SEARCH_CANDIDATES) < 1) {
        throw VectorStoreErrors.badOption(
            SEARCH_CANDIDATES.name(), s.get(SEARCH_CANDIDATES), "it must be >= 1");
      }
      // Validate the graph parameters now, not in the middle of a build.
      new HnswParams(
          HnswParams.Similarity.COSINE, s.get(M), s.get(BEAM_WIDTH), HnswParams.Quantization.NONE);
      return new IndexConfig(
          s.get(M),
          s.get(BEAM_WIDTH),
          enumOf(HnswParams.Quantization.class, QUANTIZATION, s),
          enumOf(HnswParams.Similarity.class, TEXT_SIMILARITY, s),
          enumOf(HnswParams.Similarity.class, ROW_SIMILARITY, s),
          new SparkVectorIndex.Options(
              s.get(MAX_SHARD_VECTORS),
              1,
              s.get(COMPACT_BELOW),
              s.get(COMPACT_SMALL_SHARDS),
              s.get(COMPACT_DELETED_RATIO)),
          s.get(SEARCH_CANDIDATES),
          threads == 0 ? Runtime.getRuntime().availableProcessors() : threads,
          s.get(SEARCH_SPIN_MICROS));
    } catch (IllegalArgumentException e) {
      throw VectorStoreErrors.badIndexSettings(e.getMessage());
    }
  }

  public HnswParams params(HnswParams.Similarity similarity) {
    return new HnswParams(similarity, m, beamWidth, quantization);
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, ConfigKey<String> key, Settings s) {
    String v = s.get(key);
    try {
      return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw VectorStoreErrors.badOption(
          key.name(),
          v,
          "use one of "
              + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }
  }
}
