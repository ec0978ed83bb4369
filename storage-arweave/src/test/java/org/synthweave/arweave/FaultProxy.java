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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.synthweave.arweave.chunk.DataPath;
import org.synthweave.arweave.crypto.Base64Url;

/**
 * A loopback HTTP proxy (public for the tests of other modules, through the test jar) between the
 * client and arlocal that injects faults with seeded randomness: 500 and 429 answers, connections
 * cut before or after forwarding, and replies slower than the client's timeout. It logs every chunk
 * POST in arrival order, validates each chunk's proof (which arlocal does not) the way a mainnet
 * node would, and logs the client's own confirmations in the same order, so a test can tell a
 * legitimate retry from a resend of a confirmed chunk.
 */
public final class FaultProxy implements AutoCloseable {
  /** Probabilities of each fault per request; the rest pass through untouched. */
  public record Faults(
      double error500,
      double error429,
      double cutBefore,
      double cutAfter,
      double slow,
      long slowMillis) {
    public static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0);
  }

  /**
   * One chunk POST as the proxy received it.
   *
   * @param seq position in the proxy's log, taken when the request arrived
   * @param offset the chunk's {@code offset} field
   * @param reachedGateway whether it was forwarded to arlocal (not refused or cut before)
   * @param answeredOk whether arlocal's 200 was written back (late, for a slow fault); the client
   *     may have given up before it arrived, so this alone is not a confirmation
   * @param proofValid whether its data_path proves the chunk against the data_root
   * @param connection the client's address and port: which TCP connection carried it
   */
  public record ChunkPost(
      long seq,
      long offset,
      boolean reachedGateway,
      boolean answeredOk,
      boolean proofValid,
      String connection) {}

  /** The client reporting that it received the 200 for the chunk at {@code offset}. */
  public record ClientConfirmation(long seq, long offset) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(16);
  private final HttpClient upstreamClient =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI upstream;
  private final Random random;
  private volatile Faults faults = Faults.NONE;
  private final List<ChunkPost> chunkPosts = new ArrayList<>();
  private final List<ClientConfirmation> confirmations = new ArrayList<>();
  private final List<String> txPosts = new ArrayList<>();
  // Arrival seq of the latest request on each connection (client address and port).
  private final Map<String, Long> lastArrivalOn = new HashMap<>();
  private int faultsInjected;
  // One sequence for request arrivals and client confirmations: the order both happened in.
  private long seq;
  // Requests being handled, so that reading the log waits for the ones already answered.
  private int inFlight;
  // The hold: after holdAfter chunk POSTs were answered 200, further ones wait for release.
  private int holdAfter = Integer.MAX_VALUE;
  private int chunksAnswered;
  private int held;
  // GET /{id} of these ids gets one byte of its 200 body flipped.
  private final java.util.Set<String> corrupted = new java.util.HashSet<>();
  // POST /tx beyond this many are refused (400) without reaching arlocal.
  private int txAllowed = Integer.MAX_VALUE;
  private int txForwarded;
  private CountDownLatch release = new CountDownLatch(0);
  // Chunk POSTs by arrival since slowAndRefuseChunks: the one numbered slowChunk gets arlocal's
  // answer late, the one numbered refuseChunk a permanent 400 without reaching arlocal.
  private int chunkArrivals;
  private int slowChunk = -1;
  private long slowChunkMillis;
  private int refuseChunk = -1;

  public FaultProxy(URI upstream, long seed) throws IOException {
    this.upstream = upstream;
    this.random = new Random(seed);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void faults(Faults f) {
    this.faults = f;
  }

  /**
   * Chunk POSTs in the order they arrived. Answers go out in another order (a slow reply finishes
   * after the retry it provoked), so logging at the end of a request would put a legitimate first
   * attempt after its retry's confirmation.
   */
  public synchronized List<ChunkPost> chunkPosts() {
    awaitQuiet();
    List<ChunkPost> l = new ArrayList<>(chunkPosts);
    l.sort(Comparator.comparingLong(ChunkPost::seq));
    return List.copyOf(l);
  }

  /**
   * Whether the client read the answer to {@code post} to its end: it was a 200, and the client
   * then sent another request over the same connection. The JDK client puts a connection back in
   * its pool only after reading the whole answer, and closes it when it gives up on an exchange, so
   * reuse proves receipt. Without reuse (the last request on a connection) this says false, which
   * means "not known", not "not received".
   */
  public synchronized boolean clientReadAnswer(ChunkPost post) {
    return post.answeredOk() && lastArrivalOn.getOrDefault(post.connection(), -1L) > post.seq();
  }

  public synchronized List<ClientConfirmation> confirmations() {
    awaitQuiet();
    return List.copyOf(confirmations);
  }

  public synchronized List<String> txPosts() {
    return List.copyOf(txPosts);
  }

  public synchronized int faultsInjected() {
    return faultsInjected;
  }

  public synchronized void resetCounts() {
    chunkPosts.clear();
    confirmations.clear();
    txPosts.clear();
    lastArrivalOn.clear();
    faultsInjected = 0;
    txAllowed = Integer.MAX_VALUE;
    corrupted.clear();
    slowChunk = -1;
    refuseChunk = -1;
    chunkArrivals = 0;
  }

  /**
   * Records that the client received the 200 for the chunk at {@code offset}: call it from the
   * upload's progress listener with {@link UploadProgress#chunkOffset()}.
   *
   * <p>Only chunks the client reports here count as confirmed. A 200 the proxy wrote into the
   * socket may reach a client that has already timed out (a slow gateway or a loaded machine); the
   * client then retries, rightly, because it never saw the answer. The proxy cannot tell from its
   * own clock whether the client was still waiting, so it does not try to.
   */
  public synchronized void clientConfirmed(long offset) {
    confirmations.add(new ClientConfirmation(seq++, offset));
  }

  /**
   * From now on, answers {@code n} more chunk POSTs and then holds every further one unanswered
   * until {@link #releaseHeld()}, so an uploading process can be stopped while a chunk is in flight
   * and with a known number of chunks confirmed.
   */
  public synchronized void holdChunksAfter(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    holdAfter = n;
    chunksAnswered = 0;
    held = 0;
    release = new CountDownLatch(1);
  }

  /**
   * Forwards {@code n} more {@code POST /tx} and refuses every further one with a 400 that does not
   * reach arlocal, the way a node refuses a transaction it will not take: an upload stops there
   * with an error, as if interrupted. {@link #resetCounts()} lifts the limit.
   */
  public synchronized void refuseTransactionsAfter(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    txAllowed = n;
    txForwarded = 0;
  }

  /**
   * From now on, the {@code slowNth} chunk POST to arrive (counting from 1) is forwarded to arlocal
   * but its answer is held back for {@code millis}, and the {@code refuseNth} one is refused with a
   * permanent 400 ({@code invalid_proof}) that does not reach arlocal: with two chunks in flight,
   * the upload fails while the slow chunk has been accepted and its answer is still on the way.
   * {@link #resetCounts()} ends it.
   */
  public synchronized void slowAndRefuseChunks(int slowNth, long millis, int refuseNth) {
    if (slowNth < 1 || refuseNth < 1 || millis < 0) {
      throw new IllegalArgumentException(
          "slowNth and refuseNth must be >= 1 and millis >= 0, got "
              + slowNth
              + ", "
              + refuseNth
              + ", "
              + millis);
    }
    chunkArrivals = 0;
    slowChunk = slowNth;
    slowChunkMillis = millis;
    refuseChunk = refuseNth;
  }

  /** The arrival number of this chunk POST under {@link #slowAndRefuseChunks}, else 0. */
  private synchronized int chunkArrival(boolean isChunk) {
    return isChunk && (slowChunk > 0 || refuseChunk > 0) ? ++chunkArrivals : 0;
  }

  private synchronized boolean refuseTx(boolean isTx) {
    if (!isTx) {
      return false;
    }
    if (txForwarded >= txAllowed) {
      return true;
    }
    txForwarded++;
    return false;
  }

  /**
   * Flips one byte in every successful {@code GET /{id}} answer for {@code id} from now on, the way
   * a faulty or malicious gateway would serve other data. {@link #resetCounts()} stops it.
   */
  public synchronized void corruptDownloadsOf(String id) {
    corrupted.add("/" + id);
  }

  private synchronized boolean corrupts(String method, String path) {
    return "GET".equals(method) && corrupted.contains(path);
  }

  /** Chunk POSTs waiting in the hold now or before. */
  public synchronized int held() {
    return held;
  }

  /** Ends the hold: held POSTs get their connection closed without reaching arlocal. */
  public void releaseHeld() {
    CountDownLatch l;
    synchronized (this) {
      holdAfter = Integer.MAX_VALUE;
      l = release;
    }
    l.countDown();
  }

  /** The latch to wait on when this chunk POST must be held, else null. */
  private synchronized CountDownLatch holdFor(boolean isChunk) {
    if (!isChunk || chunksAnswered < holdAfter) {
      return null;
    }
    held++;
    return release;
  }

  private synchronized int refuseChunkNo() {
    return refuseChunk;
  }

  private synchronized int slowChunkNo() {
    return slowChunk;
  }

  private synchronized long slowChunkMillis() {
    return slowChunkMillis;
  }

  private synchronized void chunkAnswered() {
    chunksAnswered++;
  }

  private synchronized long arrived(String connection) {
    inFlight++;
    lastArrivalOn.put(connection, seq);
    return seq++;
  }

  /**
   * Waits (at most 30 s) until no request is being handled: the client can read an answer and
   * finish its upload before the handler thread has logged the request it answered, and a test
   * reading the log right after the upload must see that request too. Held requests do not count.
   */
  private synchronized void awaitQuiet() {
    long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (inFlight > 0) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private synchronized void leave() {
    inFlight--;
    notifyAll();
  }

  private void handle(HttpExchange ex) throws IOException {
    String connection = ex.getRemoteAddress().toString();
    long arrival = arrived(connection);
    boolean counted = true;
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      String path = ex.getRequestURI().toString();
      boolean isChunk = "POST".equals(ex.getRequestMethod()) && path.equals("/chunk");
      CountDownLatch hold = holdFor(isChunk);
      if (hold != null) {
        counted = false;
        leave(); // a held request may wait for the test itself
        try {
          hold.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        cut(ex);
        recordChunk(true, arrival, connection, body, false, false);
        return;
      }
      int arrivalNo = chunkArrival(isChunk);
      if (arrivalNo > 0 && arrivalNo == refuseChunkNo()) {
        count();
        reply(ex, 400, "{\"error\":\"invalid_proof\"}".getBytes(StandardCharsets.UTF_8));
        recordChunk(true, arrival, connection, body, false, false);
        return;
      }
      boolean isTx = "POST".equals(ex.getRequestMethod()) && path.equals("/tx");
      if (refuseTx(isTx)) {
        reply(ex, 400, "injected refusal".getBytes(StandardCharsets.UTF_8));
        return;
      }
      double roll;
      synchronized (this) {
        roll = random.nextDouble();
      }
      Faults f = faults;
      double t = 0;
      if (roll < (t += f.error500())) {
        count();
        reply(ex, 500, "injected failure".getBytes(StandardCharsets.UTF_8));
        recordChunk(isChunk, arrival, connection, body, false, false);
        return;
      }
      if (roll < (t += f.error429())) {
        count();
        ex.getResponseHeaders().add("Retry-After", "0");
        reply(ex, 429, "injected rate limit".getBytes(StandardCharsets.UTF_8));
        recordChunk(isChunk, arrival, connection, body, false, false);
        return;
      }
      if (roll < (t += f.cutBefore())) {
        count();
        cut(ex);
        recordChunk(isChunk, arrival, connection, body, false, false);
        return;
      }
      boolean cutAfter = roll < (t += f.cutAfter());
      boolean slow = !cutAfter && roll < (t += f.slow());
      long slowMillis = f.slowMillis();
      if (arrivalNo > 0 && arrivalNo == slowChunkNo()) {
        cutAfter = false;
        slow = true;
        slowMillis = slowChunkMillis();
      }
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
          Thread.sleep(slowMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      boolean answeredOk = false;
      if (cutAfter) {
        cut(ex);
      } else {
        for (var h : r.headers().map().entrySet()) {
          if (h.getKey().equalsIgnoreCase("content-type")) {
            ex.getResponseHeaders().put(h.getKey(), h.getValue());
          }
        }
        byte[] answer = r.body();
        if (r.statusCode() == 200 && answer.length > 0 && corrupts(ex.getRequestMethod(), path)) {
          answer = answer.clone();
          answer[answer.length / 2] ^= 0x01;
        }
        try {
          reply(ex, r.statusCode(), answer);
          answeredOk = r.statusCode() == 200;
          if (answeredOk && isChunk) {
            chunkAnswered();
          }
        } catch (IOException e) {
          answeredOk = false; // the client closed the connection (gave up) before the answer
        }
      }
      recordChunk(isChunk, arrival, connection, body, true, answeredOk);
    } finally {
      if (counted) {
        leave();
      }
    }
  }

  private void recordChunk(
      boolean isChunk,
      long arrival,
      String connection,
      byte[] body,
      boolean reachedGateway,
      boolean answeredOk)
      throws IOException {
    if (!isChunk) {
      return;
    }
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
      chunkPosts.add(new ChunkPost(arrival, offset, reachedGateway, answeredOk, valid, connection));
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
    releaseHeld();
    server.stop(0);
    pool.shutdownNow();
  }
}
