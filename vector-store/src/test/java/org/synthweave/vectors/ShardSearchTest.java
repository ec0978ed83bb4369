package org.synthweave.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.vectors.HnswParams.Quantization;
import org.synthweave.vectors.HnswParams.Similarity;
import org.synthweave.vectors.bench.FashionMnist;

/** Sharded HNSW search on real Fashion-MNIST vectors, against exact search. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShardSearchTest {
  private static final int BASE = 12_000;
  private static final int QUERIES = 100;
  private static final int SHARDS = 3;
  private static final FashionMnist FASHION = new FashionMnist(SparkTestBase.repoRoot());

  @TempDir Path dir;
  private float[][] base;
  private int[] labels;
  private float[][] queries;

  @BeforeAll
  void load() throws Exception {
    base = FASHION.images("train-images-idx3-ubyte.gz", BASE);
    labels = FASHION.labels("train-labels-idx1-ubyte.gz", BASE);
    queries = FASHION.images("t10k-images-idx3-ubyte.gz", QUERIES);
  }

  /** Writes the base vectors round-robin into {@code SHARDS} shards under {@code name}. */
  private List<Path> build(String name, HnswParams params) {
    List<Path> shards = new ArrayList<>();
    List<HnswShardWriter> writers = new ArrayList<>();
    for (int s = 0; s < SHARDS; s++) {
      Path shard = dir.resolve(name).resolve("shard-" + s);
      shards.add(shard);
      writers.add(new HnswShardWriter(shard, 784, params));
    }
    for (int i = 0; i < base.length; i++) {
      writers
          .get(i % SHARDS)
          .add("train-" + i, base[i], Map.of("label", Integer.toString(labels[i])));
    }
    writers.forEach(HnswShardWriter::close);
    return shards;
  }

  private double recall(ShardSearcher searcher, int candidates, Map<String, String> filter) {
    double sum = 0;
    for (float[] q : queries) {
      int[] exact =
          ExactSearch.topK(
              base,
              q,
              10,
              Similarity.EUCLIDEAN,
              i -> filter.isEmpty() || filter.get("label").equals(Integer.toString(labels[i])));
      String[] ids = new String[exact.length];
      for (int i = 0; i < exact.length; i++) {
        ids[i] = "train-" + exact[i];
      }
      List<String> found =
          searcher.search(q, 10, candidates, filter).stream().map(ShardSearcher.Hit::id).toList();
      sum += ExactSearch.recall(ids, found);
    }
    return sum / queries.length;
  }

  @Test
  void shardedSearchFindsTheExactNeighbours() {
    try (ShardSearcher searcher =
        ShardSearcher.open(build("plain", HnswParams.defaults(Similarity.EUCLIDEAN)), 2)) {
      assertEquals(784, searcher.dimensions());
      double low = recall(searcher, 10, Map.of());
      double high = recall(searcher, 100, Map.of());
      System.out.printf(
          "fashion-mnist %d base, %d shards: recall@10 %.3f (10 candidates), %.3f (100)%n",
          BASE, SHARDS, low, high);
      assertTrue(high >= 0.95, "recall@10 with 100 candidates: " + high);
      assertTrue(high >= low, "more search effort must not lose recall: " + low + " -> " + high);

      // Filters apply inside the graph search: every hit matches, and recall holds among matches.
      Map<String, String> sandals = Map.of("label", "5");
      for (ShardSearcher.Hit h : searcher.search(queries[0], 10, 100, sandals)) {
        assertEquals("5", h.fields().get("label"));
      }
      double filtered = recall(searcher, 100, sandals);
      assertTrue(filtered >= 0.9, "filtered recall@10: " + filtered);

      SynthweaveException e =
          assertThrows(
              SynthweaveException.class, () -> searcher.search(new float[383], 10, 10, Map.of()));
      assertTrue(e.getMessage().contains("383 dimensions"), e.getMessage());
    }
  }

  @Test
  void streamedExactSearchOverShardsEqualsBruteForceOverTheArray() {
    try (ShardSearcher searcher =
        ShardSearcher.open(build("exact", HnswParams.defaults(Similarity.EUCLIDEAN)), 2)) {
      float[][] some = java.util.Arrays.copyOf(queries, 20);
      Map<String, String> shirts = Map.of("label", "6");
      List<List<ShardSearcher.Hit>> all = searcher.exact(some, 10, Map.of());
      List<List<ShardSearcher.Hit>> filtered = searcher.exact(some, 10, shirts);
      for (int q = 0; q < some.length; q++) {
        int[] expect = ExactSearch.topK(base, some[q], 10, Similarity.EUCLIDEAN, i -> true);
        int[] expectShirts =
            ExactSearch.topK(base, some[q], 10, Similarity.EUCLIDEAN, i -> labels[i] == 6);
        assertEquals(ids(expect), all.get(q).stream().map(ShardSearcher.Hit::id).toList());
        assertEquals(
            ids(expectShirts), filtered.get(q).stream().map(ShardSearcher.Hit::id).toList());
      }
      // The stored vector of an id comes back as written.
      assertTrue(java.util.Arrays.equals(base[4321], searcher.vector("train-4321")));
      assertEquals(null, searcher.vector("train-none"));
    }
  }

  private static List<String> ids(int[] rows) {
    return java.util.Arrays.stream(rows).mapToObj(i -> "train-" + i).toList();
  }

  @Test
  void int8QuantizedShardsKeepMostOfTheRecall() {
    HnswParams int8 =
        new HnswParams(
            Similarity.EUCLIDEAN,
            HnswParams.DEFAULT_M,
            HnswParams.DEFAULT_BEAM_WIDTH,
            Quantization.INT8);
    try (ShardSearcher searcher = ShardSearcher.open(build("int8", int8), 2)) {
      double r = recall(searcher, 100, Map.of());
      System.out.printf("int8: recall@10 %.3f (100 candidates)%n", r);
      assertTrue(r >= 0.85, "int8 recall@10: " + r);
    }
  }

  @Test
  void aDamagedShardIsNamed() throws IOException {
    List<Path> shards = build("damaged", HnswParams.defaults(Similarity.EUCLIDEAN));
    Path victim = shards.get(1);
    try (Stream<Path> files = Files.list(victim)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().startsWith("segments_")).toList()) {
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length / 2));
      }
    }
    SynthweaveException e =
        assertThrows(SynthweaveException.class, () -> ShardSearcher.open(shards, 2));
    assertTrue(e.getMessage().contains(victim.toString()), e.getMessage());
  }
}
