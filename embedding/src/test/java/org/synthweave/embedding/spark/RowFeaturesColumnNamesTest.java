package org.synthweave.embedding.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.Settings;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.spark.Columns;
import org.synthweave.core.testing.HostileColumns;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.embedding.EmbeddingConfig;

/**
 * Row feature vectors of the real wine table whose columns carry hostile names (issue 17, item 6),
 * through every feature path: scaled numbers, one-hot and hashed strings.
 */
class RowFeaturesColumnNamesTest extends SparkTestBase {
  @Test
  void everyFeatureKindWorksOnHostileNamesAndNeighboursShareTheClass() {
    String table = TableCatalog.silver("wine_hostile");
    // Two string features with hostile names: a few values (one-hot) and many (hashed).
    Dataset<Row> wine =
        HostileColumns.wine(spark)
            .withColumn("mag. \"bin\"", concat(lit("m"), Columns.col("1st").divide(20).cast("int")))
            .withColumn("`id`,x", Columns.col("`").cast("string"));
    wine.withColumn("_row_id", sha2(to_json(struct(col("*"))), 256))
        .write()
        .format("delta")
        .option(Columns.COLUMN_MAPPING_MODE, "name")
        .save(catalog.path(table));
    EmbeddingConfig cfg =
        EmbeddingConfig.from(
            Settings.defaults()
                .with(EmbeddingConfig.ROW_TABLES.name(), List.of(table))
                .with(EmbeddingConfig.ROW_EXCLUDE_COLUMNS.name(), List.of(HostileColumns.LABEL)));
    SparkRowFeatures job = new SparkRowFeatures(spark, catalog, cfg);
    RunSummary s1 = new RunSummary("r1", "embed", Instant.now());
    SparkRowFeatures.Fitted fitted = job.embed(table, false, s1);
    assertEquals(new SourceCounts("embed:row", table, 178, 178, 0, 0, 0), s1.rows().get(0));
    // 12 numeric columns (the one named _c6 is bookkeeping by convention), the one-hot bins
    // with the indexer's and the encoder's slots for unseen values, and 64 hash buckets.
    assertTrue(fitted.columns().contains("b.c:scaled"), fitted.columns().toString());
    assertTrue(fitted.columns().contains("mag. \"bin\":one-hot"), fitted.columns().toString());
    assertTrue(fitted.columns().contains("`id`,x:hashed"), fitted.columns().toString());
    long bins = wine.select(Columns.col("mag. \"bin\"")).distinct().count();
    assertEquals(12 + bins + 2 + 64, fitted.dims(), fitted.columns().toString());

    // The saved pipeline serves a rerun: nothing new.
    RunSummary s2 = new RunSummary("r2", "embed", Instant.now());
    assertEquals(fitted.version(), job.embed(table, false, s2).version());
    assertEquals(0, s2.rows().get(0).out());

    // Leave-one-out 1-NN recovers the class the features never saw.
    List<Row> vectors =
        spark
            .read()
            .format("delta")
            .load(catalog.path(TableCatalog.GOLD_EMBEDDINGS))
            .join(
                spark.read().format("delta").load(catalog.path(table)),
                col("id").equalTo(col("_row_id")))
            .select(col("vector"), Columns.col(HostileColumns.LABEL))
            .collectAsList();
    assertEquals(178, vectors.size());
    int right = 0;
    for (int i = 0; i < vectors.size(); i++) {
      List<Float> a = vectors.get(i).getList(0);
      double best = Double.MAX_VALUE;
      String label = null;
      for (int j = 0; j < vectors.size(); j++) {
        if (i != j) {
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
      }
      right += label.equals(vectors.get(i).getString(1)) ? 1 : 0;
    }
    assertTrue(right / 178.0 > 0.85, "1-NN accuracy " + right / 178.0);
  }
}
