package org.synthweave.core.spark;

import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Idempotent Delta writes: rows are merged by key and only rows whose key is not yet in the table
 * are inserted, so re-running a job on the same inputs changes no table.
 */
public final class DeltaWrites {
  private DeltaWrites() {}

  /**
   * Inserts the rows of {@code rows} whose {@code keys} are not in the Delta table at {@code path},
   * creating the table (partitioned by {@code partitionBy}, if any) when it does not exist. Rows
   * must already be unique by key. No commit is made when there is nothing new.
   *
   * @return the number of rows inserted
   */
  public static long insertNew(
      SparkSession spark,
      Dataset<Row> rows,
      String path,
      List<String> keys,
      List<String> partitionBy) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys must not be empty");
    }
    if (!DeltaTable.isDeltaTable(spark, path)) {
      // Persisted by the caller or cheap to recompute: one count, one write.
      long n = rows.count();
      if (n == 0) {
        // An empty table with the right schema, so readers and reruns find it.
        rows.limit(0)
            .write()
            .format("delta")
            .partitionBy(partitionBy.toArray(String[]::new))
            .save(path);
        return 0;
      }
      rows.write().format("delta").partitionBy(partitionBy.toArray(String[]::new)).save(path);
      return n;
    }
    DeltaTable target = DeltaTable.forPath(spark, path);
    Dataset<Row> fresh =
        rows.join(target.toDF().select(keyColumns(keys)), toSeq(keys), "left_anti");
    fresh = fresh.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    try {
      long n = fresh.count();
      if (n == 0) {
        return 0;
      }
      String condition =
          keys.stream()
              .map(k -> "t.`" + k + "` = s.`" + k + "`")
              .collect(Collectors.joining(" AND "));
      target.as("t").merge(fresh.as("s"), condition).whenNotMatched().insertAll().execute();
      return n;
    } finally {
      fresh.unpersist();
    }
  }

  /**
   * Like {@link #insertNew} but also returns how many of the inserted rows each value of {@code
   * groupColumn} (e.g. the source file) contributed, so a stage can report per-source counts.
   */
  public static java.util.Map<String, Long> insertNewCounting(
      SparkSession spark,
      Dataset<Row> rows,
      String path,
      List<String> keys,
      List<String> partitionBy,
      String groupColumn) {
    boolean exists = DeltaTable.isDeltaTable(spark, path);
    Dataset<Row> fresh =
        exists
            ? rows.join(
                DeltaTable.forPath(spark, path).toDF().select(keyColumns(keys)),
                toSeq(keys),
                "left_anti")
            : rows;
    fresh = fresh.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    try {
      java.util.Map<String, Long> counts = new java.util.TreeMap<>();
      for (Row r : fresh.groupBy(groupColumn).count().collectAsList()) {
        counts.put(String.valueOf(r.get(0)), r.getLong(1));
      }
      insertNew(spark, fresh, path, keys, partitionBy);
      return counts;
    } finally {
      fresh.unpersist();
    }
  }

  private static org.apache.spark.sql.Column[] keyColumns(List<String> keys) {
    return keys.stream()
        .map(org.apache.spark.sql.functions::col)
        .toArray(org.apache.spark.sql.Column[]::new);
  }

  private static scala.collection.immutable.Seq<String> toSeq(List<String> keys) {
    return scala.jdk.javaapi.CollectionConverters.asScala(keys).toList();
  }
}
