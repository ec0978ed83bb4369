package org.synthweave.arweave;

/**
 * Seeds for randomized tests: {@code -Dtests.seed=N} replays a run, otherwise a fresh seed is
 * drawn. {@link #run} prints the seed when the body fails, so any failure can be replayed.
 */
public final class SeedReporter {
  private SeedReporter() {}

  /** An action that may throw anything. */
  public interface Body {
    void run() throws Exception;
  }

  public static long seed() {
    String fixed = System.getProperty("tests.seed");
    return fixed != null ? Long.parseLong(fixed) : System.nanoTime() ^ 0x5DEECE66DL;
  }

  public static void run(long seed, Body body) {
    try {
      body.run();
    } catch (Throwable t) {
      String msg = "test failed with seed " + seed + " (replay with -Dtests.seed=" + seed + ")";
      System.err.println(msg);
      AssertionError e = new AssertionError(msg + ": " + t, t);
      throw e;
    }
  }
}
