package org.synthweave.vectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

/**
 * k-NN over many shards at once: each shard is opened memory-mapped, searched on its own thread,
 * and the per-shard top lists are merged into one. Metadata filters go into Lucene's k-NN query, so
 * the graph search itself skips non-matching vectors (no short list is post-filtered). Thread-safe.
 */
public final class ShardSearcher implements AutoCloseable {
  /** One result: the vector's id, its similarity score (higher is closer) and stored metadata. */
  public record Hit(String id, float score, int shard, Map<String, String> fields) {}

  private final List<Path> shards;
  private final List<DirectoryReader> readers = new ArrayList<>();
  private final List<IndexSearcher> searchers = new ArrayList<>();
  private final ExecutorService pool;
  private final int dimensions;

  private ShardSearcher(List<Path> shards, int threads) {
    this.shards = List.copyOf(shards);
    int dims = -1;
    try {
      for (Path shard : shards) {
        DirectoryReader reader;
        try {
          reader = DirectoryReader.open(FSDirectory.open(shard));
        } catch (IOException | RuntimeException e) {
          throw VectorStoreErrors.unreadableShard(shard, e);
        }
        readers.add(reader);
        searchers.add(new IndexSearcher(reader));
        FieldInfo f = FieldInfos.getMergedFieldInfos(reader).fieldInfo(HnswShardWriter.VECTOR);
        if (f != null) {
          dims = f.getVectorDimension();
        }
      }
    } catch (RuntimeException e) {
      closeReaders();
      throw e;
    }
    this.dimensions = dims;
    this.pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, shards.size())));
  }

  /** Opens {@code shards}; searches use up to {@code threads} threads. */
  public static ShardSearcher open(List<Path> shards, int threads) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("shards must not be empty");
    }
    return new ShardSearcher(shards, threads);
  }

  /** Vector dimensions of the index, or -1 when no shard holds a vector yet. */
  public int dimensions() {
    return dimensions;
  }

  /**
   * The {@code k} nearest vectors to {@code query} over all shards, among those whose metadata
   * equal every entry of {@code filter} (empty: no filter). {@code candidates} (≥ k) is the search
   * effort: how many neighbours each shard's graph search keeps (Lucene's k for the graph).
   */
  public List<Hit> search(float[] query, int k, int candidates, Map<String, String> filter) {
    if (k < 1 || candidates < k) {
      throw new IllegalArgumentException(
          "need 1 <= k <= candidates, got k=" + k + ", " + candidates);
    }
    if (dimensions > 0 && query.length != dimensions) {
      throw VectorStoreErrors.dimensionMismatch(dimensions, query.length);
    }
    Query restrict = filterQuery(filter);
    List<Future<List<Hit>>> parts = new ArrayList<>();
    for (int s = 0; s < searchers.size(); s++) {
      int shard = s;
      parts.add(pool.submit(() -> searchShard(shard, query, k, candidates, restrict)));
    }
    List<Hit> all = new ArrayList<>();
    try {
      for (Future<List<Hit>> f : parts) {
        all.addAll(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while searching", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("shard search failed", e.getCause());
    }
    all.sort(Comparator.comparingDouble(Hit::score).reversed().thenComparing(Hit::id));
    return all.size() > k ? List.copyOf(all.subList(0, k)) : all;
  }

  private List<Hit> searchShard(int shard, float[] query, int k, int candidates, Query filter) {
    IndexSearcher searcher = searchers.get(shard);
    try {
      TopDocs top =
          searcher.search(
              new KnnFloatVectorQuery(HnswShardWriter.VECTOR, query, candidates, filter), k);
      List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
      for (ScoreDoc sd : top.scoreDocs) {
        Document doc = searcher.storedFields().document(sd.doc);
        Map<String, String> fields = new LinkedHashMap<>();
        for (IndexableField f : doc.getFields()) {
          fields.put(f.name(), f.stringValue());
        }
        hits.add(new Hit(fields.remove(HnswShardWriter.ID), sd.score, shard, fields));
      }
      return hits;
    } catch (IOException e) {
      throw new UncheckedIOException("searching the shard " + shards.get(shard) + " failed", e);
    }
  }

  private static Query filterQuery(Map<String, String> filter) {
    if (filter == null || filter.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (Map.Entry<String, String> e : filter.entrySet()) {
      b.add(new TermQuery(new Term(e.getKey(), e.getValue())), BooleanClause.Occur.FILTER);
    }
    return b.build();
  }

  private void closeReaders() {
    for (DirectoryReader r : readers) {
      try {
        r.close();
      } catch (IOException e) {
        // closing after a failure: the first error is the one to report
      }
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    closeReaders();
  }
}
