package org.synthweave.arweave.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthweave.arweave.ArweaveConfig;
import org.synthweave.arweave.ArweaveException;

/**
 * {@link Gateway#dataAtMost}: a body over the limit is refused whether its length is declared or it
 * is streamed without one, and is not retried; a body within the limit arrives whole.
 */
class DataLimitTest {
  private static final int LIMIT = 10_000;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          requests.incrementAndGet();
          String path = ex.getRequestURI().getPath();
          int n = Integer.parseInt(path.substring(path.lastIndexOf('-') + 1));
          byte[] body = new byte[n];
          Arrays.fill(body, (byte) 'x');
          // "chunked-N" streams without a Content-Length; "sized-N" declares it.
          ex.sendResponseHeaders(200, path.contains("chunked") ? 0 : n);
          try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < n; i += 1000) {
              out.write(body, i, Math.min(1000, n - i));
            }
          } catch (java.io.IOException e) {
            // the client hung up on an oversized body, as it should
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Gateway gateway() {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    return new Gateway(
        ArweaveConfig.builder(url)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
            .requestTimeout(Duration.ofSeconds(10))
            .build());
  }

  @Test
  void aBodyWithinTheLimitArrivesWhole() {
    byte[] expected = new byte[LIMIT];
    Arrays.fill(expected, (byte) 'x');
    assertArrayEquals(expected, gateway().dataAtMost("sized-" + LIMIT, LIMIT));
    assertArrayEquals(expected, gateway().dataAtMost("chunked-" + LIMIT, LIMIT));
  }

  @Test
  void aDeclaredOrStreamedBodyOverTheLimitIsRefusedOnce() {
    for (String id : new String[] {"sized-" + (LIMIT + 1), "chunked-" + (5 * LIMIT)}) {
      requests.set(0);
      ArweaveException e =
          assertThrows(ArweaveException.class, () -> gateway().dataAtMost(id, LIMIT));
      assertTrue(e.getMessage().contains("over the limit of " + LIMIT), e.getMessage());
      assertEquals(1, requests.get(), id + ": a refusal is not retried");
    }
  }
}
