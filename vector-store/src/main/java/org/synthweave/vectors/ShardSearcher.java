package org.synthweave.vectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.StoredFields;
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
 * k-NN over many shards at once. Each shard is opened memory-mapped; one Lucene searcher spans them
 * all (a {@code MultiReader}), so Lucene searches each shard's graph, shares the best score found
 * so far between them to stop early (its multi-leaf k-NN collector), and merges the top k. With
 * more than one thread, shards are searched in parallel: the calling thread searches one shard and
 * {@link SpinningExecutor} workers the others. Metadata filters go into Lucene's k-NN query, so the
 * graph search itself skips non-matching vectors (no short list is post-filtered). Thread-safe.
 */
public final class ShardSearcher implements AutoCloseable {
  /** One result: the vector's id, its similarity score (higher is closer) and stored metadata. */
  public record Hit(String id, float score, int shard, Map<String, String> fields) {}

  /**
   * How long, in microseconds, a search thread waits for the next query's shard before it sleeps:
   * long enough to cover the gap between one client's consecutive queries.
   */
  public static final int DEFAULT_SPIN_MICROS = 250;

  private static final Comparator<Hit> BEST_FIRST =
      Comparator.comparingDouble(Hit::score).reversed().thenComparing(Hit::id);

  private final List<Path> shards;
  private final List<DirectoryReader> readers = new ArrayList<>();
  private final List<IndexSearcher> searchers = new ArrayList<>();
  private final SpinningExecutor workers; // null: one thread searches every shard
  private final IndexSearcher all;
  private final int[] leafShard;
  private final int dimensions;

  private ShardSearcher(List<Path> shards, int threads, int spinMicros) {
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
    // The caller searches one shard itself, so threads - 1 workers give `threads` in parallel.
    int extra = Math.min(threads, shards.size()) - 1;
    this.workers =
        extra > 0 ? new SpinningExecutor(extra, spinMicros * 1000L, "shard-search") : null;
    try {
      MultiReader multi = new MultiReader(readers.toArray(DirectoryReader[]::new), false);
      this.all = workers != null ? new IndexSearcher(multi, workers) : new IndexSearcher(multi);
    } catch (IOException e) {
      if (workers != null) {
        workers.close();
      }
      closeReaders();
      throw new UncheckedIOException("cannot open the shards together", e);
    }
    List<Integer> owner = new ArrayList<>();
    for (int s = 0; s < readers.size(); s++) {
      for (int leaf = 0; leaf < readers.get(s).leaves().size(); leaf++) {
        owner.add(s);
      }
    }
    this.leafShard = owner.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Opens {@code shards}; searches use up to {@code threads} threads. */
  public static ShardSearcher open(List<Path> shards, int threads) {
    return open(shards, threads, DEFAULT_SPIN_MICROS);
  }

  /**
   * Opens {@code shards}; searches use up to {@code threads} threads (the caller's among them), and
   * an idle search thread spins {@code spinMicros} before it sleeps (0: sleeps at once).
   */
  public static ShardSearcher open(List<Path> shards, int threads, int spinMicros) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("shards must not be empty");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (spinMicros < 0) {
      throw new IllegalArgumentException("spinMicros must be >= 0, got " + spinMicros);
    }
    return new ShardSearcher(shards, threads, spinMicros);
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
    try {
      TopDocs top =
          all.search(
              new KnnFloatVectorQuery(
                  HnswShardWriter.VECTOR, query, candidates, filterQuery(filter)),
              k);
      List<org.apache.lucene.index.LeafReaderContext> leaves = all.getIndexReader().leaves();
      List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
      // One stored-fields reader for all hits: each storedFields() call clones every shard's.
      StoredFields stored = all.storedFields();
      for (ScoreDoc sd : top.scoreDocs) {
        int shard = leafShard[org.apache.lucene.index.ReaderUtil.subIndex(sd.doc, leaves)];
        hits.add(hit(stored, shard, sd.doc, sd.score));
      }
      hits.sort(BEST_FIRST);
      return hits;
    } catch (IOException e) {
      throw new UncheckedIOException("searching the shards " + shards + " failed", e);
    }
  }

  /**
   * Exact k-NN for many queries at once by one pass over every live vector of every shard (shards
   * in parallel): the ground truth for recall, with the same score function and filter as {@link
   * #search}. Memory is {@code queries x k}, not the index size.
   */
  public List<List<Hit>> exact(float[][] queries, int k, Map<String, String> filter) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    for (float[] q : queries) {
      if (dimensions > 0 && q.length != dimensions) {
        throw VectorStoreErrors.dimensionMismatch(dimensions, q.length);
      }
    }
    Query restrict = filterQuery(filter);
    List<Callable<List<List<Hit>>>> parts = new ArrayList<>();
    for (int s = 0; s < searchers.size(); s++) {
      int shard = s;
      parts.add(() -> exactShard(shard, queries, k, restrict));
    }
    List<List<Hit>> merged = new ArrayList<>();
    for (int q = 0; q < queries.length; q++) {
      merged.add(new ArrayList<>());
    }
    try {
      // Lucene's task executor: the workers and the calling thread share the shards.
      for (List<List<Hit>> part : all.getTaskExecutor().invokeAll(parts)) {
        for (int q = 0; q < queries.length; q++) {
          merged.get(q).addAll(part.get(q));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("exact search over the shards " + shards + " failed", e);
    }
    List<List<Hit>> out = new ArrayList<>();
    for (List<Hit> hits : merged) {
      hits.sort(BEST_FIRST);
      out.add(hits.size() > k ? List.copyOf(hits.subList(0, k)) : hits);
    }
    return out;
  }

  private record ScoredDoc(float score, int doc) {}

  private List<List<Hit>> exactShard(int shard, float[][] queries, int k, Query filter)
      throws IOException {
    IndexSearcher searcher = searchers.get(shard);
    org.apache.lucene.index.VectorSimilarityFunction sim = null;
    // Per query, the k best (score, doc) so far: a min-heap on score.
    List<java.util.PriorityQueue<ScoredDoc>> best = new ArrayList<>();
    for (int q = 0; q < queries.length; q++) {
      best.add(new java.util.PriorityQueue<>(k + 1, Comparator.comparingDouble(ScoredDoc::score)));
    }
    org.apache.lucene.search.Weight weight =
        filter == null
            ? null
            : searcher.createWeight(
                searcher.rewrite(filter), org.apache.lucene.search.ScoreMode.COMPLETE_NO_SCORES, 1);
    for (org.apache.lucene.index.LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      org.apache.lucene.index.FloatVectorValues values =
          leaf.reader().getFloatVectorValues(HnswShardWriter.VECTOR);
      if (values == null) {
        continue;
      }
      if (sim == null) {
        sim =
            leaf.reader()
                .getFieldInfos()
                .fieldInfo(HnswShardWriter.VECTOR)
                .getVectorSimilarityFunction();
      }
      org.apache.lucene.util.Bits live = leaf.reader().getLiveDocs();
      org.apache.lucene.util.FixedBitSet allowed = null;
      if (weight != null) {
        allowed = new org.apache.lucene.util.FixedBitSet(leaf.reader().maxDoc());
        org.apache.lucene.search.Scorer scorer = weight.scorer(leaf);
        if (scorer != null) {
          allowed.or(scorer.iterator());
        }
      }
      for (int doc = values.nextDoc();
          doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
          doc = values.nextDoc()) {
        if ((live != null && !live.get(doc)) || (allowed != null && !allowed.get(doc))) {
          continue;
        }
        float[] v = values.vectorValue();
        int global = leaf.docBase + doc;
        for (int q = 0; q < queries.length; q++) {
          float score = sim.compare(queries[q], v);
          java.util.PriorityQueue<ScoredDoc> heap = best.get(q);
          if (heap.size() < k) {
            heap.add(new ScoredDoc(score, global));
          } else if (score > heap.peek().score()) {
            heap.poll();
            heap.add(new ScoredDoc(score, global));
          }
        }
      }
    }
    List<List<Hit>> out = new ArrayList<>();
    StoredFields stored = searcher.storedFields();
    for (java.util.PriorityQueue<ScoredDoc> heap : best) {
      List<Hit> hits = new ArrayList<>();
      for (ScoredDoc e : heap) {
        hits.add(hit(stored, shard, e.doc(), e.score()));
      }
      out.add(hits);
    }
    return out;
  }

  /**
   * The stored vector of {@code id}, or null if no live document has that id (the first shard
   * holding it wins; an index holds each id once).
   */
  public float[] vector(String id) {
    for (IndexSearcher searcher : searchers) {
      try {
        TopDocs top = searcher.search(new TermQuery(new Term(HnswShardWriter.ID, id)), 1);
        if (top.scoreDocs.length == 0) {
          continue;
        }
        int doc = top.scoreDocs[0].doc;
        List<org.apache.lucene.index.LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        org.apache.lucene.index.LeafReaderContext leaf =
            leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(doc, leaves));
        org.apache.lucene.index.FloatVectorValues values =
            leaf.reader().getFloatVectorValues(HnswShardWriter.VECTOR);
        if (values != null && values.advance(doc - leaf.docBase) == doc - leaf.docBase) {
          return values.vectorValue().clone();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("reading the vector of " + id + " failed", e);
      }
    }
    return null;
  }

  /** A stored vector with its id, e.g. a query drawn from the index for an evaluation. */
  public record Sample(String id, float[] vector) {}

  /**
   * Up to {@code n} distinct live documents drawn uniformly over all shards with {@code seed}: the
   * same index and seed give the same sample.
   */
  public List<Sample> sample(int n, long seed) {
    List<int[]> live = new ArrayList<>(); // (shard, doc) of every live document with a vector
    try {
      for (int s = 0; s < searchers.size(); s++) {
        for (org.apache.lucene.index.LeafReaderContext leaf :
            searchers.get(s).getIndexReader().leaves()) {
          org.apache.lucene.index.FloatVectorValues values =
              leaf.reader().getFloatVectorValues(HnswShardWriter.VECTOR);
          if (values == null) {
            continue;
          }
          org.apache.lucene.util.Bits liveDocs = leaf.reader().getLiveDocs();
          for (int doc = values.nextDoc();
              doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
              doc = values.nextDoc()) {
            if (liveDocs == null || liveDocs.get(doc)) {
              live.add(new int[] {s, leaf.docBase + doc});
            }
          }
        }
      }
      java.util.Collections.shuffle(live, new java.util.Random(seed));
      List<Sample> out = new ArrayList<>();
      for (int[] pick : live.subList(0, Math.min(n, live.size()))) {
        IndexSearcher searcher = searchers.get(pick[0]);
        String id = searcher.storedFields().document(pick[1]).get(HnswShardWriter.ID);
        out.add(new Sample(id, vector(id)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("sampling vectors from the shards failed", e);
    }
  }

  private static Hit hit(StoredFields stored, int shard, int doc, float score) throws IOException {
    Document d = stored.document(doc);
    Map<String, String> fields = new LinkedHashMap<>();
    for (IndexableField f : d.getFields()) {
      fields.put(f.name(), f.stringValue());
    }
    return new Hit(fields.remove(HnswShardWriter.ID), score, shard, fields);
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
    if (workers != null) {
      workers.close();
    }
    closeReaders();
  }
}
