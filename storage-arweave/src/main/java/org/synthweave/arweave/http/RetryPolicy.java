package org.synthweave.arweave.http;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with jitter: attempt n waits a random time in [d/2, d] where d = initial *
 * 2^(n-1), capped. The jitter source is injected so tests and replays are deterministic.
 */
public final class RetryPolicy {
  private final int maxAttempts;
  private final long initialMillis;
  private final long maxMillis;
  private final Random random;

  public RetryPolicy(int maxAttempts, Duration initial, Duration max, Random random) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    if (random == null) {
      throw new IllegalArgumentException("random must not be null");
    }
    this.maxAttempts = maxAttempts;
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Delay before retry number {@code attempt} (1 = after the first failure); at least {@code
   * retryAfterMillis} when the server asked for it, but never more than the cap.
   */
  public long delayMillis(int attempt, long retryAfterMillis) {
    long d = initialMillis;
    for (int i = 1; i < attempt && d < maxMillis; i++) {
      d *= 2;
    }
    d = Math.min(d, maxMillis);
    long half = d / 2;
    long jittered;
    synchronized (random) {
      jittered = half + (long) (random.nextDouble() * (d - half + 1));
    }
    return Math.min(maxMillis, Math.max(jittered, retryAfterMillis));
  }
}
