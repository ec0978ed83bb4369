package org.synthweave.core.spark;

import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.synthweave.core.run.CommitLineage;

/**
 * Idempotent Delta writes: rows are merged by key and only rows whose key is not yet in the table
 * are inserted, so re-running a job on the same inputs changes no table. A write given a {@link
 * CommitLineage} records it as the commit's {@code userMetadata}.
 */
public final class DeltaWrites {
  /** The session setting Delta takes a commit's {@code userMetadata} from (merge has no option). */
  static final String USER_METADATA_CONF = "spark.databricks.delta.commitInfo.userMetadata";

  /** The write option Delta takes a commit's {@code userMetadata} from. */
  static final String USER_METADATA_OPTION = "userMetadata";

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
    return insertNew(spark, rows, path, keys, partitionBy, null);
  }

  /**
   * Like {@link #insertNew(SparkSession, Dataset, String, List, List)}, recording {@code lineage}
   * (null: nothing) in the commit that inserts the rows.
   */
  public static long insertNew(
      SparkSession spark,
      Dataset<Row> rows,
      String path,
      List<String> keys,
      List<String> partitionBy,
      CommitLineage lineage) {
    return insertNewCounting(spark, rows, path, keys, partitionBy, null, lineage).values().stream()
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
    return insertNewCounting(spark, rows, path, keys, partitionBy, groupColumn, null);
  }

  /**
   * Like {@link #insertNewCounting(SparkSession, Dataset, String, List, List, String)}, recording
   * {@code lineage} (null: nothing) in the commit that inserts the rows.
   */
  public static Map<String, Long> insertNewCounting(
      SparkSession spark,
      Dataset<Row> rows,
      String path,
      List<String> keys,
      List<String> partitionBy,
      String groupColumn,
      CommitLineage lineage) {
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
        var writer = recording(fresh.write().format("delta").partitionBy(partitions), lineage);
        if (Columns.needsDeltaColumnMapping(fresh.schema())) {
          writer = writer.option(Columns.COLUMN_MAPPING_MODE, "name");
        }
        writer.save(path);
      } else if (n > 0) {
        String condition =
            keys.stream()
                .map(k -> "t." + Columns.quote(k) + " = s." + Columns.quote(k))
                .collect(Collectors.joining(" AND "));
        DeltaTable merge = DeltaTable.forPath(spark, path);
        Dataset<Row> source = fresh;
        withCommitMetadata(
            spark,
            lineage,
            () ->
                merge
                    .as("t")
                    .merge(source.as("s"), condition)
                    .whenNotMatched()
                    .insertAll()
                    .execute());
      }
      return counts;
    } finally {
      if (cacheHere) {
        fresh.unpersist();
      }
    }
  }

  /** {@code writer} recording {@code lineage} (null: as it is) in the commit it makes. */
  public static DataFrameWriter<Row> recording(DataFrameWriter<Row> writer, CommitLineage lineage) {
    return lineage == null ? writer : writer.option(USER_METADATA_OPTION, lineage.toJson());
  }

  /**
   * Runs {@code commit} (a merge, update or delete, which take no write options) with {@code
   * lineage} as the commit metadata of the session, restoring the session's setting afterwards.
   * Another thread committing through the same session meanwhile would record it too.
   */
  public static void withCommitMetadata(
      SparkSession spark, CommitLineage lineage, Runnable commit) {
    if (lineage == null) {
      commit.run();
      return;
    }
    String old = spark.conf().getOption(USER_METADATA_CONF).getOrElse(() -> null);
    spark.conf().set(USER_METADATA_CONF, lineage.toJson());
    try {
      commit.run();
    } finally {
      if (old == null) {
        spark.conf().unset(USER_METADATA_CONF);
      } else {
        spark.conf().set(USER_METADATA_CONF, old);
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
