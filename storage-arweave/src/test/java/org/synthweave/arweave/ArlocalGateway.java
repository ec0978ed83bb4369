package org.synthweave.arweave;

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
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real arlocal gateway for one test class: installs the node harness if needed ({@code
 * src/test/node/install.sh}), starts arlocal on a free loopback port with a temporary database,
 * waits for {@code /info}, and kills the process tree after the class. Register it with
 * {@code @RegisterExtension static final ArlocalGateway ARLOCAL = new ArlocalGateway();}.
 */
public final class ArlocalGateway implements BeforeAllCallback, AfterAllCallback {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(15);

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Process process;
  private Path workDir;
  private int port;

  /** The folder holding package.json, install.sh and the node scripts. */
  public static Path nodeDir() {
    String root = System.getProperty("synthweave.repo.root");
    Path p =
        root != null
            ? Paths.get(root, "storage-arweave", "src", "test", "node")
            : Paths.get("src", "test", "node");
    if (!Files.isDirectory(p)) {
      p = Paths.get("src", "test", "node");
    }
    return p.toAbsolutePath();
  }

  /** Runs install.sh (a no-op when node_modules is current). */
  public static synchronized void install() throws IOException, InterruptedException {
    Path log = Files.createTempFile("arlocal-install", ".log");
    Process p =
        new ProcessBuilder("bash", nodeDir().resolve("install.sh").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(INSTALL_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroyForcibly();
      throw new IllegalStateException("install.sh did not finish in " + INSTALL_TIMEOUT);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    if (p.exitValue() != 0) {
      throw new IllegalStateException("install.sh failed (exit " + p.exitValue() + "):\n" + out);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    install();
    workDir = Files.createTempDirectory("arlocal-");
    port = freePort();
    // --dbpath is relative to the working directory, and arlocal writes ./logs there too.
    process =
        new ProcessBuilder(
                "node",
                nodeDir().resolve("start-arlocal.js").toString(),
                Integer.toString(port),
                "--hidelogs",
                "--dbpath",
                "db")
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("arlocal.log").toFile())
            .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("arlocal exited at start:\n" + log());
      }
      try {
        if (getStatus("/info") == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        afterAll(context);
        throw new IllegalStateException("arlocal did not answer /info in " + START_TIMEOUT);
      }
      Thread.sleep(200);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (process != null) {
      List<ProcessHandle> children = process.descendants().toList();
      process.destroy();
      children.forEach(ProcessHandle::destroy);
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      process = null;
    }
    if (workDir != null) {
      try (Stream<Path> s = Files.walk(workDir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      workDir = null;
    }
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  /** A client config for this gateway with short backoffs so that fault tests stay quick. */
  public ArweaveConfig.Builder config() {
    return ArweaveConfig.builder(url())
        .backoff(Duration.ofMillis(20), Duration.ofMillis(300))
        .requestTimeout(Duration.ofSeconds(20));
  }

  /** Mines one block, confirming every pending transaction. */
  public void mine() throws IOException, InterruptedException {
    get("/mine");
  }

  /** Credits {@code winston} to {@code address}. */
  public void mint(String address, String winston) throws IOException, InterruptedException {
    get("/mint/" + address + "/" + winston);
  }

  public String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private int getStatus(String path) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private String log() throws IOException {
    Path f = workDir.resolve("arlocal.log");
    return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "(no log)";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
