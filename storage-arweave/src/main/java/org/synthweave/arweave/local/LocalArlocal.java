package org.synthweave.arweave.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.synthweave.arweave.ArweaveErrors;

/**
 * A local arlocal gateway in its own process, bound to loopback only (it mints free tokens), and
 * stopped with its process tree by {@link #close()}. Installed if needed by the harness's {@code
 * install.sh}. Two kinds:
 *
 * <ul>
 *   <li>{@link #start}: a free port and a fresh database in a temporary folder, deleted on close
 *       (tests and {@code synthweave bench arweave});
 *   <li>{@link #serve}: a given port and a database kept in a given folder ({@code --persist}), so
 *       that the next start sees what was published; one process at a time per folder, held by a
 *       file lock ({@code publish.gateway = local}, {@code synthweave gateway}).
 * </ul>
 */
public final class LocalArlocal implements AutoCloseable {
  /** Time allowed for arlocal to answer {@code /info} after it was started. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);

  /** Time allowed for the first {@code npm install} (sqlite3 is compiled: about 3 minutes). */
  public static final Duration DEFAULT_INSTALL_TIMEOUT = Duration.ofMinutes(15);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Name of the lock file that a serving arlocal holds in its data folder. */
  public static final String LOCK_FILE = "arlocal.lock";

  private final Process process;
  private final Path workDir;
  private final int port;
  private final boolean keepData;
  private final FileChannel lock;

  private LocalArlocal(
      Process process, Path workDir, int port, boolean keepData, FileChannel lock) {
    this.process = process;
    this.workDir = workDir;
    this.port = port;
    this.keepData = keepData;
    this.lock = lock;
  }

  /**
   * Runs {@code nodeDir/install.sh} (a no-op when its node_modules is current), then starts arlocal
   * and waits until it answers.
   *
   * @param nodeDir the harness folder holding install.sh and start-arlocal.js
   */
  public static LocalArlocal start(Path nodeDir) {
    requireHarness(nodeDir);
    install(nodeDir);
    Path workDir;
    int port;
    try {
      workDir = Files.createTempDirectory("arlocal-");
      port = freePort();
    } catch (IOException e) {
      throw ArweaveErrors.localGatewayFailed("Starting arlocal", e.toString());
    }
    return launch(nodeDir, workDir, port, false, null, List.of());
  }

  /**
   * Starts arlocal on {@code port} of 127.0.0.1 with its database kept in {@code dataDir} (created
   * if needed), so that it serves what earlier runs published there, and waits until it answers.
   * Only one arlocal may use a data folder at a time: a second start while the first runs fails
   * with a message naming the folder.
   *
   * @param nodeDir the harness folder holding install.sh and start-arlocal.js
   * @param dataDir where the database and the log live
   * @param port the loopback port to listen on, 1..65535
   */
  public static LocalArlocal serve(Path nodeDir, Path dataDir, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
    requireHarness(nodeDir);
    FileChannel lock;
    try {
      Files.createDirectories(dataDir);
      lock =
          FileChannel.open(
              dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw ArweaveErrors.localGatewayFailed(
          "Starting arlocal in " + dataDir, "its data folder cannot be written: " + e);
    }
    try {
      if (lock.tryLock() == null) {
        throw ArweaveErrors.localGatewayFailed(
            "Starting arlocal in " + dataDir,
            "another process (a publish, or synthweave gateway) is serving this folder;"
                + " stop it or publish to its URL with --gateway");
      }
    } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
      closeQuietly(lock);
      throw ArweaveErrors.localGatewayFailed(
          "Starting arlocal in " + dataDir,
          "another process (a publish, or synthweave gateway) is serving this folder;"
              + " stop it or publish to its URL with --gateway");
    }
    try {
      if (!portFree(port)) {
        throw ArweaveErrors.localGatewayFailed(
            "Starting arlocal on 127.0.0.1:" + port,
            "the port is in use by another program; choose another port (publish.local.port)"
                + " or, if that program is an arlocal, publish to it with --gateway");
      }
      install(nodeDir);
      return launch(nodeDir, dataDir, port, true, lock, List.of("--persist"));
    } catch (RuntimeException e) {
      closeQuietly(lock);
      throw e;
    }
  }

  private static void requireHarness(Path nodeDir) {
    if (nodeDir == null || !Files.isRegularFile(nodeDir.resolve("start-arlocal.js"))) {
      throw ArweaveErrors.localGatewayFailed(
          "Starting arlocal", "no start-arlocal.js in " + nodeDir);
    }
  }

  private static LocalArlocal launch(
      Path nodeDir,
      Path workDir,
      int port,
      boolean keepData,
      FileChannel lock,
      List<String> extraFlags) {
    Process process;
    try {
      // --dbpath is relative to the working directory, and arlocal writes ./logs there too.
      List<String> command = new ArrayList<>();
      command.add("node");
      command.add(nodeDir.resolve("start-arlocal.js").toAbsolutePath().toString());
      command.add(Integer.toString(port));
      command.add("--hidelogs");
      command.add("--dbpath");
      command.add("db");
      command.addAll(extraFlags);
      process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(workDir.resolve("arlocal.log").toFile()))
              .start();
    } catch (IOException e) {
      closeQuietly(lock);
      throw ArweaveErrors.localGatewayFailed("Starting arlocal", e.toString());
    }
    LocalArlocal a = new LocalArlocal(process, workDir, port, keepData, lock);
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

  /**
   * Gives {@code address} {@code winston} free test tokens ({@code GET /mint}): arlocal charges
   * fees like a real gateway, but only a local one can mint.
   */
  public void mint(String address, String winston) {
    mint(url(), address, winston);
  }

  /** {@link #mint(String, String)} on an arlocal reached by URL (e.g. one a test started). */
  public static void mint(URI gateway, String address, String winston) {
    String what = "Funding wallet " + address + " on the local gateway";
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(gateway + "/mint/" + address + "/" + winston))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw ArweaveErrors.gatewayStatus(
            what, "GET", gateway + "/mint", r.statusCode(), r.body(), false);
      }
    } catch (IOException e) {
      throw ArweaveErrors.localGatewayFailed(what, e.toString());
    } catch (InterruptedException e) {
      throw ArweaveErrors.interrupted(what, e);
    }
  }

  /**
   * Mines a block ({@code GET /mine}), confirming every pending transaction: arlocal has no miners,
   * and GraphQL searches that skip pending transactions (the market's) see only mined ones.
   */
  public void mine() {
    String what = "Mining a block on the local gateway";
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url() + "/mine"))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw ArweaveErrors.gatewayStatus(
            what, "GET", url() + "/mine", r.statusCode(), r.body(), false);
      }
    } catch (IOException e) {
      throw ArweaveErrors.localGatewayFailed(what, e.toString());
    } catch (InterruptedException e) {
      throw ArweaveErrors.interrupted(what, e);
    }
  }

  /** The folder holding the database and arlocal.log. */
  public Path dataDir() {
    return workDir;
  }

  /** Blocks until arlocal exits (for a gateway served in the foreground). */
  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  /**
   * Stops arlocal and its children; deletes the database folder of a {@link #start}ed one and
   * releases the lock of a {@link #serve}d one.
   */
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
    if (keepData) {
      closeQuietly(lock);
      return;
    }
    try (Stream<Path> s = Files.walk(workDir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder is harmless
    }
  }

  private static void closeQuietly(FileChannel c) {
    if (c == null) {
      return;
    }
    try {
      c.close(); // releases the lock
    } catch (IOException e) {
      // the lock goes with the process anyway
    }
  }

  private static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
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
