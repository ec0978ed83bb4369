package org.synthweave.arweave.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.ArweaveConfig;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.upload.UploadOptions;
import org.synthweave.arweave.upload.UploadResult;
import org.synthweave.arweave.wallet.Wallet;

/**
 * Uploads N MiB of seeded random (non-repeating) data to a running arlocal and prints one JSON
 * line: {@code ours_mb_per_s}, {@code peak_heap_mb} (MemoryMXBean sampled every 5 ms) and, with
 * {@code --arweavejs <bench-arweavejs.js>}, the same upload timed with arweave-js.
 *
 * <pre>
 * java -Xmx256m -cp ... org.synthweave.arweave.bench.ArweaveBench --gateway http://127.0.0.1:1984
 *     --mb 256 [--concurrency 1] [--seed 1] [--arweavejs src/test/node/bench-arweavejs.js]
 * </pre>
 *
 * arlocal stores chunks in arrival order, so concurrency above 1 is only meaningful against a real
 * node; the default is 1.
 */
public final class ArweaveBench {
  private ArweaveBench() {}

  public static void main(String[] args) throws Exception {
    URI gateway = URI.create(arg(args, "--gateway", "http://127.0.0.1:1984"));
    int mb = Integer.parseInt(arg(args, "--mb", "64"));
    int concurrency = Integer.parseInt(arg(args, "--concurrency", "1"));
    long seed = Long.parseLong(arg(args, "--seed", "1"));
    String jsScript = arg(args, "--arweavejs", null);

    Path file = Files.createTempFile("arweave-bench-", ".bin");
    try {
      writeRandom(file, (long) mb << 20, seed);
      Wallet wallet = Wallet.generate(new SecureRandom());
      HttpClient http = HttpClient.newHttpClient();
      http.send(
          HttpRequest.newBuilder(
                  URI.create(gateway + "/mint/" + wallet.address() + "/1000000000000000000000"))
              .build(),
          HttpResponse.BodyHandlers.discarding());
      ArweaveClient client =
          new ArweaveClient(ArweaveConfig.builder(gateway).chunkConcurrency(concurrency).build());

      MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
      System.gc();
      AtomicLong peak = new AtomicLong(mem.getHeapMemoryUsage().getUsed());
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
              });
      sampler.setDaemon(true);
      sampler.start();
      long t0 = System.nanoTime();
      UploadResult r =
          client.upload(
              wallet,
              file,
              List.of(Tag.of("App-Name", "synthweave-bench")),
              UploadOptions.DEFAULTS);
      double secs = (System.nanoTime() - t0) / 1e9;
      sampler.interrupt();
      sampler.join();
      double ours = mb / secs;

      StringBuilder json = new StringBuilder();
      json.append(
          String.format(
              Locale.ROOT,
              "{\"mb\":%d,\"concurrency\":%d,\"chunks\":%d,\"seconds\":%.3f,\"ours_mb_per_s\":%.2f,"
                  + "\"peak_heap_mb\":%.1f,\"max_heap_mb\":%.0f",
              mb,
              concurrency,
              r.chunks(),
              secs,
              ours,
              peak.get() / 1048576.0,
              Runtime.getRuntime().maxMemory() / 1048576.0));
      if (jsScript != null) {
        double jsSecs = runArweaveJs(jsScript, gateway, file);
        double js = mb / jsSecs;
        json.append(
            String.format(
                Locale.ROOT, ",\"arweavejs_mb_per_s\":%.2f,\"ratio\":%.2f", js, ours / js));
      }
      System.out.println(json.append('}'));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static double runArweaveJs(String script, URI gateway, Path file)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("node", script, gateway.toString(), file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("arweave-js benchmark failed: " + out);
    }
    String last = out.substring(out.lastIndexOf('\n') + 1);
    long ms = Long.parseLong(last.replaceAll(".*\"ms\":(\\d+).*", "$1"));
    return ms / 1000.0;
  }

  private static void writeRandom(Path file, long bytes, long seed) throws IOException {
    Random rnd = new Random(seed);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long done = 0; done < bytes; done += buf.length) {
        rnd.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(buf.length, bytes - done));
      }
    }
  }

  private static String arg(String[] args, String name, String dflt) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return dflt;
  }
}
