package org.synthweave.arweave;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.synthweave.arweave.local.LocalArlocal;

/**
 * A real arlocal gateway for one test class ({@link LocalArlocal}: installed if needed, a free
 * loopback port, a temporary database, the process tree killed after the class). Register it with
 * {@code @RegisterExtension static final ArlocalGateway ARLOCAL = new ArlocalGateway();}.
 */
public final class ArlocalGateway implements BeforeAllCallback, AfterAllCallback {
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private LocalArlocal arlocal;

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
  public static void install() {
    LocalArlocal.install(nodeDir());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    arlocal = LocalArlocal.start(nodeDir());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (arlocal != null) {
      arlocal.close();
      arlocal = null;
    }
  }

  public URI url() {
    return arlocal.url();
  }

  public int port() {
    return arlocal.port();
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
}
