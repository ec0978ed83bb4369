package org.synthweave.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.search.TaskExecutor;
import org.junit.jupiter.api.Test;

class SpinningExecutorTest {

  @Test
  void runsEveryTaskOnItsWorkersWithAndWithoutSpinning() throws Exception {
    for (long spin : new long[] {0, 200_000}) {
      try (SpinningExecutor ex = new SpinningExecutor(2, spin, "test")) {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        // Bursts with pauses between them: workers park (or spin) between bursts and must wake.
        for (int burst = 0; burst < 20; burst++) {
          CountDownLatch done = new CountDownLatch(50);
          for (int i = 0; i < 50; i++) {
            ex.execute(
                () -> {
                  threads.add(Thread.currentThread().getName());
                  done.countDown();
                });
          }
          assertTrue(done.await(10, TimeUnit.SECONDS), "burst " + burst + " at spin " + spin);
          Thread.sleep(burst % 3);
        }
        assertTrue(threads.stream().allMatch(n -> n.startsWith("test-")), threads.toString());
      }
    }
  }

  @Test
  void luceneTaskExecutorGetsEveryResultInOrder() throws Exception {
    try (SpinningExecutor ex = new SpinningExecutor(1, 100_000, "test")) {
      TaskExecutor lucene = new TaskExecutor(ex);
      for (int round = 0; round < 200; round++) {
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          int v = round * 10 + i;
          tasks.add(() -> v);
        }
        assertEquals(
            List.of(round * 10, round * 10 + 1, round * 10 + 2, round * 10 + 3),
            lucene.invokeAll(tasks));
      }
    }
  }

  @Test
  void aFailingTaskDoesNotStopItsWorker() throws Exception {
    AtomicInteger reported = new AtomicInteger();
    try (SpinningExecutor ex = new SpinningExecutor(1, 0, "test")) {
      CountDownLatch failed = new CountDownLatch(1);
      ex.execute(
          () -> {
            Thread.currentThread()
                .setUncaughtExceptionHandler((t, e) -> reported.incrementAndGet());
            failed.countDown();
            throw new IllegalStateException("boom");
          });
      assertTrue(failed.await(10, TimeUnit.SECONDS));
      CountDownLatch after = new CountDownLatch(1);
      ex.execute(after::countDown);
      assertTrue(after.await(10, TimeUnit.SECONDS), "the worker stopped after a failing task");
    }
    assertEquals(1, reported.get());
  }

  @Test
  void closeStopsTheWorkersAndRejectsNewTasks() throws Exception {
    SpinningExecutor ex = new SpinningExecutor(2, 1_000_000, "closing");
    CountDownLatch ran = new CountDownLatch(1);
    ex.execute(ran::countDown);
    assertTrue(ran.await(10, TimeUnit.SECONDS));
    ex.close();
    assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> {}));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (workersAlive("closing-") && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertFalse(workersAlive("closing-"), "worker threads survive close()");
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new SpinningExecutor(0, 0, "x"));
    assertThrows(IllegalArgumentException.class, () -> new SpinningExecutor(1, -1, "x"));
  }

  private static boolean workersAlive(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().startsWith(prefix) && t.isAlive());
  }
}
