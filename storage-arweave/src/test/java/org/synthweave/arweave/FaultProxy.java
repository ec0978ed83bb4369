package org.synthweave.arweave;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.synthweave.arweave.chunk.DataPath;
import org.synthweave.arweave.crypto.Base64Url;

/**
 * A loopback HTTP proxy between the client and arlocal that injects faults with seeded randomness:
 * 500 and 429 answers, connections cut before or after forwarding, and replies slower than the
 * client's timeout. It records what reaches arlocal, and validates every chunk's proof (which
 * arlocal does not) the way a mainnet node would.
 */
final class FaultProxy implements AutoCloseable {
  /** Probabilities of each fault per request; the rest pass through untouched. */
  record Faults(
      double error500,
      double error429,
      double cutBefore,
      double cutAfter,
      double slow,
      long slowMillis) {
    static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0);
  }

  /** One chunk POST that reached arlocal, and whether the client got its success answer. */
  record ChunkEvent(long offset, boolean deliveredOk, boolean proofValid) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(16);
  private final HttpClient upstreamClient =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI upstream;
  private final Random random;
  private volatile Faults faults = Faults.NONE;
  private final List<ChunkEvent> chunkEvents = new ArrayList<>();
  private final List<String> txPosts = new ArrayList<>();
  private int faultsInjected;

  FaultProxy(URI upstream, long seed) throws IOException {
    this.upstream = upstream;
    this.random = new Random(seed);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void faults(Faults f) {
    this.faults = f;
  }

  synchronized List<ChunkEvent> chunkEvents() {
    return List.copyOf(chunkEvents);
  }

  synchronized List<String> txPosts() {
    return List.copyOf(txPosts);
  }

  synchronized int faultsInjected() {
    return faultsInjected;
  }

  synchronized void resetCounts() {
    chunkEvents.clear();
    txPosts.clear();
    faultsInjected = 0;
  }

  /**
   * The client's request timeout: a reply sent after it reached a client that had already given up,
   * so that chunk does not count as confirmed even though the proxy wrote its answer.
   */
  void clientTimeout(java.time.Duration timeout) {
    clientTimeoutNanos = timeout.toNanos();
  }

  private volatile long clientTimeoutNanos = Long.MAX_VALUE;

  private void handle(HttpExchange ex) throws IOException {
    long receivedNanos = System.nanoTime();
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      String path = ex.getRequestURI().toString();
      double roll;
      synchronized (this) {
        roll = random.nextDouble();
      }
      Faults f = faults;
      double t = 0;
      if (roll < (t += f.error500())) {
        count();
        reply(ex, 500, "injected failure".getBytes());
        return;
      }
      if (roll < (t += f.error429())) {
        count();
        ex.getResponseHeaders().add("Retry-After", "0");
        reply(ex, 429, "injected rate limit".getBytes());
        return;
      }
      if (roll < (t += f.cutBefore())) {
        count();
        cut(ex);
        return;
      }
      boolean cutAfter = roll < (t += f.cutAfter());
      boolean slow = !cutAfter && roll < (t += f.slow());
      HttpRequest.Builder rb =
          HttpRequest.newBuilder(URI.create(upstream + path))
              .method(
                  ex.getRequestMethod(),
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      String ct = ex.getRequestHeaders().getFirst("Content-Type");
      if (ct != null) {
        rb.header("Content-Type", ct);
      }
      HttpResponse<byte[]> r;
      try {
        r = upstreamClient.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      boolean isChunk = "POST".equals(ex.getRequestMethod()) && path.equals("/chunk");
      if ("POST".equals(ex.getRequestMethod()) && path.equals("/tx")) {
        synchronized (this) {
          txPosts.add(JSON.readTree(body).path("id").asText());
        }
      }
      if (cutAfter || slow) {
        count();
      }
      if (slow) {
        try {
          Thread.sleep(f.slowMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      boolean delivered = false;
      if (cutAfter) {
        cut(ex);
      } else {
        for (var h : r.headers().map().entrySet()) {
          if (h.getKey().equalsIgnoreCase("content-type")) {
            ex.getResponseHeaders().put(h.getKey(), h.getValue());
          }
        }
        try {
          // Written into the socket is not seen by the client: arlocal can take longer than the
          // client waits (it assembles the data on the last chunk), and then the client retries.
          boolean inTime = System.nanoTime() - receivedNanos < clientTimeoutNanos;
          reply(ex, r.statusCode(), r.body());
          delivered = r.statusCode() == 200 && !slow && inTime;
        } catch (IOException e) {
          delivered = false; // the client gave up (timeout) before the answer arrived
        }
      }
      if (isChunk) {
        recordChunk(body, delivered);
      }
    }
  }

  private void recordChunk(byte[] body, boolean deliveredOk) throws IOException {
    JsonNode c = JSON.readTree(body);
    long offset = Long.parseLong(c.path("offset").asText());
    boolean valid;
    try {
      DataPath.validate(
          Base64Url.decode(c.path("data_root").asText(), "data_root"),
          Long.parseLong(c.path("data_size").asText()),
          offset,
          Base64Url.decode(c.path("data_path").asText(), "data_path"),
          Base64Url.decode(c.path("chunk").asText(), "chunk"));
      valid = true;
    } catch (ArweaveException e) {
      valid = false;
    }
    synchronized (this) {
      chunkEvents.add(new ChunkEvent(offset, deliveredOk, valid));
    }
  }

  private synchronized void count() {
    faultsInjected++;
  }

  private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Promises a body and closes the connection without it: the client sees a broken stream. */
  private static void cut(HttpExchange ex) {
    try {
      ex.sendResponseHeaders(200, 1000);
      ex.getResponseBody().close();
    } catch (IOException expected) {
      // closing short of the promised length is the point: the server drops the connection
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
