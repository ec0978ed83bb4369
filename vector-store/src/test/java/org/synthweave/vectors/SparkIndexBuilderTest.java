package org.synthweave.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.vectors.HnswParams.Similarity;

/** One shard per Spark partition, a descriptor beside them, and search over what was built. */
class SparkIndexBuilderTest extends SparkTestBase {
  @Test
  void eachPartitionWritesAShardAndTheDescriptorListsThem() throws Exception {
    int n = 3000;
    float[][] base = FashionMnist.images("train-images-idx3-ubyte.gz", n);
    int[] labels = FashionMnist.labels("train-labels-idx1-ubyte.gz", n);
    StructType schema =
        new StructType()
            .add("id", DataTypes.StringType)
            .add("vector", DataTypes.createArrayType(DataTypes.FloatType))
            .add("label", DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Float> v = new ArrayList<>(784);
      for (float f : base[i]) {
        v.add(f);
      }
      rows.add(RowFactory.create("train-" + i, v, labels[i]));
    }
    Path index = warehouse.resolve("index/fashion");
    List<String> shards =
        new SparkIndexBuilder(spark)
            .build(
                spark.createDataFrame(rows, schema),
                index.toUri().toString(),
                784,
                HnswParams.defaults(Similarity.EUCLIDEAN),
                3,
                List.of("label"),
                Map.of("source", "fashion-mnist train[0:3000]"));
    assertEquals(3, shards.size());

    JsonNode d = new ObjectMapper().readTree(Files.readAllBytes(index.resolve("index.json")));
    assertEquals(784, d.get("dimensions").asInt());
    assertEquals("euclidean", d.get("similarity").asText());
    assertEquals(n, d.get("vectors").asLong());
    assertEquals(3, d.get("shards").size());

    List<Path> paths = shards.stream().map(index::resolve).toList();
    float[][] queries = FashionMnist.images("t10k-images-idx3-ubyte.gz", 50);
    double recall = 0;
    try (ShardSearcher searcher = ShardSearcher.open(paths, 2)) {
      for (float[] q : queries) {
        int[] exact = ExactSearch.topK(base, q, 10, Similarity.EUCLIDEAN, i -> true);
        String[] ids = new String[exact.length];
        for (int i = 0; i < exact.length; i++) {
          ids[i] = "train-" + exact[i];
        }
        List<ShardSearcher.Hit> hits = searcher.search(q, 10, 100, Map.of());
        recall += ExactSearch.recall(ids, hits.stream().map(ShardSearcher.Hit::id).toList());
        // Metadata travelled with the vectors.
        int first = Integer.parseInt(hits.get(0).id().substring("train-".length()));
        assertEquals(Integer.toString(labels[first]), hits.get(0).fields().get("label"));
      }
    }
    recall /= queries.length;
    assertTrue(recall >= 0.95, "recall@10 " + recall);
  }
}
