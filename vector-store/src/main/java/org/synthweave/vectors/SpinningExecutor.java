package org.synthweave.vectors;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * The worker threads that search a query's other shards while the caller searches one itself
 * (Lucene's {@code TaskExecutor} forks all but one task and runs the rest in the calling thread).
 *
 * <p>Why not a plain thread pool: a graph search of a shard takes about 0.15 ms, and waking a
 * parked thread on these virtual machines costs about as much, so with a pool the caller often
 * finishes its shard, finds the other task not yet started, and runs it too. In {@code synthweave
 * bench index} (2 shards on 2 threads, recall 0.95) a pool gave 4,000 queries/s against 3,000 in
 * one thread, workers that spin 250 µs 4,600-5,100: after each task a worker keeps polling for
 * {@code spinNanos} before it parks, so the next query's task starts at once. The price is at most
 * {@code spinNanos} of CPU per worker after each burst of queries; {@code spinNanos = 0} parks at
 * once, as a pool does.
 */
final class SpinningExecutor implements Executor, AutoCloseable {
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Thread[] workers;
  private final long spinNanos;
  private volatile boolean closed;

  SpinningExecutor(int threads, long spinNanos, String name) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (spinNanos < 0) {
      throw new IllegalArgumentException("spinNanos must be >= 0, got " + spinNanos);
    }
    this.spinNanos = spinNanos;
    this.workers = new Thread[threads];
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::work, name + "-" + i);
      t.setDaemon(true); // a searcher left open must not keep the JVM alive
      workers[i] = t;
      t.start();
    }
  }

  @Override
  public void execute(Runnable task) {
    if (closed) {
      throw new RejectedExecutionException("the shard searcher is closed");
    }
    tasks.add(task);
    for (Thread t : workers) {
      LockSupport.unpark(t); // a no-op for a worker that is spinning or busy
    }
  }

  private void work() {
    while (!closed) {
      Runnable task = tasks.poll();
      if (task == null && spinNanos > 0) {
        long until = System.nanoTime() + spinNanos;
        while ((task = tasks.poll()) == null && System.nanoTime() - until < 0 && !closed) {
          Thread.onSpinWait();
        }
      }
      if (task == null) {
        // An unpark between the poll and here leaves a permit, so this returns at once.
        LockSupport.park(this);
        continue;
      }
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        // Lucene's tasks are futures that keep their own failure; anything else is reported the
        // way a pool thread would report it, and the worker carries on.
        Thread self = Thread.currentThread();
        self.getUncaughtExceptionHandler().uncaughtException(self, e);
      }
    }
  }

  /** Stops the workers; tasks not yet started are dropped (their callers have gone). */
  @Override
  public void close() {
    closed = true;
    for (Thread t : workers) {
      LockSupport.unpark(t);
    }
  }
}
