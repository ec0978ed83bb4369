package org.synthweave.vectors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An index opened for search: its descriptor and a {@link ShardSearcher} over the shards the
 * descriptor lists (memory-mapped, searched in parallel). What the CLI, the market server and
 * notebooks use; it needs a local (or locally mounted) index directory, no Spark. Thread-safe.
 */
public final class VectorIndex implements AutoCloseable {
  private final Path dir;
  private final IndexDescriptor descriptor;
  private final ShardSearcher searcher;

  private VectorIndex(Path dir, IndexDescriptor descriptor, ShardSearcher searcher) {
    this.dir = dir;
    this.descriptor = descriptor;
    this.searcher = searcher;
  }

  /** Opens the index in {@code dir}; searches use up to {@code threads} threads. */
  public static VectorIndex open(Path dir, int threads) {
    return open(dir, threads, ShardSearcher.DEFAULT_SPIN_MICROS);
  }

  /**
   * Opens the index in {@code dir}; searches use up to {@code threads} threads, and an idle search
   * thread spins {@code spinMicros} before it sleeps (see {@link IndexConfig#SEARCH_SPIN_MICROS}).
   */
  public static VectorIndex open(Path dir, int threads, int spinMicros) {
    IndexDescriptor d = IndexDescriptor.read(dir);
    List<Path> shards = new ArrayList<>();
    for (IndexDescriptor.Shard s : d.shards()) {
      Path p = dir.resolve(s.name());
      if (!Files.isDirectory(p)) {
        throw VectorStoreErrors.missingShard(dir, s.name());
      }
      shards.add(p);
    }
    return new VectorIndex(
        dir, d, shards.isEmpty() ? null : ShardSearcher.open(shards, threads, spinMicros));
  }

  public Path dir() {
    return dir;
  }

  public IndexDescriptor descriptor() {
    return descriptor;
  }

  /**
   * The {@code k} nearest live vectors to {@code query} whose metadata equal every entry of {@code
   * filter}; {@code candidates} (≥ k) is the search effort per shard.
   */
  public List<ShardSearcher.Hit> search(
      float[] query, int k, int candidates, Map<String, String> filter) {
    checkQuery(query, filter);
    return searcher == null ? List.of() : searcher.search(query, k, candidates, filter);
  }

  /** Exact (brute-force) results for {@code queries}, for recall. */
  public List<List<ShardSearcher.Hit>> exact(float[][] queries, int k, Map<String, String> filter) {
    for (float[] q : queries) {
      checkQuery(q, filter);
    }
    if (searcher == null) {
      List<List<ShardSearcher.Hit>> none = new ArrayList<>();
      for (int i = 0; i < queries.length; i++) {
        none.add(List.of());
      }
      return none;
    }
    return searcher.exact(queries, k, filter);
  }

  /** The indexed vector of {@code id}, or null if the index does not hold it. */
  public float[] vector(String id) {
    return searcher == null ? null : searcher.vector(id);
  }

  /** Up to {@code n} live vectors with their ids, drawn with {@code seed} (e.g. queries). */
  public List<ShardSearcher.Sample> sample(int n, long seed) {
    return searcher == null ? List.of() : searcher.sample(n, seed);
  }

  private void checkQuery(float[] query, Map<String, String> filter) {
    if (query.length != descriptor.dimensions()) {
      throw VectorStoreErrors.dimensionMismatch(descriptor.dimensions(), query.length);
    }
    for (String field : filter.keySet()) {
      if (!descriptor.filterable().contains(field)) {
        throw VectorStoreErrors.notFilterable(descriptor.name(), field, descriptor.filterable());
      }
    }
  }

  @Override
  public void close() {
    if (searcher != null) {
      searcher.close();
    }
  }
}
