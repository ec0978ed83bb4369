package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.ArweaveException;
import org.synthweave.arweave.local.LocalArlocal;
import org.synthweave.arweave.wallet.Wallet;
import org.synthweave.core.testing.SparkTestBase;

/**
 * The embedded default gateway ({@code publish.gateway = local}): publish starts its own arlocal
 * with the data in the warehouse, funds an empty wallet there, stops it, and the next start serves
 * what was published; one server per folder; a missing harness is refused before any work.
 */
class LocalGatewayTest {
  private static final Pattern MANIFEST_ID = Pattern.compile("manifest (\\S+) \\(");

  private static CliRun job(Path warehouse, String... args) {
    return CliRun.inWarehouse(warehouse, args);
  }

  @Test
  void publishServesItsOwnGatewayAndTheNextStartSeesThePublishedData(@TempDir Path dir)
      throws Exception {
    Path wh = dir.resolve("wh");
    Path wine = SparkTestBase.repoRoot().resolve("data/samples/tables/wine.csv");
    CliRun ingested = job(wh, "ingest-table", "wine", wine.toString());
    assertEquals(0, ingested.code(), ingested.err());
    // A wallet with no tokens: on the local gateway publish funds it itself.
    Path key = dir.resolve("key.json");
    Wallet.generate(new SecureRandom()).save(key);
    int port = freePort();

    // No --gateway and no publish.gateway: the default is the local gateway.
    CliRun published =
        job(
            wh,
            "--set",
            "publish.local.port=" + port,
            "publish",
            "silver/wine",
            "0",
            "--wallet",
            key.toString());
    assertEquals(0, published.code(), published.out() + published.err());
    assertTrue(
        published.err().contains("local gateway: serving http://127.0.0.1:" + port),
        published.err());
    Matcher id = MANIFEST_ID.matcher(published.out());
    assertTrue(id.find(), published.out());
    assertTrue(portFree(port), "publish stops its gateway when it is done");
    Path data = wh.resolve("arweave/arlocal");
    assertTrue(Files.isDirectory(data.resolve("db")), "the gateway's data is in the warehouse");

    Path harness = SparkTestBase.repoRoot().resolve(LocalGateway.HARNESS);
    try (LocalArlocal again = LocalArlocal.serve(harness, data, port)) {
      // What the first gateway accepted, the second one serves: a buyer's verify --id passes.
      CliRun verified =
          CliRun.of("verify", "--id", id.group(1), "--gateway", again.url().toString());
      assertEquals(0, verified.code(), verified.out() + verified.err());
      assertTrue(verified.out().contains("OK silver_wine version 0"), verified.out());

      // One server per folder: a second one (a concurrent publish) is refused with the reason.
      ArweaveException busy =
          assertThrows(ArweaveException.class, () -> LocalArlocal.serve(harness, data, freePort()));
      assertTrue(busy.getMessage().contains("another process"), busy.getMessage());
    }
    assertTrue(portFree(port));
  }

  @Test
  void aMissingHarnessIsRefusedBeforeAnyWork(@TempDir Path dir) {
    Path wh = dir.resolve("wh");
    Path key = dir.resolve("key.json");
    Wallet.generate(new SecureRandom()).save(key);
    CliRun r =
        job(
            wh,
            "--set",
            "publish.local.node-dir=" + dir.resolve("no-harness"),
            "publish",
            "silver/wine",
            "0",
            "--wallet",
            key.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("start-arlocal.js"), r.err());
    assertTrue(r.err().contains("publish.local.node-dir"), r.err());
    assertFalse(Files.exists(wh.resolve("datasets")), "nothing exported");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
