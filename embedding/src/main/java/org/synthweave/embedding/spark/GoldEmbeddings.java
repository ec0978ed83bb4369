package org.synthweave.embedding.spark;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.run.CommitLineage;
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
   * commit is made when {@code count} is 0. The commit records {@code lineage}.
   */
  static void append(
      SparkSession spark, Dataset<Row> rows, String path, long count, CommitLineage lineage) {
    Dataset<Row> conformed = TableCatalog.conform(rows, TableCatalog.GOLD_EMBEDDINGS_SCHEMA);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      DeltaWrites.insertNew(spark, conformed, path, KEY, List.of("kind"), lineage);
    } else if (count > 0) {
      DeltaWrites.recording(
              conformed.write().format("delta").mode("append").partitionBy("kind"), lineage)
          .save(path);
    }
  }

  /**
   * The distinct ids (column {@code __done}) of {@code table} that already have vectors of {@code
   * kind}, {@code model} and {@code modelVersion} in the table at {@code path}.
   */
  static Dataset<Row> embeddedIds(
      SparkSession spark,
      String path,
      String kind,
      String table,
      String model,
      String modelVersion) {
    return DeltaTable.forPath(spark, path)
        .toDF()
        .where(
            col("kind")
                .equalTo(kind)
                .and(col("source_table").equalTo(table))
                .and(col("model").equalTo(model))
                .and(col("model_version").equalTo(modelVersion)))
        .select(col("id").as("__done"))
        .distinct();
  }
}
