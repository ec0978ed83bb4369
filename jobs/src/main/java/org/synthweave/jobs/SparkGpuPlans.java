package org.synthweave.jobs;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.QueryExecutionListener;

/**
 * Records every query a stage runs on a SparkSession and explains each with the RAPIDS
 * Accelerator's {@code com.nvidia.spark.rapids.ExplainPlan.explainPotentialGpuPlan(df, "ALL")},
 * which plans the GPU version of a physical plan without a GPU and with the plugin off. The RAPIDS
 * jar is optional at run time (the build's {@code -Pgpu} puts it in {@code spark-lib}), so it is
 * called by reflection.
 */
final class SparkGpuPlans implements QueryExecutionListener, AutoCloseable {
  static final String EXPLAIN_PLAN = "com.nvidia.spark.rapids.ExplainPlan";

  /**
   * What marks a query as Delta's or the run log's own: its transaction log, its action and history
   * classes (log replay, table history, file statistics), the {@code _runs} table.
   */
  private static final List<String> BOOKKEEPING =
      List.of("_delta_log", "org.apache.spark.sql.delta.", "/_runs");

  private final SparkSession spark;
  private final Method explain;
  private final ConcurrentLinkedQueue<QueryExecution> seen = new ConcurrentLinkedQueue<>();

  private SparkGpuPlans(SparkSession spark, Method explain) {
    this.spark = spark;
    this.explain = explain;
  }

  /** Starts recording the queries of {@code spark}; fails in one line without the RAPIDS jar. */
  static SparkGpuPlans record(SparkSession spark) {
    SparkGpuPlans plans = new SparkGpuPlans(spark, explainMethod());
    spark.listenerManager().register(plans);
    return plans;
  }

  /** ExplainPlan's entry point, or the one-line error that says how to get the RAPIDS jar. */
  static Method explainMethod() {
    try {
      return Class.forName(EXPLAIN_PLAN)
          .getMethod("explainPotentialGpuPlan", Dataset.class, String.class);
    } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
      throw JobErrors.noRapids(e);
    }
  }

  @Override
  public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
    seen.add(qe);
  }

  @Override
  public void onFailure(String funcName, QueryExecution qe, Exception exception) {
    seen.add(qe);
  }

  /**
   * Explains the queries run since the last call (waiting for Spark's listener bus to deliver them)
   * and forgets them. Delta's own transaction-log queries and the run log are left out: they are
   * the table format's bookkeeping, not the stage's data path.
   */
  GpuPlanReport.Stage drain(String stage) {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "Spark's listener bus did not deliver the stage's queries", e);
    }
    List<GpuPlanReport.Entry> entries = new ArrayList<>();
    int queries = 0;
    for (QueryExecution qe = seen.poll(); qe != null; qe = seen.poll()) {
      String logical = qe.analyzed().toString();
      if (BOOKKEEPING.stream().anyMatch(logical::contains)) {
        continue;
      }
      queries++;
      entries.addAll(GpuPlanReport.parse(explain(qe)));
    }
    return new GpuPlanReport.Stage(stage, queries, entries);
  }

  private String explain(QueryExecution qe) {
    // The query as it ran: a Dataset over the same QueryExecution, so nothing is planned or run
    // again (a write command would otherwise write a second time). ExplainPlan reads the plan
    // only, never rows, so the encoder is a placeholder: a plan's output may hold JVM objects
    // (typed operations) that no Row encoder describes.
    Dataset<Row> df =
        new org.apache.spark.sql.classic.Dataset<>(qe, Encoders.row(new StructType()));
    try {
      return (String) explain.invoke(null, df, "ALL");
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(EXPLAIN_PLAN + " is not callable", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          EXPLAIN_PLAN + " failed on the plan " + qe.analyzed().nodeName(), e.getCause());
    }
  }

  @Override
  public void close() {
    spark.listenerManager().unregister(this);
  }
}
