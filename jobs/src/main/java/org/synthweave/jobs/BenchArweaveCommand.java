package org.synthweave.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.synthweave.arweave.ArweaveConfig;
import org.synthweave.arweave.bench.ArweaveBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code synthweave bench arweave}: upload throughput of our Arweave client against arweave-js on
 * arlocal, one JSON line per size ({@link ArweaveBench}). arlocal's time per chunk grows with every
 * chunk it already stores, so without {@code --gateway} each upload gets a fresh arlocal; which
 * client goes first alternates from one size (and repetition) to the next either way.
 */
@Command(
    name = "arweave",
    mixinStandardHelpOptions = true,
    description =
        "Upload throughput (MB/s) of our Arweave client vs arweave-js, seeded random data, each"
            + " upload on a fresh local arlocal (or all on --gateway), alternating which client"
            + " goes first, after one untimed warm-up upload of ours; one JSON line per size with"
            + " both speeds, the ratio and our peak heap. SYNTHWEAVE_ARLOCAL_OFFSET_INDEX=1 in the"
            + " environment indexes arlocal's chunk offsets (see docs/BENCHMARKS.md).")
final class BenchArweaveCommand implements Runnable {
  private static final String HARNESS = "storage-arweave/src/test/node";

  @Spec CommandSpec spec;

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "1,64",
      paramLabel = "MIB",
      description =
          "Data sizes in MiB, comma-separated (default ${DEFAULT-VALUE}). arlocal needs O(chunks²) time: 64 takes minutes per upload, 512 hours.")
  List<Integer> sizes;

  @Option(
      names = "--gateway",
      paramLabel = "URL",
      description = "A running arlocal on this machine to use instead of starting one per size.")
  URI gateway;

  @Option(
      names = "--repeat",
      defaultValue = "1",
      description = "Runs per size, alternating the order (default ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the random data (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--concurrency",
      description =
          "Our chunks in flight for ours_mb_per_s (default: the client's default, "
              + ArweaveConfig.DEFAULT_CHUNK_CONCURRENCY
              + "). Above 1, our client also uploads with one chunk in flight"
              + " (ours_single_mb_per_s), as arweave-js's uploader does.")
  int concurrency = ArweaveConfig.DEFAULT_CHUNK_CONCURRENCY;

  @Option(
      names = "--node-dir",
      paramLabel = "DIR",
      description =
          "The arlocal/arweave-js harness folder (default: " + HARNESS + " of this checkout).")
  Path nodeDir;

  @Override
  public void run() {
    if (sizes.isEmpty() || sizes.stream().anyMatch(s -> s == null || s < 1)) {
      throw JobErrors.atLeastOne("--sizes", sizes);
    }
    if (repeat < 1) {
      throw JobErrors.atLeastOne("--repeat", repeat);
    }
    if (concurrency < 1) {
      throw JobErrors.atLeastOne("--concurrency", concurrency);
    }
    if (gateway != null && !org.synthweave.arweave.Gateways.isLocal(gateway)) {
      throw JobErrors.benchGatewayNotLocal(gateway);
    }
    Path harness = nodeDir != null ? nodeDir : findHarness();
    Path script = harness.resolve("bench-arweavejs.js");
    if (!Files.isRegularFile(script)) {
      throw JobErrors.noBenchScript(harness, HARNESS);
    }
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper json = new ObjectMapper();
    System.err.println("bench arweave: one untimed 1 MiB upload by our client (JVM warm-up)");
    ArweaveBench.warmUp(gateways(harness), concurrency);
    int run = 0;
    for (int r = 0; r < repeat; r++) {
      for (int mib : sizes) {
        boolean oursFirst = run++ % 2 == 0;
        Map<String, Object> fig =
            ArweaveBench.compare(gateways(harness), script, mib, seed + r, oursFirst, concurrency);
        fig.put("gateway", gateway != null ? gateway.toString() : "fresh arlocal per upload");
        try {
          out.println(json.writeValueAsString(fig));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("figures are plain values", e);
        }
        out.flush();
      }
    }
  }

  /** Where uploads go: the --gateway arlocal, or a fresh arlocal per upload. */
  private ArweaveBench.Gateways gateways(Path harness) {
    return gateway != null
        ? ArweaveBench.Gateways.shared(gateway)
        : ArweaveBench.Gateways.freshArlocal(harness);
  }

  /** The harness of the checkout this runs from: searched upwards from the working directory. */
  private static Path findHarness() {
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(HARNESS).resolve("start-arlocal.js"))) {
        return p.resolve(HARNESS);
      }
    }
    throw JobErrors.noBenchHarness(HARNESS, Paths.get("").toAbsolutePath());
  }
}
