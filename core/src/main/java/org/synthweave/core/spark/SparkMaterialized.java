package org.synthweave.core.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * Rows computed once and kept (in memory, spilling to disk) under a plan that is only their schema.
 *
 * <p>{@code persist} keeps the rows but not the plan's size: every later action on a cached Dataset
 * analyzes, optimizes and matches against the cache the whole plan that computed it, and reads the
 * rows back through the columnar cache, whose generated accessor covers every column. For a table
 * of thousands of columns, each of those costs seconds to minutes per action, and grows faster than
 * the columns. A local checkpoint replaces the plan by a scan of the computed rows, so an action
 * that reads a few of the columns plans and compiles only those. The price: a lost executor's part
 * of the rows cannot be recomputed, and the job fails (a rerun is idempotent).
 */
public final class SparkMaterialized {
  private SparkMaterialized() {}

  /**
   * Where to keep rows that can each be megabytes (crawled pages): on disk, written and read one
   * row at a time. In memory, Spark builds its cached blocks whole (the columnar cache puts up to
   * 10,000 rows in one batch, a serialized block is unrolled in one buffer), so a few hundred rows
   * of 2 MiB need more heap than the executor has, however the file they came from is split.
   */
  public static final StorageLevel LARGE_ROWS = StorageLevel.DISK_ONLY();

  /** {@code rows}, computed now and kept in memory (spilling to disk); see {@link #release}. */
  public static Dataset<Row> of(Dataset<Row> rows) {
    return of(rows, StorageLevel.MEMORY_AND_DISK());
  }

  /**
   * {@code rows}, computed now and kept at {@code level} (e.g. {@link #LARGE_ROWS}); release them
   * with {@link #release}.
   */
  public static Dataset<Row> of(Dataset<Row> rows, StorageLevel level) {
    if (level == null || level.equals(StorageLevel.NONE())) {
      throw new IllegalArgumentException("level must keep the rows somewhere, got " + level);
    }
    return rows.localCheckpoint(true, level);
  }

  /** Frees the kept rows of a Dataset made by {@link #of} (anything else: nothing to do). */
  public static void release(Dataset<Row> rows) {
    if (rows instanceof org.apache.spark.sql.classic.Dataset<Row> d
        && d.logicalPlan() instanceof LogicalRDD kept) {
      kept.rdd().unpersist(false);
    }
  }
}
