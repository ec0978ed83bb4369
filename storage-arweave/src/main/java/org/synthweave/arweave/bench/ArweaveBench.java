package org.synthweave.arweave.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.ArweaveConfig;
import org.synthweave.arweave.ArweaveErrors;
import org.synthweave.arweave.ArweaveException;
import org.synthweave.arweave.crypto.Hashes;
import org.synthweave.arweave.local.LocalArlocal;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.upload.UploadOptions;
import org.synthweave.arweave.upload.UploadResult;
import org.synthweave.arweave.wallet.Wallet;

/**
 * Upload throughput of this client against arweave-js, in the same run: N MiB of seeded random (so
 * non-repeating: arlocal merges identical chunks) bytes, uploaded as one chunked transaction by
 * each client, in the order asked for, each to a gateway leased from {@link Gateways}.
 *
 * <p>arlocal 1.1.66 is slow in a way no client can avoid: every {@code POST /chunk} runs {@code
 * SELECT * FROM chunks ORDER BY offset DESC} (no LIMIT, no index) to find the last offset, so it
 * reads and sorts every chunk stored so far, of every transaction. A chunk costs time in proportion
 * to the chunks before it, and an upload of N chunks costs O(N²) on the gateway. So each upload
 * best gets a fresh arlocal ({@link Gateways#freshArlocal}); on a shared one, callers alternate the
 * order.
 *
 * <p>All timings start with the file on disk and end when the last chunk is accepted; wallet
 * generation and funding come before. Our peak heap is the JVM's used heap (MemoryMXBean) sampled
 * every 5 ms during our uploads, so it includes what the JVM held before (reported too).
 */
public final class ArweaveBench {
  private ArweaveBench() {}

  /** Where each client's upload goes: one gateway per upload, released after it. */
  @FunctionalInterface
  public interface Gateways {
    /** A gateway for one upload; closing it releases it. */
    Lease lease();

    /** A leased gateway. */
    interface Lease extends AutoCloseable {
      URI url();

      @Override
      void close();
    }

    /** Every upload goes to {@code url}, an arlocal someone else runs. */
    static Gateways shared(URI url) {
      return () ->
          new Lease() {
            @Override
            public URI url() {
              return url;
            }

            @Override
            public void close() {}
          };
    }

    /** Every upload gets a new arlocal with an empty database, stopped after it. */
    static Gateways freshArlocal(Path nodeDir) {
      return () -> {
        LocalArlocal a = LocalArlocal.start(nodeDir);
        return new Lease() {
          @Override
          public URI url() {
            return a.url();
          }

          @Override
          public void close() {
            a.close();
          }
        };
      };
    }
  }

  /**
   * Uploads {@code mib} MiB with both clients and returns the figures, in the order of one JSON
   * line: our client at {@code concurrency} chunks in flight, our client with one chunk in flight
   * (skipped when {@code concurrency} is 1), and arweave-js's uploader (one chunk at a time, as
   * {@code getUploader}/{@code uploadChunk} and {@code transactions.upload} both send them). After
   * each of our uploads, outside the timing, the bytes the gateway serves at {@code GET /{id}} are
   * hashed and compared with the file ({@code *_bytes_ok}; null when the gateway could not serve
   * them in one try of 2 minutes, as arlocal cannot at 512 MiB).
   *
   * @param gateways where each client uploads: arlocal (the benchmark mints tokens)
   * @param arweaveJsScript {@code bench-arweavejs.js} of the node harness
   * @param oursFirst whether our uploads come before arweave-js's (otherwise after, in reverse)
   * @param concurrency our chunk concurrency for {@code ours_mb_per_s}
   */
  public static Map<String, Object> compare(
      Gateways gateways,
      Path arweaveJsScript,
      int mib,
      long seed,
      boolean oursFirst,
      int concurrency) {
    if (mib < 1) {
      throw new IllegalArgumentException("mib must be >= 1, got " + mib);
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
    }
    Path file = null;
    try {
      file = Files.createTempFile("arweave-bench-", ".bin");
      byte[] sha = writeRandom(file, (long) mib << 20, seed);
      Map<String, Object> fig = new LinkedHashMap<>();
      fig.put("bench", "arweave");
      fig.put("mib", mib);
      fig.put("seed", seed);
      fig.put("first", oursFirst ? "ours" : "arweavejs");
      fig.put("concurrency", concurrency);
      boolean single = concurrency > 1;
      double jsSeconds;
      Ours ours;
      Ours ours1 = null;
      if (oursFirst) {
        ours = runOurs(gateways, file, sha, concurrency);
        if (single) {
          ours1 = runOurs(gateways, file, sha, 1);
        }
        jsSeconds = runArweaveJs(arweaveJsScript, gateways, file);
      } else {
        jsSeconds = runArweaveJs(arweaveJsScript, gateways, file);
        if (single) {
          ours1 = runOurs(gateways, file, sha, 1);
        }
        ours = runOurs(gateways, file, sha, concurrency);
      }
      double mb = ((long) mib << 20) / 1e6;
      fig.put("chunks", ours.chunks);
      fig.put("ours_s", round(ours.seconds));
      fig.put("arweavejs_s", round(jsSeconds));
      fig.put("ours_mb_per_s", round(mb / ours.seconds));
      fig.put("arweavejs_mb_per_s", round(mb / jsSeconds));
      fig.put("ratio", round(jsSeconds / ours.seconds));
      fig.put("ours_bytes_ok", ours.bytesOk);
      if (ours1 != null) {
        fig.put("ours_single_s", round(ours1.seconds));
        fig.put("ours_single_mb_per_s", round(mb / ours1.seconds));
        fig.put("ratio_single", round(jsSeconds / ours1.seconds));
        fig.put("ours_single_bytes_ok", ours1.bytesOk);
      }
      fig.put("heap_before_mb", round(ours.heapBeforeBytes / 1e6));
      long peak = Math.max(ours.peakHeapBytes, ours1 == null ? 0 : ours1.peakHeapBytes);
      fig.put("peak_heap_mb", round(peak / 1e6));
      fig.put("max_heap_mb", round(Runtime.getRuntime().maxMemory() / 1e6));
      fig.put(
          "load_avg", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
      return fig;
    } catch (IOException e) {
      throw ArweaveErrors.dataUnreadable(file == null ? "a temporary file" : file.toString(), e);
    } finally {
      deleteQuietly(file);
    }
  }

  /**
   * One untimed upload of 1 MiB by our client, so that the first timed upload does not pay for
   * loading and compiling the JVM's HTTP client and crypto code (about 0.13 s of a 0.26 s first
   * upload of 1 MiB); each arweave-js run is timed inside an already started node.
   */
  public static void warmUp(Gateways gateways, int concurrency) {
    Path file = null;
    try {
      file = Files.createTempFile("arweave-bench-warm-up-", ".bin");
      byte[] sha = writeRandom(file, 1L << 20, -1);
      runOurs(gateways, file, sha, concurrency);
    } catch (IOException e) {
      throw ArweaveErrors.dataUnreadable(file == null ? "a temporary file" : file.toString(), e);
    } finally {
      deleteQuietly(file);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a leftover temporary file is harmless
      }
    }
  }

  private record Ours(
      double seconds, int chunks, long heapBeforeBytes, long peakHeapBytes, Boolean bytesOk) {}

  private static Ours runOurs(Gateways gateways, Path file, byte[] sha, int concurrency)
      throws IOException {
    try (Gateways.Lease lease = gateways.lease()) {
      return runOurs(lease.url(), file, sha, concurrency);
    }
  }

  private static Ours runOurs(URI gateway, Path file, byte[] sha, int concurrency)
      throws IOException {
    Wallet wallet = Wallet.generate(new SecureRandom());
    mint(gateway, wallet.address());
    ArweaveClient client =
        new ArweaveClient(ArweaveConfig.builder(gateway).chunkConcurrency(concurrency).build());
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = mem.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong(before);
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    long t0 = System.nanoTime();
    UploadResult r;
    try {
      r =
          client.upload(
              wallet,
              file,
              List.of(Tag.of("App-Name", "synthweave-bench")),
              UploadOptions.DEFAULTS);
    } finally {
      sampler.interrupt();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    try {
      sampler.join();
    } catch (InterruptedException e) {
      throw ArweaveErrors.interrupted("the benchmark", e);
    }
    // Untimed: does the gateway serve exactly the file? (arlocal orders a transaction's chunks by
    // arrival, not by the offset posted, so chunks in flight together can come back swapped.)
    // One try: arlocal builds a transaction's whole body in memory before the first byte, and
    // above a few hundred MiB it does not answer in time; the upload's figures still stand, and
    // the check is reported as not done (null) instead of failing the line.
    Boolean ok;
    try {
      ArweaveClient check =
          new ArweaveClient(
              ArweaveConfig.builder(gateway)
                  .maxAttempts(1)
                  .requestTimeout(java.time.Duration.ofMinutes(2))
                  .build());
      ok = MessageDigest.isEqual(sha, check.gateway().sha256(r.txId()));
    } catch (ArweaveException e) {
      System.err.println("bench arweave: could not read the upload back: " + e.getMessage());
      ok = null;
    }
    return new Ours(secs, r.chunks(), before, peak.get(), ok);
  }

  private static void mint(URI gateway, String address) {
    LocalArlocal.mint(gateway, address, "1000000000000000000000");
  }

  /** Runs the arweave-js upload and returns its own timing (file read to last chunk). */
  private static double runArweaveJs(Path script, Gateways gateways, Path file) throws IOException {
    try (Gateways.Lease lease = gateways.lease()) {
      return runArweaveJs(script, lease.url(), file);
    }
  }

  private static double runArweaveJs(Path script, URI gateway, Path file) throws IOException {
    Process p =
        new ProcessBuilder("node", script.toString(), gateway.toString(), file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (p.waitFor() != 0) {
        throw ArweaveErrors.localGatewayFailed("The arweave-js upload", out);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      throw ArweaveErrors.interrupted("The arweave-js upload", e);
    }
    String last = out.substring(out.lastIndexOf('\n') + 1);
    if (!last.matches(".*\"ms\":\\d+.*")) {
      throw ArweaveErrors.localGatewayFailed("The arweave-js upload", "unexpected output " + out);
    }
    return Long.parseLong(last.replaceAll(".*\"ms\":(\\d+).*", "$1")) / 1000.0;
  }

  /** Writes {@code bytes} seeded random bytes to {@code file} and returns their SHA-256. */
  private static byte[] writeRandom(Path file, long bytes, long seed) throws IOException {
    Random rnd = new Random(seed);
    MessageDigest sha = Hashes.sha256();
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long done = 0; done < bytes; done += buf.length) {
        rnd.nextBytes(buf);
        int n = (int) Math.min(buf.length, bytes - done);
        out.write(buf, 0, n);
        sha.update(buf, 0, n);
      }
    }
    return sha.digest();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
