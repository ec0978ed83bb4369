package org.synthweave.embedding.spark;

import io.delta.tables.DeltaTable;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.spark.DeltaWrites;

/**
 * Writes new vectors to {@code gold/embeddings} (schema {@link
 * TableCatalog#GOLD_EMBEDDINGS_SCHEMA}).
 */
final class GoldEmbeddings {
  static final List<String> KEY = List.of("id", "model", "model_version", "passage_no");

  private GoldEmbeddings() {}

  /**
   * Adds {@code rows}, which the caller has already reduced to ids without vectors of their model
   * version, each id once. The first write creates the table (even when empty, so readers find its
   * schema); later ones append in one pass, where a merge would join against the whole table. No
   * commit is made when {@code count} is 0.
   */
  static void append(SparkSession spark, Dataset<Row> rows, String path, long count) {
    Dataset<Row> conformed = TableCatalog.conform(rows, TableCatalog.GOLD_EMBEDDINGS_SCHEMA);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      DeltaWrites.insertNew(spark, conformed, path, KEY, List.of("kind"));
    } else if (count > 0) {
      conformed.write().format("delta").mode("append").partitionBy("kind").save(path);
    }
  }
}
