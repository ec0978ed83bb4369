package org.synthweave.core.spark;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Progress on long work: a listener that prints, at most every {@code intervalMs}, one line per
 * running Spark stage with tasks done / total and the records read so far, prefixed by the job
 * description that our jobs set (e.g. "ingest crawl: extract").
 */
public final class SparkProgress extends SparkListener {
  private final long intervalMs;
  private final PrintStream out;
  private final Map<Integer, StageState> stages = new ConcurrentHashMap<>();
  private final AtomicLong lastPrint = new AtomicLong();

  private static final class StageState {
    final String name;
    final int tasks;
    final AtomicLong done = new AtomicLong();
    final AtomicLong records = new AtomicLong();
    final long startNanos = System.nanoTime();

    StageState(String name, int tasks) {
      this.name = name;
      this.tasks = tasks;
    }
  }

  SparkProgress(long intervalMs, PrintStream out) {
    this.intervalMs = intervalMs;
    this.out = out;
  }

  /** Adds a progress listener to {@code spark}'s context (once). */
  public static void install(SparkSession spark, long intervalMs) {
    spark.sparkContext().addSparkListener(new SparkProgress(intervalMs, System.err));
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    String desc =
        event.properties() == null ? null : event.properties().getProperty("spark.job.description");
    String name = desc != null ? desc : event.stageInfo().name();
    stages.put(event.stageInfo().stageId(), new StageState(name, event.stageInfo().numTasks()));
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    StageState s = stages.get(event.stageId());
    if (s == null) {
      return;
    }
    s.done.incrementAndGet();
    if (event.taskMetrics() != null) {
      s.records.addAndGet(event.taskMetrics().inputMetrics().recordsRead());
    }
    long now = System.currentTimeMillis();
    long last = lastPrint.get();
    if (now - last >= intervalMs && lastPrint.compareAndSet(last, now)) {
      print(s, false);
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted event) {
    StageState s = stages.remove(event.stageInfo().stageId());
    // Only stages that took a while get a closing line, so short jobs stay quiet.
    if (s != null && (System.nanoTime() - s.startNanos) / 1_000_000 >= intervalMs) {
      print(s, true);
    }
  }

  private void print(StageState s, boolean finished) {
    double secs = (System.nanoTime() - s.startNanos) / 1e9;
    out.println(
        String.format(
            Locale.ROOT,
            "[progress] %s: %d/%d tasks%s, %.1f s%s",
            s.name,
            s.done.get(),
            s.tasks,
            s.records.get() > 0 ? ", " + s.records.get() + " records read" : "",
            secs,
            finished ? " (done)" : ""));
  }
}
