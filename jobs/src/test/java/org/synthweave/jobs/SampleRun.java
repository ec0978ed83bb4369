package org.synthweave.jobs;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.synthweave.core.testing.SparkTestBase;

/**
 * One {@code synthweave run} on the bundled samples per test JVM, shared by the tests that need a
 * whole pipeline's warehouse (RunPublishTest asserts on the run itself, NotebooksTest executes the
 * notebooks on its warehouse): the run takes minutes, so it runs once, on first use, into {@code
 * jobs/target/sample-run}, emptied first. Tests that use it must leave its tables as they are,
 * except RunPublishTest's rerun, which changes none of them.
 *
 * @param dir the fixture's folder
 * @param warehouse the run's warehouse
 * @param conf the job config the run used ({@link #conf(Path, Path, int)})
 * @param port the warehouse's local gateway port ({@code publish.local.port})
 * @param first the run's exit code and output
 */
record SampleRun(Path dir, Path warehouse, Path conf, int port, CliRun first) {
  private static SampleRun shared;

  /** The run, made on the first call in this JVM. */
  static synchronized SampleRun get() throws IOException {
    if (shared == null) {
      Path dir = SparkTestBase.repoRoot().resolve("jobs/target/sample-run");
      deleteRecursively(dir);
      Files.createDirectories(dir);
      Path wh = dir.resolve("wh");
      int port = freePort();
      Path conf = conf(dir, wh, port);
      long start = System.nanoTime();
      CliRun first = CliRun.of("--conf", conf.toString(), "run");
      System.out.printf(
          "SampleRun: run exited %d after %d s%n",
          first.code(), (System.nanoTime() - start) / 1_000_000_000L);
      shared = new SampleRun(dir, wh, conf, port, first);
    }
    return shared;
  }

  /**
   * A job config over the embedded default: absolute sample paths (tests run in jobs/), a few
   * crawled pages instead of all, one telemetry file, the copula synthesizer.
   */
  static Path conf(Path dir, Path wh, int port) throws IOException {
    Path root = SparkTestBase.repoRoot();
    Path html = root.resolve("data/samples/crawl/html/python3.11/tutorial");
    String text =
        String.join(
            "\n",
            "warehouse = " + quote(wh),
            "spark.master = \"local[2]\"",
            "spark.conf { \"spark.driver.host\" = \"127.0.0.1\" }",
            "ingest.crawl.inputs = ["
                + quote(html.resolve("appetite.html"))
                + ", "
                + quote(html.resolve("venv.html"))
                + "]",
            "ingest.telemetry.inputs = ["
                + quote(root.resolve("data/samples/telemetry/readings.csv"))
                + "]",
            "ingest.telemetry.schema = " + quote(root.resolve("conf/telemetry-schema.conf")),
            "ingest.telemetry.devices = " + quote(root.resolve("conf/devices.csv")),
            "ingest.table.wine.inputs = ["
                + quote(root.resolve("data/samples/tables/wine.csv"))
                + "]",
            "synth.synthesizer = copula",
            "publish.local.port = " + port,
            "");
    Path conf = dir.resolve("job.conf");
    Files.writeString(conf, text, StandardCharsets.UTF_8);
    return conf;
  }

  private static String quote(Path p) {
    return "\"" + p.toAbsolutePath().toString().replace("\\", "\\\\") + "\"";
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
