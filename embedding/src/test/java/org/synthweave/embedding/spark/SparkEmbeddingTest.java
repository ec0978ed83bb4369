package org.synthweave.embedding.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.synthweave.core.ContentIds;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.Settings;
import org.synthweave.core.run.CommitLineage;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.embedding.EmbeddingConfig;
import org.synthweave.embedding.RealTexts;
import org.synthweave.embedding.text.EncoderOptions;
import org.synthweave.embedding.text.Passage;
import org.synthweave.embedding.text.TextEncoder;
import org.synthweave.embedding.text.TextEncoders;
import org.synthweave.embedding.text.TextModel;

/** The embed jobs on a local SparkSession: real documents and the real wine table. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkEmbeddingTest extends SparkTestBase {
  private static final StructType DOCS =
      new StructType()
          .add("id", DataTypes.StringType, false)
          .add("text", DataTypes.StringType, true);

  private RunSummary summary(String name) {
    return new RunSummary(name, "test", Instant.now());
  }

  private void appendDocuments(List<String> texts) {
    List<Row> rows = new ArrayList<>();
    for (String t : texts) {
      rows.add(RowFactory.create(ContentIds.sha256Hex(t), t));
    }
    spark
        .createDataFrame(rows, DOCS)
        .write()
        .format("delta")
        .mode("append")
        .save(catalog.path(TableCatalog.SILVER_DOCUMENTS));
  }

  private CommitLineage lastLineage(String table) {
    return CommitLineage.parse(
            DeltaTable.forPath(spark, catalog.path(table)).history(1).first().getAs("userMetadata"))
        .orElseThrow();
  }

  private long version(String table) {
    return DeltaTable.forPath(spark, catalog.path(table)).history(1).first().getLong(0);
  }

  @Test
  void documentsBecomePassageVectorsIncrementallyAndBadTextsAreQuarantined() {
    List<String> docs = RealTexts.documents();
    // The four shortest speeches and the German, Spanish and French mails.
    List<String> first = new ArrayList<>(docs.subList(0, 4));
    first.addAll(docs.subList(40, 44));
    first.add("");
    first.add(" \n\u00A0 ");
    first.add("PK\u0003\u0004\u0000\u0000binary");
    appendDocuments(first);
    EmbeddingConfig cfg = EmbeddingConfig.from(Settings.defaults());
    SparkTextEmbedding job = new SparkTextEmbedding(spark, catalog, cfg, 1 << 20);

    RunSummary s1 = summary("first");
    String version = job.embed(s1);
    SourceCounts c1 = s1.total("embed:text");
    assertEquals(new SourceCounts("embed:text", "*", 11, 8, 3, 0, 0), c1);

    TextEncoder enc = TextEncoders.shared(TextModel.ALL_MINILM_L6_V2, EncoderOptions.defaults());
    assertEquals(enc.modelVersion(), version);
    Dataset<Row> gold =
        spark.read().format("delta").load(catalog.path(TableCatalog.GOLD_EMBEDDINGS));
    Map<String, Long> perDoc = new TreeMap<>();
    for (Row r : gold.groupBy("id").count().collectAsList()) {
      perDoc.put(r.getString(0), r.getLong(1));
    }
    for (String t : first.subList(0, 8)) {
      assertEquals(
          (long) enc.passages(t).size(), perDoc.get(ContentIds.sha256Hex(t)), "passages of " + t);
    }
    // A stored vector is the encoder's vector of that passage, with its character span.
    String speech = docs.get(3);
    List<Passage> passages = enc.passages(speech);
    Passage second = passages.get(1);
    Row stored =
        gold.where(
                col("id").equalTo(ContentIds.sha256Hex(speech)).and(col("passage_no").equalTo(1)))
            .first();
    assertEquals(second.charStart(), stored.getInt(stored.fieldIndex("char_start")));
    assertEquals(second.charEnd(), stored.getInt(stored.fieldIndex("char_end")));
    assertEquals("text", stored.getString(stored.fieldIndex("kind")));
    assertEquals(384, stored.getInt(stored.fieldIndex("dims")));
    List<Float> v = stored.getList(stored.fieldIndex("vector"));
    float[] expected = enc.embed(List.of(second))[0];
    double dot = 0;
    for (int i = 0; i < expected.length; i++) {
      dot += expected[i] * v.get(i);
    }
    assertEquals(1.0, dot, 1e-5);

    Dataset<Row> quarantine =
        spark.read().format("delta").load(catalog.path(TableCatalog.quarantine("embed")));
    List<String> reasons =
        quarantine
            .select("reason")
            .orderBy("reason")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertEquals(List.of("binary_text", "empty_text", "whitespace_only"), reasons);

    // A rerun computes nothing and commits nothing.
    long goldVersion = version(TableCatalog.GOLD_EMBEDDINGS);
    RunSummary s2 = summary("rerun");
    job.embed(s2);
    assertEquals(new SourceCounts("embed:text", "*", 11, 0, 3, 8, 0), s2.total("embed:text"));
    assertEquals(goldVersion, version(TableCatalog.GOLD_EMBEDDINGS));

    // New documents: only they are embedded.
    appendDocuments(docs.subList(46, 48)); // a spam mail and the Chinese one
    RunSummary s3 = summary("new");
    job.embed(s3);
    assertEquals(new SourceCounts("embed:text", "*", 13, 2, 3, 8, 0), s3.total("embed:text"));

    // Another model version embeds everything again, beside the first.
    EmbeddingConfig q =
        EmbeddingConfig.from(
            Settings.defaults().with(EmbeddingConfig.TEXT_MODEL.name(), "all-minilm-l6-v2-q"));
    RunSummary s4 = summary("int8");
    String qVersion = new SparkTextEmbedding(spark, catalog, q, 1 << 20).embed(s4);
    assertNotEquals(version, qVersion);
    assertEquals(10, s4.total("embed:text").out());
    assertEquals(
        2,
        spark
            .read()
            .format("delta")
            .load(catalog.path(TableCatalog.GOLD_EMBEDDINGS))
            .select("model")
            .distinct()
            .count());
  }

  @Test
  void rowsOfARealTableGetFeatureVectorsWhoseNeighboursShareTheClass() throws Exception {
    Path wine = repoRoot().resolve("data/samples/tables/wine.csv");
    String table = "silver/wine";
    Dataset<Row> all =
        spark
            .read()
            .option("header", "true")
            .option("inferSchema", "true")
            .csv(wine.toString())
            .withColumn("_row_id", sha2(to_json(struct(col("*"))), 256))
            .orderBy("_row_id")
            .cache();
    // The table first holds 168 of the 178 rows; the other 10 arrive later.
    List<Row> ordered = all.collectAsList();
    spark
        .createDataFrame(ordered.subList(0, 168), all.schema())
        .write()
        .format("delta")
        .save(catalog.path(table));
    EmbeddingConfig cfg =
        EmbeddingConfig.from(
            Settings.defaults()
                .with(EmbeddingConfig.ROW_TABLES.name(), List.of(table))
                .with(EmbeddingConfig.ROW_EXCLUDE_COLUMNS.name(), List.of("cultivar")));
    SparkRowFeatures job = new SparkRowFeatures(spark, catalog, cfg);
    RunSummary s1 = summary("rows");
    SparkRowFeatures.Fitted fitted = job.embed(table, false, s1);
    assertEquals(new SourceCounts("embed:row", table, 168, 168, 0, 0, 0), s1.rows().get(0));
    assertEquals(13, fitted.dims(), fitted.columns().toString());
    assertTrue(
        Files.exists(
            Path.of(catalog.featureModelPath(table).replace("file:", ""))
                .resolve(SparkRowFeatures.DESCRIPTOR)));

    // New rows get vectors from the saved pipeline (same version); old rows are not redone.
    spark
        .createDataFrame(ordered.subList(168, 178), all.schema())
        .write()
        .format("delta")
        .mode("append")
        .save(catalog.path(table));
    RunSummary s2 = summary("new rows");
    assertEquals(fitted.version(), job.embed(table, false, s2).version());
    assertEquals(new SourceCounts("embed:row", table, 178, 10, 0, 168, 0), s2.rows().get(0));
    // Each commit to gold/embeddings records the version of the table it embedded.
    assertEquals(
        CommitLineage.of(SparkRowFeatures.STAGE, table, 1L, "new rows"),
        lastLineage(TableCatalog.GOLD_EMBEDDINGS));

    // Leave-one-out 1-NN on the vectors recovers the cultivar the features never saw.
    List<Row> vectors =
        spark
            .read()
            .format("delta")
            .load(catalog.path(TableCatalog.GOLD_EMBEDDINGS))
            .where(col("kind").equalTo("row"))
            .join(
                spark.read().format("delta").load(catalog.path(table)),
                col("id").equalTo(col("_row_id")))
            .select("vector", "cultivar")
            .collectAsList();
    assertEquals(178, vectors.size());
    int right = 0;
    for (int i = 0; i < vectors.size(); i++) {
      List<Float> a = vectors.get(i).getList(0);
      double best = Double.MAX_VALUE;
      String label = null;
      for (int j = 0; j < vectors.size(); j++) {
        if (i == j) {
          continue;
        }
        List<Float> b = vectors.get(j).getList(0);
        double d = 0;
        for (int k = 0; k < a.size(); k++) {
          d += (a.get(k) - b.get(k)) * (a.get(k) - b.get(k));
        }
        if (d < best) {
          best = d;
          label = vectors.get(j).getString(1);
        }
      }
      if (label.equals(vectors.get(i).getString(1))) {
        right++;
      }
    }
    assertTrue(right / 178.0 > 0.9, "1-NN accuracy " + right / 178.0);

    // A refit on the grown table is a new pipeline: every row gets a vector of the new version.
    RunSummary s3 = summary("refit");
    SparkRowFeatures.Fitted refitted = job.embed(table, true, s3);
    assertNotEquals(fitted.version(), refitted.version());
    assertEquals(178, s3.rows().get(0).out());
    RunSummary s4 = summary("rerun");
    assertEquals(refitted.version(), job.embed(table, false, s4).version());
    assertEquals(0, s4.rows().get(0).out());
  }
}
