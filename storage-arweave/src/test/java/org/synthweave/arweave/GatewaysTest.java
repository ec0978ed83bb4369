package org.synthweave.arweave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.synthweave.arweave.crypto.Hashes;
import org.synthweave.arweave.http.Gateway;

/**
 * "Local" is judged by the resolved address, not the spelling; and the gateway client follows no
 * redirect that would take a request off the machine (or a body anywhere but where it was sent).
 */
class GatewaysTest {
  private static HttpServer server;
  private static final List<String> requests = new CopyOnWriteArrayList<>();
  private static volatile String[] chunkRedirect = {"307", "/chunk"};

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:1984",
        "http://localhost:1984",
        "http://[::1]:1984",
        "http://[::ffff:127.0.0.1]:1984",
        "http://[::ffff:7f00:1]:1984",
        "http://2130706433:1984",
        "https://127.0.0.1",
        "http://127.255.255.254:1984",
      })
  void loopbackSpellingsAreLocal(String url) {
    assertTrue(Gateways.isLocal(URI.create(url)), url);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1.evil.example:1984",
        "http://127.0.0.1.nip.io.invalid:1984",
        "http://localhost.evil.example:1984",
        "https://arweave.net",
        "http://203.0.113.7:1984",
        "http://0.0.0.0:1984",
        "http://[::]:1984",
        // Java reads this as decimal 177.0.0.1, and so would the HTTP client: not loopback.
        "http://0177.0.0.1:1984",
        // Not an address Java accepts (the URL has no host either).
        "http://0x7f.1:1984",
        "http://127.1:1984",
        "ftp://127.0.0.1/",
        "file:///tmp/x",
      })
  void otherHostsAreNot(String url) {
    assertFalse(Gateways.isLocal(URI.create(url)), url);
  }

  @Test
  void hostSpellingsAreJudgedByWhatTheyResolveTo() throws Exception {
    for (String h : List.of("localhost", "[::1]", "::1", "2130706433", "::ffff:127.0.0.1")) {
      assertTrue(Gateways.isLocalHost(h), h);
      assertTrue(InetAddress.getByName(h).isLoopbackAddress(), h);
    }
    for (String h : List.of("", "127.0.0.1 ", "127.0.0.1\0.evil", "0177.0.0.1", "evil.invalid")) {
      assertFalse(Gateways.isLocalHost(h), h);
    }
    assertFalse(Gateways.isLocalHost(null));
  }

  @BeforeAll
  static void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    Map<String, String> redirects =
        Map.of(
            "/moved", "/info",
            "/away", "http://203.0.113.7:1984/info",
            "/evil", "http://127.0.0.1.evil.example:1984/info",
            "/loop", "/loop",
            "/bad", "http://[zz/",
            "/dl", "/file",
            "/dl-away", "http://203.0.113.7:1984/file");
    server.createContext(
        "/",
        x -> {
          String path = x.getRequestURI().getPath();
          requests.add(x.getRequestMethod() + " " + path);
          x.getRequestBody().readAllBytes();
          byte[] body;
          if (path.equals("/chunk")) {
            x.getResponseHeaders().add("Location", chunkRedirect[1]);
            x.sendResponseHeaders(Integer.parseInt(chunkRedirect[0]), -1);
            x.close();
            return;
          }
          if (redirects.containsKey(path)) {
            x.getResponseHeaders().add("Location", redirects.get(path));
            body = "moved".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(302, body.length);
          } else if (path.equals("/info")) {
            body = "{\"network\":\"test\"}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
          } else if (path.equals("/file")) {
            body = "the file".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
          } else {
            body = new byte[0];
            x.sendResponseHeaders(404, -1);
          }
          if (body.length > 0) {
            x.getResponseBody().write(body);
          }
          x.close();
        });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static Gateway gateway(String base) {
    return new Gateway(ArweaveConfig.builder(URI.create(base)).maxAttempts(1).build());
  }

  private static String local() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void aRedirectOnTheSameGatewayIsFollowed(@TempDir Path dir) {
    Gateway g = gateway(local());
    assertEquals("{\"network\":\"test\"}", g.getText("GET /moved", "/moved"));
    Path target = dir.resolve("f");
    byte[] sha = g.download("dl", target);
    assertArrayEquals(Hashes.sha256("the file".getBytes(StandardCharsets.UTF_8)), sha);
  }

  @Test
  void aRedirectOffTheMachineIsRefused(@TempDir Path dir) throws Exception {
    Gateway g = gateway(local());
    for (String p : List.of("/away", "/evil")) {
      ArweaveException e = assertThrows(ArweaveException.class, () -> g.getText("GET " + p, p));
      assertTrue(e.getMessage().contains("was not followed"), e.getMessage());
      assertFalse(e.retryable());
    }
    ArweaveException e =
        assertThrows(ArweaveException.class, () -> g.download("dl-away", dir.resolve("f")));
    assertTrue(e.getMessage().contains("203.0.113.7"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("f")));
  }

  @Test
  void endlessOrBrokenRedirectsFail() {
    Gateway g = gateway(local());
    ArweaveException loop = assertThrows(ArweaveException.class, () -> g.getText("loop", "/loop"));
    assertTrue(loop.getMessage().contains("redirects in a row"), loop.getMessage());
    ArweaveException bad = assertThrows(ArweaveException.class, () -> g.getText("bad", "/bad"));
    assertTrue(bad.getMessage().contains("not a valid URL"), bad.getMessage());
  }

  @Test
  void aPostIsNeverSentAnywhereElse() {
    Gateway g = gateway(local());
    // Another origin, though local too ("localhost" for 127.0.0.1): the body is not re-sent.
    for (String to :
        List.of(
            "http://203.0.113.7:1984/chunk",
            "http://localhost:" + server.getAddress().getPort() + "/chunk")) {
      chunkRedirect = new String[] {"307", to};
      requests.clear();
      ArweaveException e =
          assertThrows(
              ArweaveException.class,
              () -> g.postChunk("tx", "root", 10, 9, new byte[] {1}, new byte[] {2}));
      assertTrue(e.getMessage().contains("same scheme, host and port"), e.getMessage());
      assertEquals(List.of("POST /chunk"), requests, "posted once, and only here");
    }
    // Same origin, but 302 would turn the POST into a GET that "succeeds" without the chunk.
    chunkRedirect = new String[] {"302", "/elsewhere"};
    requests.clear();
    ArweaveException e =
        assertThrows(
            ArweaveException.class,
            () -> g.postChunk("tx", "root", 10, 9, new byte[] {1}, new byte[] {2}));
    assertTrue(e.getMessage().contains("into a GET"), e.getMessage());
    assertEquals(List.of("POST /chunk"), requests);
  }

  /**
   * A download the gateway serves but this machine cannot store (no folder where the file goes, a
   * full disk, a folder in the way of the finished file) is reported as this machine's failure,
   * naming the file, and is not retried; it used to read as "got no answer" from the gateway.
   */
  @Test
  void aLocalWriteFailureIsReportedAsLocal(@TempDir Path dir) throws Exception {
    Gateway g = new Gateway(ArweaveConfig.builder(URI.create(local())).maxAttempts(3).build());
    Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a folder");
    Path full = dir.resolve("full.bin");
    // Every write to /dev/full fails with ENOSPC, as on a full disk.
    Files.createSymbolicLink(dir.resolve("full.bin.part"), Path.of("/dev/full"));
    Path occupied = dir.resolve("occupied.bin");
    Files.createDirectories(occupied.resolve("inside"));
    // target -> the file the message must name
    Map<Path, Path> cases =
        Map.of(
            blocker.resolve("out.bin"),
            blocker.resolve("out.bin.part"),
            full,
            dir.resolve("full.bin.part"),
            occupied,
            occupied);
    for (Map.Entry<Path, Path> c : cases.entrySet()) {
      requests.clear();
      ArweaveException e =
          assertThrows(ArweaveException.class, () -> g.download("file", c.getKey()));
      String m = e.getMessage();
      assertTrue(m.contains("on this machine, not at the gateway"), m);
      assertTrue(m.contains("cannot write " + c.getValue() + " ("), m);
      assertFalse(m.contains("got no answer"), m);
      assertFalse(e.retryable(), m);
      assertTrue(requests.size() <= 1, "asked once at most, not retried: " + requests);
    }
    ArweaveException diskFull =
        assertThrows(ArweaveException.class, () -> g.download("file", full));
    assertTrue(diskFull.getMessage().contains("No space left on device"), diskFull.getMessage());
  }
}
