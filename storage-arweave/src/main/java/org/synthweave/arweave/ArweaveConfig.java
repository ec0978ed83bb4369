package org.synthweave.arweave;

import java.net.URI;
import java.time.Duration;

/**
 * Settings of an {@link ArweaveClient}. Every setting has a {@code DEFAULT_*} constant; the stage
 * config of the publish job resolves command line, then config file, then these defaults, and
 * passes the result to {@link #builder(URI)}.
 */
public final class ArweaveConfig {
  /** Public gateway used when none is configured. */
  public static final URI DEFAULT_GATEWAY = URI.create("https://arweave.net");

  /** Time allowed to open a TCP connection. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Time allowed for one request, from sending to the end of the response headers. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /** Attempts per request (first try included) before a retryable failure becomes fatal. */
  public static final int DEFAULT_MAX_ATTEMPTS = 8;

  /** First retry delay; doubled at each further attempt, then jittered. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);

  /** Upper bound of one retry delay. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

  /**
   * Chunks uploaded in parallel (gateways rate-limit beyond ~10). arweave-js 1.15.7 sends one at a
   * time. arlocal 1.1.66 ignores the posted offset and orders a transaction's chunks by arrival, so
   * above 1 it can serve the data with chunks swapped; use 1 there (docs/BENCHMARKS.md).
   */
  public static final int DEFAULT_CHUNK_CONCURRENCY = 8;

  /**
   * The builder's default: {@link #DEFAULT_CHUNK_CONCURRENCY} chunks in flight, or one when the
   * gateway's {@code GET /info} names an arlocal network (checked once, at the first upload).
   */
  public static final int AUTO_CHUNK_CONCURRENCY = 0;

  /** Seed of the retry jitter; fixed so that a run can be replayed. */
  public static final long DEFAULT_JITTER_SEED = 0x5EED;

  private final URI gateway;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final int chunkConcurrency;
  private final long jitterSeed;

  private ArweaveConfig(Builder b) {
    this.gateway = b.gateway;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.chunkConcurrency = b.chunkConcurrency;
    this.jitterSeed = b.jitterSeed;
  }

  /** Starts a config for {@code gateway} (e.g. {@code http://127.0.0.1:1984}) with defaults. */
  public static Builder builder(URI gateway) {
    return new Builder(gateway);
  }

  public URI gateway() {
    return gateway;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public int chunkConcurrency() {
    return chunkConcurrency;
  }

  public long jitterSeed() {
    return jitterSeed;
  }

  /** Collects settings; each setter checks its argument. */
  public static final class Builder {
    private final URI gateway;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private int chunkConcurrency = AUTO_CHUNK_CONCURRENCY;
    private long jitterSeed = DEFAULT_JITTER_SEED;

    private Builder(URI gateway) {
      if (gateway == null) {
        throw new IllegalArgumentException("gateway must not be null");
      }
      String scheme = gateway.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new IllegalArgumentException(
            "gateway must be an http:// or https:// URL, got " + gateway);
      }
      String s = gateway.toString();
      this.gateway = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive(d, "connectTimeout");
      return this;
    }

    public Builder requestTimeout(Duration d) {
      this.requestTimeout = positive(d, "requestTimeout");
      return this;
    }

    public Builder maxAttempts(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, got " + n);
      }
      this.maxAttempts = n;
      return this;
    }

    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = positive(initial, "initial");
      this.maxBackoff = positive(max, "max");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "max backoff " + max + " must be >= initial backoff " + initial);
      }
      return this;
    }

    /** Chunks in flight, 1 to 64, or {@link #AUTO_CHUNK_CONCURRENCY}. */
    public Builder chunkConcurrency(int n) {
      if (n < 0 || n > 64) {
        throw new IllegalArgumentException(
            "chunkConcurrency must be in [1, 64], or 0 for automatic, got " + n);
      }
      this.chunkConcurrency = n;
      return this;
    }

    public Builder jitterSeed(long seed) {
      this.jitterSeed = seed;
      return this;
    }

    public ArweaveConfig build() {
      return new ArweaveConfig(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
      }
      return d;
    }
  }
}
