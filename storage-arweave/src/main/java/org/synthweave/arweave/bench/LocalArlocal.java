package org.synthweave.arweave.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.synthweave.arweave.ArweaveErrors;

/**
 * A local arlocal gateway in its own process: installed if needed by the harness's {@code
 * install.sh}, started on a free loopback port with a fresh database in a temporary folder, and
 * stopped with its process tree by {@link #close()}. The test suites and {@code synthweave bench
 * arweave} use it; it mints free tokens, so it never binds other interfaces.
 */
public final class LocalArlocal implements AutoCloseable {
  /** Time allowed for arlocal to answer {@code /info} after it was started. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);

  /** Time allowed for the first {@code npm install} (sqlite3 is compiled: about 3 minutes). */
  public static final Duration DEFAULT_INSTALL_TIMEOUT = Duration.ofMinutes(15);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final Process process;
  private final Path workDir;
  private final int port;

  private LocalArlocal(Process process, Path workDir, int port) {
    this.process = process;
    this.workDir = workDir;
    this.port = port;
  }

  /**
   * Runs {@code nodeDir/install.sh} (a no-op when its node_modules is current), then starts arlocal
   * and waits until it answers.
   *
   * @param nodeDir the harness folder holding install.sh and start-arlocal.js
   */
  public static LocalArlocal start(Path nodeDir) {
    if (nodeDir == null || !Files.isRegularFile(nodeDir.resolve("start-arlocal.js"))) {
      throw ArweaveErrors.localGatewayFailed(
          "Starting arlocal", "no start-arlocal.js in " + nodeDir);
    }
    install(nodeDir);
    Path workDir;
    int port;
    Process process;
    try {
      workDir = Files.createTempDirectory("arlocal-");
      port = freePort();
      // --dbpath is relative to the working directory, and arlocal writes ./logs there too.
      process =
          new ProcessBuilder(
                  "node",
                  nodeDir.resolve("start-arlocal.js").toAbsolutePath().toString(),
                  Integer.toString(port),
                  "--hidelogs",
                  "--dbpath",
                  "db")
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(workDir.resolve("arlocal.log").toFile())
              .start();
    } catch (IOException e) {
      throw ArweaveErrors.localGatewayFailed("Starting arlocal", e.toString());
    }
    LocalArlocal a = new LocalArlocal(process, workDir, port);
    long deadline = System.nanoTime() + DEFAULT_START_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        String log = a.log();
        a.close();
        throw ArweaveErrors.localGatewayFailed("Starting arlocal", "it exited at once:\n" + log);
      }
      if (a.answers()) {
        return a;
      }
      if (System.nanoTime() > deadline) {
        a.close();
        throw ArweaveErrors.localGatewayFailed(
            "Starting arlocal", "it did not answer /info within " + DEFAULT_START_TIMEOUT);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        a.close();
        throw ArweaveErrors.interrupted("Starting arlocal", e);
      }
    }
  }

  /** Runs the harness's install.sh, serialized by the script itself; fails with its output. */
  public static void install(Path nodeDir) {
    try {
      Path log = Files.createTempFile("arlocal-install", ".log");
      try {
        Process p =
            new ProcessBuilder("bash", nodeDir.resolve("install.sh").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(DEFAULT_INSTALL_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
          p.descendants().forEach(ProcessHandle::destroy);
          p.destroyForcibly();
          throw ArweaveErrors.localGatewayFailed(
              "Installing arlocal", "install.sh did not finish in " + DEFAULT_INSTALL_TIMEOUT);
        }
        if (p.exitValue() != 0) {
          throw ArweaveErrors.localGatewayFailed(
              "Installing arlocal",
              "install.sh exited with "
                  + p.exitValue()
                  + ":\n"
                  + Files.readString(log, StandardCharsets.UTF_8));
        }
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw ArweaveErrors.localGatewayFailed("Installing arlocal", e.toString());
    } catch (InterruptedException e) {
      throw ArweaveErrors.interrupted("Installing arlocal", e);
    }
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  /** Stops arlocal and its children and deletes its database folder. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> s = Files.walk(workDir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder is harmless
    }
  }

  private boolean answers() {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(URI.create(url() + "/info"))
                      .timeout(Duration.ofSeconds(2))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String log() {
    try {
      Path f = workDir.resolve("arlocal.log");
      return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
