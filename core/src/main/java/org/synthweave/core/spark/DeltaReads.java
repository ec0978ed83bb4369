package org.synthweave.core.spark;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads of a Delta table pinned to one version: the version is resolved once and the rows are read
 * at it, so that what a stage records as read (see {@link org.synthweave.core.run.CommitLineage})
 * is what it read, even when another job commits to the table meanwhile.
 */
public final class DeltaReads {
  private DeltaReads() {}

  /**
   * Rows of a table at one version.
   *
   * @param rows the rows at {@code version}
   * @param version the Delta version read
   */
  public record Pinned(Dataset<Row> rows, long version) {}

  /** The latest version of the Delta table at {@code path}, read at that version. */
  public static Pinned latest(SparkSession spark, String path) {
    long version = latestVersion(spark, path);
    return new Pinned(at(spark, path, version), version);
  }

  /** The newest committed version of the Delta table at {@code path}. */
  public static long latestVersion(SparkSession spark, String path) {
    return DeltaTable.forPath(spark, path).history(1).first().<Long>getAs("version");
  }

  /** The Delta table at {@code path} as of {@code version} (time travel). */
  public static Dataset<Row> at(SparkSession spark, String path, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(path);
  }
}
