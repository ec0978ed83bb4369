package org.synthweave.core.spark;

import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

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
    return insertNewCounting(spark, rows, path, keys, partitionBy, null).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  /**
   * Like {@link #insertNew} but returns how many of the inserted rows each value of {@code
   * groupColumn} (e.g. the source file) contributed, so a stage can report per-source counts; with
   * a null {@code groupColumn} the one key is "*".
   */
  public static Map<String, Long> insertNewCounting(
      SparkSession spark,
      Dataset<Row> rows,
      String path,
      List<String> keys,
      List<String> partitionBy,
      String groupColumn) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys must not be empty");
    }
    boolean exists = DeltaTable.isDeltaTable(spark, path);
    Dataset<Row> fresh =
        exists
            ? rows.join(
                DeltaTable.forPath(spark, path).toDF().select(keyColumns(keys)),
                toSeq(keys),
                "left_anti")
            : rows;
    // Two passes over the new rows (count, write): keep them rather than recompute the join,
    // unless the caller's rows are cached already. On disk: rows may be megabytes each (crawled
    // pages), and an in-memory cache builds its blocks whole (SparkMaterialized.LARGE_ROWS).
    boolean cacheHere = fresh.storageLevel().equals(StorageLevel.NONE());
    if (cacheHere) {
      fresh = fresh.persist(SparkMaterialized.LARGE_ROWS);
    }
    try {
      Map<String, Long> counts = new TreeMap<>();
      if (groupColumn == null) {
        counts.put("*", fresh.count());
      } else {
        for (Row r : fresh.groupBy(Columns.col(groupColumn)).count().collectAsList()) {
          counts.put(String.valueOf(r.get(0)), r.getLong(1));
        }
      }
      long n = counts.values().stream().mapToLong(Long::longValue).sum();
      String[] partitions = partitionBy.toArray(String[]::new);
      if (!exists) {
        // Even with no rows the table is created, so readers and reruns find its schema. Delta
        // stores column names with a space, comma, parenthesis etc. only under column mapping.
        var writer = fresh.write().format("delta").partitionBy(partitions);
        if (Columns.needsDeltaColumnMapping(fresh.schema())) {
          writer = writer.option(Columns.COLUMN_MAPPING_MODE, "name");
        }
        writer.save(path);
      } else if (n > 0) {
        String condition =
            keys.stream()
                .map(k -> "t." + Columns.quote(k) + " = s." + Columns.quote(k))
                .collect(Collectors.joining(" AND "));
        DeltaTable.forPath(spark, path)
            .as("t")
            .merge(fresh.as("s"), condition)
            .whenNotMatched()
            .insertAll()
            .execute();
      }
      return counts;
    } finally {
      if (cacheHere) {
        fresh.unpersist();
      }
    }
  }

  private static Column[] keyColumns(List<String> keys) {
    return Columns.cols(keys);
  }

  private static scala.collection.immutable.Seq<String> toSeq(List<String> keys) {
    return scala.jdk.javaapi.CollectionConverters.asScala(keys).toList();
  }
}
