package org.synthweave.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.vectors.HnswParams.Similarity;
import org.synthweave.vectors.bench.FashionMnist;

/**
 * The Spark-built index on real Fashion-MNIST vectors: a full build, a rerun that changes nothing,
 * additions, updated and deleted vectors (no stale hit survives), compaction, unusable vectors, and
 * damaged or missing shards.
 */
class SparkVectorIndexTest extends SparkTestBase {
  private static final int N = 3000;
  private static final StructType SCHEMA =
      new StructType()
          .add("key", DataTypes.StringType)
          .add("vector", DataTypes.createArrayType(DataTypes.FloatType))
          .add("label", DataTypes.StringType)
          .add("note", DataTypes.StringType);
  private static final SparkVectorIndex.Options OPTIONS =
      new SparkVectorIndex.Options(100_000, 2, 1_000, 2, 0.25);

  private float[][] base;
  private int[] labels;
  private float[][] queries;

  @BeforeAll
  void load() throws Exception {
    FashionMnist fashion = new FashionMnist(repoRoot());
    base = fashion.images(FashionMnist.TRAIN_IMAGES, N + 1000);
    labels = fashion.labels(FashionMnist.TRAIN_LABELS, N + 1000);
    queries = fashion.images(FashionMnist.TEST_IMAGES, 40);
  }

  private static IndexDescriptor template(String modelVersion, long sourceVersion) {
    return new IndexDescriptor(
        "fashion",
        784,
        HnswParams.defaults(Similarity.EUCLIDEAN),
        "image",
        "pixels",
        modelVersion,
        "fashion-mnist/train",
        sourceVersion,
        List.of("label"),
        List.of("note"),
        0,
        List.of(),
        null);
  }

  /** Rows key → vector, as the frame an update takes. */
  private Dataset<Row> frame(Map<String, float[]> vectors) {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, float[]> e : vectors.entrySet()) {
      List<Float> v = new ArrayList<>();
      for (float f : e.getValue()) {
        v.add(f);
      }
      int i = Integer.parseInt(e.getKey().substring("train-".length()));
      rows.add(
          RowFactory.create(
              e.getKey(), v, Integer.toString(labels[i % labels.length]), "image " + i));
    }
    return spark.createDataFrame(rows, SCHEMA).repartition(3);
  }

  private Map<String, float[]> first(int n) {
    Map<String, float[]> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      m.put("train-" + i, base[i]);
    }
    return m;
  }

  private SparkVectorIndex.Update update(
      Map<String, float[]> wanted, Path index, String version, boolean compact) {
    List<Dataset<Row>> rejected = new ArrayList<>();
    SparkVectorIndex.Update u =
        new SparkVectorIndex(spark)
            .update(
                frame(wanted),
                index.toUri().toString(),
                template(version, 7),
                OPTIONS,
                false,
                compact,
                rejected::add);
    assertEquals(u.quarantined() > 0, !rejected.isEmpty());
    return u;
  }

  /** Mean recall@10 of the graph search against the index's own exact search. */
  private static double recall(VectorIndex index, float[][] qs, int candidates) {
    List<List<ShardSearcher.Hit>> exact = index.exact(qs, 10, Map.of());
    double sum = 0;
    for (int q = 0; q < qs.length; q++) {
      String[] truth = exact.get(q).stream().map(ShardSearcher.Hit::id).toArray(String[]::new);
      List<String> got =
          index.search(qs[q], 10, candidates, Map.of()).stream()
              .map(ShardSearcher.Hit::id)
              .toList();
      sum += ExactSearch.recall(truth, got);
    }
    return sum / qs.length;
  }

  @Test
  void incrementalAddsUpdatesDeletesAndCompaction() throws java.io.IOException {
    Path index = warehouse.resolve("index/fashion");

    // 1. Full build: one shard per core, the descriptor records the source version.
    SparkVectorIndex.Update u = update(first(N), index, "v1", false);
    assertEquals(N, u.added());
    assertEquals(2, u.descriptor().shards().size());
    assertEquals(7, u.descriptor().sourceVersion());
    try (VectorIndex vi = VectorIndex.open(index, 2)) {
      assertEquals(N, vi.descriptor().vectors());
      double r = recall(vi, queries, 100);
      assertTrue(r >= 0.95, "recall@10 after the full build: " + r);
      ShardSearcher.Hit top = vi.search(base[42], 1, 10, Map.of()).get(0);
      assertEquals("train-42", top.id());
      assertEquals(Integer.toString(labels[42]), top.fields().get("label"));
      assertEquals("image 42", top.fields().get("note"));
    }

    // 2. The same vectors again: nothing is written.
    u = update(first(N), index, "v1", false);
    assertEquals(0, u.added());
    assertEquals(N, u.unchanged());
    assertEquals(0, u.removed());
    assertEquals(2, u.descriptor().shards().size());

    // 3. 500 new keys, 100 changed vectors, 50 keys gone.
    Map<String, float[]> next = first(N + 500);
    Set<String> changed = new HashSet<>();
    for (int i = 100; i < 200; i++) {
      next.put("train-" + i, base[N + 500 + i]);
      changed.add("train-" + i);
    }
    Set<String> gone = new HashSet<>();
    for (int i = 200; i < 250; i++) {
      next.remove("train-" + i);
      gone.add("train-" + i);
    }
    u = update(next, index, "v1", false);
    assertEquals(600, u.added(), "500 new + 100 changed");
    assertEquals(150, u.removed(), "100 old versions + 50 deleted");
    assertEquals(N - 150, u.unchanged());
    assertEquals(N + 500 - 50, u.descriptor().vectors());
    assertEquals(150, u.descriptor().deleted(), "deleted documents stay until compaction");
    assertEquals(0, u.shardsCompacted(), "one small shard is below the threshold of 2");
    try (VectorIndex vi = VectorIndex.open(index, 2)) {
      for (int i = 100; i < 250; i++) {
        String key = "train-" + i;
        // Searching with the old vector finds no deleted key, and a changed key only with its
        // new vector's score.
        for (ShardSearcher.Hit h : vi.search(base[i], 10, 100, Map.of())) {
          assertTrue(!gone.contains(h.id()), "deleted " + h.id() + " was found");
          if (changed.contains(h.id())) {
            float fresh = Similarity.EUCLIDEAN.lucene().compare(base[i], next.get(h.id()));
            assertEquals(fresh, h.score(), 1e-6, "stale score for " + h.id());
          }
        }
        if (gone.contains(key)) {
          assertNull(vi.vector(key));
        } else {
          assertArrayEquals(next.get(key), vi.vector(key));
        }
      }
      assertEquals("train-3123", vi.search(base[3123], 1, 10, Map.of()).get(0).id());
    }

    // 4. Compaction merges the small shard and the shards with deletions into one.
    u = update(next, index, "v1", true);
    assertEquals(0, u.added());
    assertEquals(3, u.shardsCompacted());
    assertEquals(1, u.descriptor().shards().size());
    assertEquals(0, u.descriptor().deleted());
    assertEquals(N + 450, u.descriptor().vectors());
    try (VectorIndex vi = VectorIndex.open(index, 2)) {
      double r = recall(vi, queries, 100);
      assertTrue(r >= 0.95, "recall@10 after compaction: " + r);
      assertNull(vi.vector("train-230"));
    }
    try (Stream<Path> files = Files.list(index)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(
          Stream.of("ids", "index.json", u.descriptor().shards().get(0).name()).sorted().toList(),
          names,
          "replaced shards are removed");
    }

    // 5. A new model version cannot share the index: it is rebuilt.
    u = update(first(500), index, "v2", false);
    assertTrue(u.rebuiltBecause().contains("model"), u.rebuiltBecause());
    assertEquals(500, u.descriptor().vectors());
  }

  @Test
  void unusableVectorsAreRejectedWithAReason() {
    Map<String, float[]> rows = first(300);
    float[] nan = base[0].clone();
    nan[17] = Float.NaN;
    rows.put("train-1000", nan);
    rows.put("train-1001", new float[12]);
    List<Dataset<Row>> rejected = new ArrayList<>();
    SparkVectorIndex.Update u =
        new SparkVectorIndex(spark)
            .update(
                frame(rows),
                warehouse.resolve("index/bad").toUri().toString(),
                template("v1", 1),
                OPTIONS,
                false,
                false,
                rejected::add);
    assertEquals(302, u.in());
    assertEquals(300, u.added());
    assertEquals(2, u.quarantined());
    Map<String, String> reasons = new LinkedHashMap<>();
    for (Row r : rejected.get(0).collectAsList()) {
      reasons.put(r.getString(0), r.getString(1));
    }
    assertEquals(
        Map.of("train-1000", "non_finite_vector", "train-1001", "wrong_dimensions"), reasons);
  }

  @Test
  void damagedOrMissingShardsAreNamed() throws Exception {
    Path index = warehouse.resolve("index/damaged");
    SparkVectorIndex.Update u = update(first(400), index, "v1", false);
    String victim = u.descriptor().shards().get(1).name();
    try (Stream<Path> files = Files.list(index.resolve(victim))) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().startsWith("segments_")).toList()) {
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length / 2));
      }
    }
    SynthweaveException e =
        assertThrows(SynthweaveException.class, () -> VectorIndex.open(index, 2));
    assertTrue(e.getMessage().contains(victim), e.getMessage());

    String other = u.descriptor().shards().get(0).name();
    try (Stream<Path> walk = Files.walk(index.resolve(other))) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    e = assertThrows(SynthweaveException.class, () -> VectorIndex.open(index, 2));
    assertTrue(
        e.getMessage().contains(other) && e.getMessage().contains("missing"), e.getMessage());

    try (VectorIndex vi = VectorIndex.open(warehouse.resolve("index/fashion-none"), 2)) {
      throw new AssertionError("opened a missing index");
    } catch (SynthweaveException expected) {
      assertTrue(expected.getMessage().contains("synthweave index"), expected.getMessage());
    }
  }

  @Test
  void queriesAreChecked() {
    Path index = warehouse.resolve("index/checked");
    update(first(200), index, "v1", false);
    try (VectorIndex vi = VectorIndex.open(index, 2)) {
      SynthweaveException e =
          assertThrows(
              SynthweaveException.class, () -> vi.search(new float[384], 10, 10, Map.of()));
      assertTrue(e.getMessage().contains("384 dimensions"), e.getMessage());
      e =
          assertThrows(
              SynthweaveException.class, () -> vi.search(base[0], 10, 10, Map.of("colour", "red")));
      assertTrue(e.getMessage().contains("[label]"), e.getMessage());
      for (ShardSearcher.Hit h : vi.search(base[0], 5, 50, Map.of("label", "3"))) {
        assertEquals("3", h.fields().get("label"));
      }
    }
  }
}
