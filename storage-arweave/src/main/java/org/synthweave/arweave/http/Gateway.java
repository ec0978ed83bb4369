package org.synthweave.arweave.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.synthweave.arweave.ArweaveConfig;
import org.synthweave.arweave.ArweaveErrors;
import org.synthweave.arweave.ArweaveException;
import org.synthweave.arweave.Gateways;
import org.synthweave.arweave.crypto.Base64Url;
import org.synthweave.arweave.crypto.Hashes;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.tx.Transaction;
import org.synthweave.arweave.tx.TxLimits;

/**
 * The HTTP API of an Arweave node or gateway (arweave.net, a miner, or arlocal). Every call retries
 * on connection errors, timeouts, 429, 5xx and the node's retryable chunk errors, with the backoff
 * of {@link RetryPolicy}; other failures are thrown at once with the node's reason. Thread-safe.
 */
public final class Gateway {
  /** Redirects followed for one request before it fails. */
  public static final int MAX_REDIRECTS = 5;

  /** Chunk errors after which the same chunk may succeed later ({@code ar_http_iface}). */
  public static final Set<String> RETRYABLE_CHUNK_ERRORS =
      Set.of("data_root_not_found", "not_joined", "timeout", "exceeds_disk_pool_size_limit");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;
  private final RetryPolicy retry;
  private final ArweaveConfig config;

  public Gateway(ArweaveConfig config) {
    this(config, new Random(config.jitterSeed()));
  }

  /**
   * A gateway client whose retry jitter comes from {@code jitter} (inject a seeded one in tests).
   */
  public Gateway(ArweaveConfig config, Random jitter) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    this.config = config;
    this.base = config.gateway();
    this.retry =
        new RetryPolicy(config.maxAttempts(), config.initialBackoff(), config.maxBackoff(), jitter);
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.connectTimeout())
            // Redirects are followed by redirected() below, which checks where each one leads.
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public URI url() {
    return base;
  }

  /** {@code GET /info}: network, height, current block and so on. */
  public JsonNode info() {
    return json("info", getText("GET /info", "/info"));
  }

  /** {@code GET /tx_anchor}: a recent block hash to use as {@code last_tx}. */
  public String txAnchor() {
    return getText("GET /tx_anchor", "/tx_anchor").strip();
  }

  /** {@code GET /price/{bytes}}: the fee in winston for storing {@code bytes} bytes. */
  public String price(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
    }
    return getText("GET /price", "/price/" + bytes).strip();
  }

  /** {@code GET /wallet/{address}/balance} in winston. */
  public String balance(String address) {
    return getText("GET balance", "/wallet/" + requireId(address, "address") + "/balance").strip();
  }

  /** GETs {@code path} and returns the body text; for endpoints without a typed method. */
  public String getText(String what, String path) {
    return send(
            what,
            () -> request(path).GET().build(),
            HttpResponse.BodyHandlers.ofString(),
            this::judge)
        .body();
  }

  /**
   * {@code POST /tx}. Checks mainnet limits first (arlocal does not). A duplicate of an already
   * accepted transaction (HTTP 208, or a retry after a lost answer) counts as success.
   */
  public void postTx(Transaction tx) {
    if (tx == null || !tx.isSigned()) {
      throw new IllegalArgumentException("tx must be a signed transaction");
    }
    String body = tx.toJson();
    TxLimits.check(tx, body.getBytes(StandardCharsets.UTF_8).length);
    String id = tx.id();
    String url = base + "/tx";
    try {
      send(
          "POST /tx " + id,
          () ->
              request("/tx")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
          HttpResponse.BodyHandlers.ofString(),
          r -> {
            int s = r.statusCode();
            if (s / 100 == 2) {
              return null;
            }
            if (s == 410) {
              return ArweaveErrors.insufficientFunds(
                  id, url, tx.ownerAddress(), tx.dataSize(), r.body());
            }
            if (s == 429 || s >= 500) {
              return ArweaveErrors.gatewayStatus("POST /tx " + id, "POST", url, s, r.body(), true);
            }
            return ArweaveErrors.txRejected(id, url, s, r.body());
          });
    } catch (ArweaveException e) {
      // A retried POST may be refused because the first attempt arrived after all.
      if (e.status() != 410 && status(id).state() != TxStatus.State.NOT_FOUND) {
        return;
      }
      throw e;
    }
  }

  /** {@code POST /chunk} of one chunk with its proof; {@code offset} is the chunk's last byte. */
  public void postChunk(
      String txId, String dataRoot, long dataSize, long offset, byte[] dataPath, byte[] chunk) {
    String body =
        "{\"data_root\":\""
            + dataRoot
            + "\",\"data_size\":\""
            + dataSize
            + "\",\"data_path\":\""
            + Base64Url.encode(dataPath)
            + "\",\"offset\":\""
            + offset
            + "\",\"chunk\":\""
            + Base64Url.encode(chunk)
            + "\"}";
    if (body.length() > TxLimits.MAX_BODY_BYTES) {
      throw ArweaveErrors.bodyTooLarge(body.length(), TxLimits.MAX_BODY_BYTES);
    }
    String url = base + "/chunk";
    send(
        "POST /chunk " + txId + " offset " + offset,
        () ->
            request("/chunk")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
        HttpResponse.BodyHandlers.ofString(),
        r -> {
          int s = r.statusCode();
          String reason = errorField(r.body());
          if (s / 100 == 2 && reason == null) {
            return null;
          }
          if (reason == null) {
            reason = r.body();
          }
          boolean retryable = s == 429 || s >= 500 || RETRYABLE_CHUNK_ERRORS.contains(reason);
          return ArweaveErrors.chunkRejected(txId, offset, url, s, reason, retryable);
        });
  }

  /** {@code GET /tx/{id}/status}; a {@code Pending} body means pending whatever the status code. */
  public TxStatus status(String id) {
    requireId(id, "id");
    HttpResponse<String> r =
        send(
            "GET /tx/" + id + "/status",
            () -> request("/tx/" + id + "/status").GET().build(),
            HttpResponse.BodyHandlers.ofString(),
            resp -> {
              int s = resp.statusCode();
              if (s / 100 == 2 || s == 404 || resp.body().strip().startsWith("Pending")) {
                return null;
              }
              return judge(resp);
            });
    String body = r.body().strip();
    if (body.startsWith("Pending")) {
      return TxStatus.PENDING;
    }
    if (r.statusCode() == 404) {
      return TxStatus.NOT_FOUND;
    }
    JsonNode n = json("status of " + id, body);
    return new TxStatus(
        TxStatus.State.CONFIRMED,
        n.path("block_height").asLong(-1),
        n.path("block_indep_hash").asText(null),
        n.path("number_of_confirmations").asLong(0));
  }

  /** {@code GET /tx/{id}}: the signed header. */
  public Transaction transaction(String id) {
    requireId(id, "id");
    HttpResponse<String> r =
        send(
            "GET /tx/" + id,
            () -> request("/tx/" + id).GET().build(),
            HttpResponse.BodyHandlers.ofString(),
            resp ->
                resp.statusCode() == 404
                    ? ArweaveErrors.notFound(id, base.toString())
                    : judge(resp));
    return Transaction.fromJson(r.body());
  }

  /** {@code GET /{id}}: the raw data of a transaction or bundled data item, in memory. */
  public byte[] data(String id) {
    requireId(id, "id");
    return send(
            "GET /" + id,
            () -> request("/" + id).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray(),
            resp ->
                resp.statusCode() == 404
                    ? ArweaveErrors.notFound(id, base.toString())
                    : judgeBytes(resp))
        .body();
  }

  /**
   * {@code GET /{id}} in memory, refusing a body over {@code maxBytes}: a declared Content-Length
   * over the limit is refused before any byte is read, and an undeclared body is cut off as soon as
   * it passes the limit, so a hostile gateway or publisher cannot make the reader hold more.
   */
  public byte[] dataAtMost(String id, long maxBytes) {
    requireId(id, "id");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
    }
    String url = base + "/" + id;
    return send(
            "GET /" + id,
            () -> request("/" + id).GET().build(),
            info -> {
              if (info.statusCode() / 100 != 2) {
                return new CappedBody(4096, null);
              }
              long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
              if (declared > maxBytes) {
                throw ArweaveErrors.dataTooLarge(id, url, declared, maxBytes);
              }
              return new CappedBody(
                  maxBytes, () -> ArweaveErrors.dataTooLarge(id, url, -1, maxBytes));
            },
            resp ->
                resp.statusCode() == 404
                    ? ArweaveErrors.notFound(id, base.toString())
                    : judgeBytes(resp))
        .body();
  }

  /**
   * A body held in memory up to a limit: past it, the exchange is cancelled with the error {@code
   * tooLarge} makes, or (when that is null, for error bodies) the rest is dropped.
   */
  private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final long max;
    private final Supplier<ArweaveException> tooLarge;
    private final java.io.ByteArrayOutputStream held = new java.io.ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private java.util.concurrent.Flow.Subscription subscription;

    CappedBody(long max, Supplier<ArweaveException> tooLarge) {
      this.max = max;
      this.tooLarge = tooLarge;
    }

    @Override
    public java.util.concurrent.CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<java.nio.ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (java.nio.ByteBuffer b : items) {
        int n = b.remaining();
        if (held.size() + (long) n > max) {
          if (tooLarge != null) {
            subscription.cancel();
            result.completeExceptionally(tooLarge.get());
            return;
          }
          n = (int) (max - held.size());
        }
        byte[] bytes = new byte[n];
        b.get(bytes);
        held.write(bytes, 0, n);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(held.toByteArray());
    }
  }

  /**
   * Streams {@code GET /{path}} into {@code target} (via a temporary file renamed at the end) and
   * returns the SHA-256 of the bytes. A broken stream restarts the download.
   */
  public byte[] download(String path, Path target) {
    requireId(path, "path");
    if (target == null) {
      throw new IllegalArgumentException("target must not be null");
    }
    return fetch(path, target);
  }

  /** Streams {@code GET /{path}} without storing it and returns the SHA-256 of the bytes. */
  public byte[] sha256(String path) {
    requireId(path, "path");
    return fetch(path, null);
  }

  private byte[] fetch(String path, Path target) {
    Path part = target == null ? null : target.resolveSibling(target.getFileName() + ".part");
    String what = "GET /" + path;
    ArweaveException last = null;
    for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
      long retryAfter = 0;
      try {
        Streamed s = stream(request("/" + path).GET().build(), part);
        if (s.status == 404) {
          throw ArweaveErrors.notFound(path, base.toString());
        }
        if (s.status / 100 != 2) {
          boolean retryable = s.status == 429 || s.status >= 500;
          last =
              ArweaveErrors.gatewayStatus(
                  what, "GET", base + "/" + path, s.status, s.errorBody(), retryable);
          if (!retryable) {
            throw last;
          }
          retryAfter = s.retryAfterMillis;
        } else {
          if (part != null) {
            moveIntoPlace(what, part, target);
          }
          return s.digest.digest();
        }
      } catch (IOException e) {
        last = ArweaveErrors.gatewayUnreachable(what, "GET", base + "/" + path, e);
      } catch (InterruptedException e) {
        throw ArweaveErrors.interrupted(what, e);
      }
      if (attempt < retry.maxAttempts()) {
        sleep(what, retry.delayMillis(attempt, retryAfter));
      }
    }
    throw ArweaveErrors.retriesExhausted(what, retry.maxAttempts(), last);
  }

  /**
   * Renames the finished {@code part} to {@code target}. A failure here is this machine's (a folder
   * in the way, no permission), so it is reported as such and not retried.
   */
  private static void moveIntoPlace(String what, Path part, Path target) {
    try {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw ArweaveErrors.downloadUnwritable(what, target, e);
    }
  }

  /** Opens {@code part} for the body; a file that cannot be created is this machine's failure. */
  private static OutputStream openPart(String what, Path part) {
    if (part == null) {
      return OutputStream.nullOutputStream();
    }
    try {
      return Files.newOutputStream(part);
    } catch (IOException e) {
      throw ArweaveErrors.downloadUnwritable(what, part, e);
    }
  }

  /** What {@link #stream} received: the status, the body's SHA-256, and an error body prefix. */
  private static final class Streamed {
    final MessageDigest digest = Hashes.sha256();
    final java.io.ByteArrayOutputStream error = new java.io.ByteArrayOutputStream();
    volatile int status;
    volatile java.net.http.HttpHeaders headers;
    volatile long retryAfterMillis;
    volatile long lastProgressNanos = System.nanoTime();

    String errorBody() {
      return error.toString(StandardCharsets.UTF_8);
    }
  }

  /**
   * Streams a response body into a digest (and {@code part}, when given) as the bytes arrive. The
   * JDK's request timeout stops at the response headers and an {@code InputStream} body has no read
   * timeout, so a server that stalls mid-body would hang the caller: here the exchange is cancelled
   * when no byte has arrived for the request timeout, however long the whole body takes.
   */
  private Streamed stream(HttpRequest req, Path part) throws IOException, InterruptedException {
    HttpRequest current = req;
    for (int hop = 0; ; hop++) {
      Streamed s = streamOnce(current, part);
      HttpRequest next = redirected(current, s.status, s.headers, hop);
      if (next == null) {
        return s;
      }
      current = next;
    }
  }

  private Streamed streamOnce(HttpRequest req, Path part) throws IOException, InterruptedException {
    Streamed s = new Streamed();
    String what = req.method() + " " + req.uri().getPath();
    OutputStream out = openPart(what, part);
    try {
      HttpResponse.BodyHandler<Void> handler =
          info -> {
            s.status = info.statusCode();
            s.headers = info.headers();
            s.retryAfterMillis =
                info.headers().firstValue("Retry-After").map(Gateway::parseRetryAfter).orElse(0L);
            boolean ok = info.statusCode() / 100 == 2;
            return HttpResponse.BodySubscribers.ofByteArrayConsumer(
                chunk -> {
                  s.lastProgressNanos = System.nanoTime();
                  if (chunk.isEmpty()) {
                    return;
                  }
                  byte[] b = chunk.get();
                  if (ok) {
                    s.digest.update(b);
                    try {
                      out.write(b);
                    } catch (IOException e) {
                      // A write that fails is this machine's (disk full, file gone), not the
                      // gateway's: it ends the exchange with its own error, which is not retried.
                      throw ArweaveErrors.downloadUnwritable(what, part, e);
                    }
                  } else if (s.error.size() < 4096) {
                    s.error.write(b, 0, Math.min(b.length, 4096 - s.error.size()));
                  }
                });
          };
      awaitBody(http.sendAsync(req, handler), s);
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        out.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    try {
      out.close();
    } catch (IOException e) {
      throw ArweaveErrors.downloadUnwritable(what, part, e);
    }
    return s;
  }

  /**
   * Waits for the exchange {@code f} to end, cancelling it when no byte has arrived for the request
   * timeout. A failure to store the body arrives as the {@link ArweaveException} the body consumer
   * threw and is passed on as it is.
   */
  private void awaitBody(CompletableFuture<HttpResponse<Void>> f, Streamed s)
      throws IOException, InterruptedException {
    long idleNanos = config.requestTimeout().toNanos();
    while (true) {
      try {
        f.get(Math.min(1000, config.requestTimeout().toMillis()), TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException e) {
        if (System.nanoTime() - s.lastProgressNanos > idleNanos) {
          f.cancel(true);
          throw new HttpTimeoutException(
              "no bytes for " + config.requestTimeout().toMillis() + " ms");
        }
      } catch (InterruptedException e) {
        f.cancel(true);
        throw e;
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        for (Throwable t = c; t != null; t = t.getCause()) {
          if (t instanceof ArweaveException local) {
            throw local;
          }
        }
        if (c instanceof IOException io) {
          throw io;
        }
        if (c instanceof RuntimeException re) {
          throw re;
        }
        throw new IOException(c);
      }
    }
  }

  /** One page of a GraphQL {@code transactions} query; {@code after} is null for the first. */
  public TxPage page(GraphQlQuery query, String after) {
    if (query == null) {
      throw new IllegalArgumentException("query must not be null");
    }
    String doc = JSON.createObjectNode().put("query", query.toGraphQl(after)).toString();
    String url = base + "/graphql";
    HttpResponse<String> r =
        send(
            "POST /graphql",
            () ->
                request("/graphql")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(doc))
                    .build(),
            HttpResponse.BodyHandlers.ofString(),
            this::judge);
    JsonNode root = json("GraphQL answer", r.body());
    if (root.hasNonNull("errors")) {
      throw ArweaveErrors.graphqlErrors(url, root.get("errors").toString());
    }
    JsonNode tx = root.path("data").path("transactions");
    List<TxNode> nodes = new ArrayList<>();
    for (JsonNode edge : tx.path("edges")) {
      JsonNode n = edge.path("node");
      List<Tag> tags = new ArrayList<>();
      for (JsonNode t : n.path("tags")) {
        tags.add(Tag.of(t.path("name").asText(), t.path("value").asText()));
      }
      JsonNode block = n.path("block");
      nodes.add(
          new TxNode(
              n.path("id").asText(),
              n.path("owner").path("address").asText(null),
              List.copyOf(tags),
              n.path("data").path("size").asLong(0),
              n.path("data").path("type").asText(null),
              block.isNull() || block.isMissingNode() ? -1 : block.path("height").asLong(-1),
              block.isNull() || block.isMissingNode() ? -1 : block.path("timestamp").asLong(-1),
              edge.path("cursor").asText(null)));
    }
    return new TxPage(List.copyOf(nodes), tx.path("pageInfo").path("hasNextPage").asBoolean(false));
  }

  /** All results of {@code query}, following cursors page by page, up to {@code limit}. */
  public List<TxNode> findAll(GraphQlQuery query, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    List<TxNode> all = new ArrayList<>();
    String cursor = null;
    while (all.size() < limit) {
      TxPage p = page(query, cursor);
      all.addAll(p.nodes());
      if (!p.hasNextPage() || p.nodes().isEmpty()) {
        break;
      }
      cursor = p.nextCursor();
    }
    return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
  }

  // ---- plumbing ----

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(config.requestTimeout());
  }

  private <T> HttpResponse<T> send(
      String what,
      Supplier<HttpRequest> request,
      HttpResponse.BodyHandler<T> handler,
      Function<HttpResponse<T>, ArweaveException> judge) {
    ArweaveException last = null;
    for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
      HttpRequest req = request.get();
      long retryAfter = 0;
      try {
        HttpResponse<T> r = exchange(req, handler);
        ArweaveException e = judge.apply(r);
        if (e == null) {
          return r;
        }
        if (!e.retryable()) {
          throw e;
        }
        last = e;
        retryAfter = retryAfterMillis(r);
      } catch (IOException e) {
        last = ArweaveErrors.gatewayUnreachable(what, req.method(), req.uri().toString(), e);
      } catch (InterruptedException e) {
        throw ArweaveErrors.interrupted(what, e);
      }
      if (attempt < retry.maxAttempts()) {
        sleep(what, retry.delayMillis(attempt, retryAfter));
      }
    }
    throw ArweaveErrors.retriesExhausted(what, retry.maxAttempts(), last);
  }

  /**
   * Sends and reads the whole response within the request timeout. The JDK's own timeout stops at
   * the response headers, so a server that stalls in the body would otherwise hang a worker.
   */
  private <T> HttpResponse<T> exchange(HttpRequest req, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    HttpResponse.BodyHandler<T> skipRedirectBodies =
        info ->
            isRedirect(info.statusCode(), info.headers())
                ? HttpResponse.BodySubscribers.replacing(null)
                : handler.apply(info);
    HttpRequest current = req;
    for (int hop = 0; ; hop++) {
      HttpResponse<T> r = exchangeOnce(current, skipRedirectBodies);
      HttpRequest next = redirected(current, r.statusCode(), r.headers(), hop);
      if (next == null) {
        return r;
      }
      current = next;
    }
  }

  private static boolean isRedirect(int status, java.net.http.HttpHeaders headers) {
    return (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
        && headers.firstValue("Location").isPresent();
  }

  /**
   * The request to send after a redirect answer, or null when {@code status} is no redirect. A
   * redirect is followed only where {@link Gateways#redirectAllowed} allows it (so a local gateway
   * cannot send an upload to mainnet), a request with a body only to the same place with the same
   * method (307, 308), and at most {@link #MAX_REDIRECTS} times; anything else fails.
   */
  private static HttpRequest redirected(
      HttpRequest current, int status, java.net.http.HttpHeaders headers, int hop) {
    if (!isRedirect(status, headers)) {
      return null;
    }
    String location = headers.firstValue("Location").orElseThrow();
    String what = current.method() + " " + current.uri();
    URI target;
    try {
      target = current.uri().resolve(location.strip());
    } catch (IllegalArgumentException e) {
      throw ArweaveErrors.redirectRefused(what, location, "it is not a valid URL");
    }
    boolean hasBody = !"GET".equals(current.method());
    if (!Gateways.redirectAllowed(current.uri(), target, hasBody)) {
      throw ArweaveErrors.redirectRefused(
          what,
          target.toString(),
          hasBody
              ? "a request with a body is only sent again to the same scheme, host and port"
              : "it leaves the gateway for "
                  + (Gateways.isLocal(current.uri()) ? "another machine" : "another kind of host"));
    }
    if (hasBody && status != 307 && status != 308) {
      throw ArweaveErrors.redirectRefused(
          what,
          target.toString(),
          "answer " + status + " would turn the " + current.method() + " into a GET");
    }
    if (hop >= MAX_REDIRECTS) {
      throw ArweaveErrors.redirectRefused(
          what, target.toString(), "more than " + MAX_REDIRECTS + " redirects in a row");
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(current, (name, value) -> true).uri(target);
    if (status == 303) {
      b.GET();
    }
    return b.build();
  }

  private <T> HttpResponse<T> exchangeOnce(HttpRequest req, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<T>> f = http.sendAsync(req, handler);
    try {
      return f.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new HttpTimeoutException(
          "no complete answer within " + config.requestTimeout().toMillis() + " ms");
    } catch (InterruptedException e) {
      f.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      for (Throwable t = c; t != null; t = t.getCause()) {
        if (t instanceof ArweaveException refused) {
          throw refused; // our own verdict on the answer (a body over its limit), not a fault
        }
      }
      if (c instanceof IOException) {
        throw (IOException) c;
      }
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      throw new IOException(c);
    }
  }

  private ArweaveException judge(HttpResponse<String> r) {
    int s = r.statusCode();
    if (s / 100 == 2) {
      return null;
    }
    boolean retryable = s == 429 || s >= 500;
    return ArweaveErrors.gatewayStatus(
        r.request().method() + " " + r.uri().getPath(),
        r.request().method(),
        r.uri().toString(),
        s,
        r.body(),
        retryable);
  }

  private ArweaveException judgeBytes(HttpResponse<byte[]> r) {
    int s = r.statusCode();
    if (s / 100 == 2) {
      return null;
    }
    String body = new String(r.body(), 0, Math.min(r.body().length, 4096), StandardCharsets.UTF_8);
    return ArweaveErrors.gatewayStatus(
        "GET " + r.uri().getPath(), "GET", r.uri().toString(), s, body, s == 429 || s >= 500);
  }

  private static long retryAfterMillis(HttpResponse<?> r) {
    return r.headers().firstValue("Retry-After").map(Gateway::parseRetryAfter).orElse(0L);
  }

  /** Retry-After in seconds as milliseconds; an HTTP date falls back to our own backoff (0). */
  private static long parseRetryAfter(String v) {
    try {
      return Long.parseLong(v.strip()) * 1000;
    } catch (NumberFormatException e) {
      return 0L;
    }
  }

  private static void sleep(String what, long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw ArweaveErrors.interrupted(what, e);
    }
  }

  private static String errorField(String body) {
    if (body == null || body.isBlank() || body.charAt(0) != '{') {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(body);
      JsonNode e = n.get("error");
      return e == null || e.isNull() ? null : e.asText();
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private JsonNode json(String what, String body) {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw ArweaveErrors.gatewayStatus(what, "GET", base.toString(), 200, body, false);
    }
  }

  private static String requireId(String id, String name) {
    if (id == null || id.isEmpty() || id.contains("..") || id.startsWith("/")) {
      throw new IllegalArgumentException(name + " must be a non-empty id or path, got " + id);
    }
    return id;
  }
}
