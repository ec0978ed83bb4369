package org.synthweave.market.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.synthweave.market.CatalogSearch;
import org.synthweave.market.Listing;
import org.synthweave.market.ListingDataException;
import org.synthweave.market.ListingDetail;
import org.synthweave.market.ListingSource;
import org.synthweave.market.Preview;

/**
 * {@code synthweave market serve}: the catalog as web pages and a JSON/Arrow API, on Jetty 12 core.
 * Jetty because it is well kept (Eclipse Foundation, regular security releases), small when used
 * through its core Handler API without the servlet layer (jetty-server, -http, -io, -util and
 * slf4j-api), and already the engine under Spark's UI (shaded there as {@code
 * org.sparkproject.jetty}, so the two never clash) and Javalin.
 *
 * <h2>Routes (GET only; anything else is 405)</h2>
 *
 * <ul>
 *   <li>{@code /}: the search page (a plain GET form, works without JavaScript); parameters in
 *       {@link SearchForm}. An empty query lists every listing that passes the filters.
 *   <li>{@code /listings/ID}: the listing page.
 *   <li>{@code /api/search?q=...&kind=...}: the hits as JSON (same parameters as the page, plus
 *       {@code mode=hybrid|bm25|vector} and {@code k}).
 *   <li>{@code /api/listings/ID}: the catalog row and what the gateway says now, as JSON.
 *   <li>{@code /api/listings/ID/preview?rows=N}: the first rows (N capped at {@link
 *       Options#maxPreviewRows()}) as JSON, or as an Arrow IPC stream ({@value
 *       PreviewArrow#MEDIA_TYPE}) when the Accept header names that type or {@code format=arrow}.
 *   <li>{@code /static/market.css}: the one style sheet, from the classpath.
 * </ul>
 *
 * <h2>Security</h2>
 *
 * Listing text is untrusted. Every page value goes through {@link Html#escape}; pages carry no
 * script at all and every response has {@code Content-Security-Policy: default-src 'none';
 * style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri
 * 'none'}, {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer} and {@code
 * X-Frame-Options: DENY}. Ids must match the Arweave id pattern before any lookup, no file path is
 * taken from a request, links go only to http(s) gateways. Limits: request line and headers {@link
 * Options#maxRequestHeaderBytes()} (larger: 414 or 431), connection idle timeout, a bounded thread
 * pool with a bounded queue, gateway reads on their own bounded pool with a deadline (504 past it),
 * query length and preview rows capped.
 *
 * <h2>Stable element ids and classes (the browser tests rely on them)</h2>
 *
 * <ul>
 *   <li>Every page: {@code a#home}, {@code main}; error pages {@code h1#error-status}, {@code
 *       p#error}.
 *   <li>Search page: {@code form#search-form} with {@code input#q} (name {@code q}), {@code
 *       select#kind}, {@code input#license}, {@code input#min-rows} (name {@code min_rows}), {@code
 *       input#min-quality} (name {@code min_quality}), {@code input#include-unverified} (checkbox,
 *       name {@code include_unverified}), {@code select#sort}, {@code button#search-button}; {@code
 *       p#result-count}; {@code ol#results} of {@code li.result[data-id]}, each with {@code
 *       a.result-title} (href {@code /listings/ID}), {@code span.badge.badge-verified} or {@code
 *       span.badge.badge-unverified}, {@code p.result-description}, {@code span.kind}, {@code
 *       span.rows}, {@code span.quality}, {@code span.license}, {@code span.published}, {@code
 *       span.owner}, and {@code p.reason} when unverified; {@code p#no-results} when nothing
 *       matches.
 *   <li>Listing page: {@code article#listing[data-id]}, {@code h1#listing-title}, {@code
 *       span#badge} (holding the badge span), {@code p#status-reason} (unverified), {@code
 *       p#detail-problem} (gateway read failed or the re-check found a problem); {@code
 *       section#card} with {@code p#description}, {@code ul#keywords > li.keyword}, {@code
 *       dl#facts}; {@code section#schema-section} with {@code table#schema} ({@code
 *       td.column-name}, {@code td.column-type}); {@code section#certificate} with {@code
 *       p#certificate-summary}, {@code table#checks} of {@code tr.check.check-pass} or {@code
 *       tr.check.check-fail} ({@code td.check-name}, {@code td.check-column}, {@code
 *       td.check-metric}, {@code td.check-outcome} holding {@code span.badge-pass} or {@code
 *       span.badge-fail}, {@code td.check-value}, {@code td.check-threshold}), {@code
 *       p#certificate-missing} when unreadable, {@code table#synthetic-figures}, {@code
 *       table#fidelity-figures}; {@code section#fidelity} with {@code figure.plot >
 *       svg.fidelity-plot} ({@code rect.bar-real}, {@code rect.bar-synthetic}); {@code
 *       section#provenance} ({@code dl#provenance-facts}, {@code table#lineage}); {@code
 *       section#license-section} ({@code dl#license-terms}); {@code section#get} with {@code
 *       code#get-command}, {@code ul#files} of {@code a.file-link} ({@code a#manifest-link} first);
 *       {@code section#preview-section} with {@code table#preview} and {@code p#preview-note}, or
 *       {@code p#preview-problem}.
 * </ul>
 *
 * <p>Start one in a test with {@code new MarketServer(listings, search::search, source,
 * Options.defaults().withPort(0)).start()}, then {@link #uri()}; {@link #close()} stops it.
 */
public final class MarketServer implements AutoCloseable {
  /** The Content-Security-Policy of every response. */
  public static final String CSP =
      "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self';"
          + " frame-ancestors 'none'; base-uri 'none'";

  private static final Pattern ARWEAVE_ID = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final String HTML = "text/html; charset=utf-8";
  private static final String JSON = "application/json";
  private static final String CSS_RESOURCE = "/org/synthweave/market/serve/market.css";

  /** A search over the catalog; {@link CatalogSearch#search} is one. */
  @FunctionalInterface
  public interface Search {
    List<CatalogSearch.Hit> search(
        String text,
        CatalogSearch.Mode mode,
        CatalogSearch.Filters filters,
        CatalogSearch.Sort sort,
        int k);
  }

  /**
   * How the server listens and its limits.
   *
   * @param host the address to bind; {@value #DEFAULT_HOST} (loopback) unless the user asks
   * @param port the port; 0 for any free one
   * @param gateway the gateway shown in the get command and used for manifest links; null to use
   *     each listing's own gateway
   * @param maxThreads threads of Jetty's pool at most (its acceptor and selector included)
   * @param maxActiveRequests requests handled at once at most (Jetty's QoSHandler); the rest wait
   * @param maxQueuedRequests requests waiting at most, each at most {@code idleTimeout}; more, or
   *     longer, are answered 503
   * @param maxConnections open connections at most; more wait in the kernel's accept queue
   * @param idleTimeout a connection silent this long is closed
   * @param sourceTimeout a gateway read (listing detail, preview) taking longer answers 504
   * @param sourceThreads gateway reads at once at most
   * @param maxRequestHeaderBytes request line plus headers at most
   * @param maxQueryChars query text at most
   * @param pageResults hits on the search page and the API's default k
   * @param maxResults the API's k at most
   * @param pageRows preview rows on the listing page and the API's default rows
   * @param maxPreviewRows the API's rows at most (larger asks are cut to this)
   */
  public record Options(
      String host,
      int port,
      URI gateway,
      int maxThreads,
      int maxActiveRequests,
      int maxQueuedRequests,
      int maxConnections,
      Duration idleTimeout,
      Duration sourceTimeout,
      int sourceThreads,
      int maxRequestHeaderBytes,
      int maxQueryChars,
      int pageResults,
      int maxResults,
      int pageRows,
      int maxPreviewRows) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_QUERY_CHARS = 500;

    public Options {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535: " + port);
      }
      if (gateway != null && !isHttp(gateway)) {
        throw new IllegalArgumentException(
            "gateway must be an http(s) URL with a host: " + gateway);
      }
      if (maxThreads < 8
          || maxActiveRequests < 1
          || maxActiveRequests > maxThreads - 4
          || maxQueuedRequests < 1
          || maxConnections < 1
          || sourceThreads < 1) {
        throw new IllegalArgumentException(
            "maxThreads must be at least 8, maxActiveRequests from 1 to maxThreads - 4 (Jetty keeps"
                + " threads for accepting and selecting), the other counts at least 1");
      }
      if (idleTimeout.isNegative()
          || idleTimeout.isZero()
          || sourceTimeout.isNegative()
          || sourceTimeout.isZero()) {
        throw new IllegalArgumentException("idleTimeout and sourceTimeout must be positive");
      }
      if (maxRequestHeaderBytes < 1024
          || maxQueryChars < 1
          || pageResults < 1
          || maxResults < pageResults
          || pageRows < 1
          || maxPreviewRows < pageRows) {
        throw new IllegalArgumentException(
            "maxRequestHeaderBytes must be at least 1024, the counts at least 1, maxResults at"
                + " least pageResults and maxPreviewRows at least pageRows");
      }
    }

    /**
     * Loopback, port 8080, 16 threads, 8 requests at once and 64 waiting, 256 connections, 30 s
     * idle, 20 s gateway, 8 KiB headers.
     */
    public static Options defaults() {
      return new Options(
          DEFAULT_HOST,
          DEFAULT_PORT,
          null,
          16,
          8,
          64,
          256,
          Duration.ofSeconds(30),
          Duration.ofSeconds(20),
          4,
          8192,
          DEFAULT_MAX_QUERY_CHARS,
          20,
          100,
          20,
          100);
    }

    public Options withHost(String h) {
      return new Options(
          h,
          port,
          gateway,
          maxThreads,
          maxActiveRequests,
          maxQueuedRequests,
          maxConnections,
          idleTimeout,
          sourceTimeout,
          sourceThreads,
          maxRequestHeaderBytes,
          maxQueryChars,
          pageResults,
          maxResults,
          pageRows,
          maxPreviewRows);
    }

    public Options withPort(int p) {
      return new Options(
          host,
          p,
          gateway,
          maxThreads,
          maxActiveRequests,
          maxQueuedRequests,
          maxConnections,
          idleTimeout,
          sourceTimeout,
          sourceThreads,
          maxRequestHeaderBytes,
          maxQueryChars,
          pageResults,
          maxResults,
          pageRows,
          maxPreviewRows);
    }

    public Options withGateway(URI g) {
      return new Options(
          host,
          port,
          g,
          maxThreads,
          maxActiveRequests,
          maxQueuedRequests,
          maxConnections,
          idleTimeout,
          sourceTimeout,
          sourceThreads,
          maxRequestHeaderBytes,
          maxQueryChars,
          pageResults,
          maxResults,
          pageRows,
          maxPreviewRows);
    }

    public Options withSourceTimeout(Duration t) {
      return new Options(
          host,
          port,
          gateway,
          maxThreads,
          maxActiveRequests,
          maxQueuedRequests,
          maxConnections,
          idleTimeout,
          t,
          sourceThreads,
          maxRequestHeaderBytes,
          maxQueryChars,
          pageResults,
          maxResults,
          pageRows,
          maxPreviewRows);
    }
  }

  private final Map<String, Listing> byId;
  private final int catalogSize;
  private final Search search;
  private final ListingSource source;
  private final Options options;
  private final byte[] css;
  private final Server server;
  private final ServerConnector connector;
  private final ThreadPoolExecutor sourcePool;
  private final BufferAllocator arrow;

  /**
   * A server of {@code listings} (the catalog; ids not matching the Arweave pattern are listed but
   * have no page), searched by {@code search}, with details and previews read through {@code
   * source}. A null {@code source} means this build reads nothing from the gateway: listing pages
   * show the catalog row and say so, the listing API has no detail, the preview API answers 501.
   * Not started.
   */
  public MarketServer(
      List<Listing> listings, Search search, ListingSource source, Options options) {
    if (listings == null || search == null || options == null) {
      throw new IllegalArgumentException("listings, search and options must not be null");
    }
    this.byId = new LinkedHashMap<>();
    for (Listing l : listings) {
      byId.putIfAbsent(l.id(), l);
    }
    this.catalogSize = listings.size();
    this.search = search;
    this.source = source;
    this.options = options;
    this.css = resource(CSS_RESOURCE);
    // Jetty's own queue stays unbounded (it holds Jetty's I/O tasks, bounded by the connection
    // limit); the requests are bounded by the QoSHandler below.
    QueuedThreadPool pool = new QueuedThreadPool(options.maxThreads(), 4, 60_000);
    pool.setName("market-serve");
    this.server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(options.maxRequestHeaderBytes());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(options.host());
    connector.setPort(options.port());
    connector.setIdleTimeout(options.idleTimeout().toMillis());
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(options.maxConnections(), connector));
    QoSHandler qos = new QoSHandler(new Routes());
    qos.setMaxRequestCount(options.maxActiveRequests());
    qos.setMaxSuspendedRequestCount(options.maxQueuedRequests());
    qos.setMaxSuspend(options.idleTimeout());
    qos.setRejectStatusCode(503);
    server.setHandler(qos);
    server.setErrorHandler(new PlainErrors());
    server.setStopTimeout(5_000);
    AtomicInteger n = new AtomicInteger();
    this.sourcePool =
        new ThreadPoolExecutor(
            options.sourceThreads(),
            options.sourceThreads(),
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(options.maxQueuedRequests()),
            r -> {
              Thread t = new Thread(r, "market-serve-gateway-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.arrow = new RootAllocator(256L << 20);
  }

  /** Starts listening; returns this. */
  public MarketServer start() throws Exception {
    server.start();
    return this;
  }

  /** The port listened on (the chosen one when the options said 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The address of the search page, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  /** Stops listening, lets requests in flight finish (5 s at most), frees everything. */
  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } finally {
      sourcePool.shutdownNow();
      arrow.close();
    }
  }

  /** Whether {@code id} has the form of an Arweave transaction id (43 base64url characters). */
  public static boolean isArweaveId(String id) {
    return id != null && ARWEAVE_ID.matcher(id).matches();
  }

  /** Whether {@code u} is an http or https URL with a host, the only kind the pages link to. */
  public static boolean isHttp(URI u) {
    if (u == null || u.getScheme() == null || u.getHost() == null) {
      return false;
    }
    String s = u.getScheme().toLowerCase(Locale.ROOT);
    return s.equals("http") || s.equals("https");
  }

  private static byte[] resource(String name) {
    try (InputStream in = MarketServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the style sheet " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The security headers every response carries. */
  static void secure(Response response) {
    var h = response.getHeaders();
    h.put("Content-Security-Policy", CSP);
    h.put("X-Content-Type-Options", "nosniff");
    h.put("Referrer-Policy", "no-referrer");
    h.put("X-Frame-Options", "DENY");
    h.put("Cross-Origin-Opener-Policy", "same-origin");
  }

  private static void send(
      Response response, Callback callback, int status, String type, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The router: one method per route, errors as {@link HttpProblem}. */
  private final class Routes extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      secure(response);
      String path = Request.getPathInContext(request);
      boolean api = path.startsWith("/api/");
      try {
        if (!"GET".equals(request.getMethod())) {
          response.getHeaders().put(HttpHeader.ALLOW, "GET");
          throw ServeErrors.methodNotAllowed(request.getMethod());
        }
        route(request, response, callback, path);
      } catch (HttpProblem p) {
        problem(response, callback, api, p.status(), p.getMessage());
      } catch (RuntimeException e) {
        problem(
            response,
            callback,
            api,
            500,
            "The server failed on this request ("
                + e.getClass().getSimpleName()
                + "). It has been logged; try again.");
        org.slf4j.LoggerFactory.getLogger(MarketServer.class).warn("request {} failed", path, e);
      }
      return true;
    }

    private void route(Request request, Response response, Callback callback, String path) {
      Map<String, List<String>> params = params(request);
      if (path.equals("/")) {
        searchPage(params, response, callback);
      } else if (path.equals(Pages.CSS_PATH)) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=3600");
        send(response, callback, 200, "text/css; charset=utf-8", css);
      } else if (path.equals("/api/search")) {
        apiSearch(params, response, callback);
      } else if (path.startsWith("/listings/")) {
        listingPage(listing(path.substring("/listings/".length())), response, callback);
      } else if (path.startsWith("/api/listings/")) {
        String rest = path.substring("/api/listings/".length());
        if (rest.endsWith("/preview")) {
          Listing l = listing(rest.substring(0, rest.length() - "/preview".length()));
          apiPreview(l, request, params, response, callback);
        } else {
          apiListing(listing(rest), response, callback);
        }
      } else {
        throw ServeErrors.notFound(path);
      }
    }

    private void problem(
        Response response, Callback callback, boolean api, int status, String message) {
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      if (api) {
        send(response, callback, status, JSON, ApiJson.bytes(ApiJson.error(status, message)));
      } else {
        send(
            response,
            callback,
            status,
            HTML,
            utf8(Pages.error(status, HttpStatus.getMessage(status), message)));
      }
    }
  }

  private static Map<String, List<String>> params(Request request) {
    Fields fields;
    try {
      fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      throw ServeErrors.badQueryString(e);
    }
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (Fields.Field f : fields) {
      m.put(f.getName(), f.getValues());
    }
    return m;
  }

  private Listing listing(String id) {
    if (!isArweaveId(id)) {
      throw ServeErrors.badId(id);
    }
    Listing l = byId.get(id);
    if (l == null) {
      throw ServeErrors.noListing(id);
    }
    return l;
  }

  private List<CatalogSearch.Hit> hits(SearchForm f) {
    return search.search(f.query(), f.mode(), f.filters(), f.sort(), f.k());
  }

  private void searchPage(Map<String, List<String>> params, Response response, Callback callback) {
    SearchForm f =
        SearchForm.parse(
            params, options.maxQueryChars(), options.pageResults(), options.maxResults());
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    send(response, callback, 200, HTML, utf8(Pages.search(f, hits(f), catalogSize)));
  }

  private void apiSearch(Map<String, List<String>> params, Response response, Callback callback) {
    SearchForm f =
        SearchForm.parse(
            params, options.maxQueryChars(), options.pageResults(), options.maxResults());
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    send(
        response,
        callback,
        200,
        JSON,
        ApiJson.bytes(ApiJson.search(f.query(), hits(f), catalogSize)));
  }

  private void listingPage(Listing l, Response response, Callback callback) {
    long deadline = System.nanoTime() + options.sourceTimeout().toNanos();
    ListingDetail d = null;
    String detailError = null;
    Preview p = null;
    String previewError = null;
    try {
      Future<ListingDetail> detail = submit(() -> source.detail(l));
      Future<Preview> preview = submit(() -> source.preview(l, options.pageRows()));
      try {
        d = await(detail, deadline, l, "detail");
      } catch (HttpProblem e) {
        detailError = e.getMessage();
      }
      try {
        p = await(preview, deadline, l, "preview");
      } catch (HttpProblem e) {
        previewError = e.getMessage();
      }
    } catch (HttpProblem e) {
      detailError = e.getMessage();
      previewError = e.getMessage();
    }
    ListingPage.Content c =
        new ListingPage.Content(l, d, detailError, p, previewError, getCommand(l), manifestUrl(l));
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    send(response, callback, 200, HTML, utf8(ListingPage.render(c)));
  }

  private void apiListing(Listing l, Response response, Callback callback) {
    ListingDetail d = null;
    String error = null;
    try {
      Future<ListingDetail> detail = submit(() -> source.detail(l));
      d = await(detail, System.nanoTime() + options.sourceTimeout().toNanos(), l, "detail");
    } catch (HttpProblem p) {
      error = p.getMessage();
    }
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    send(response, callback, 200, JSON, ApiJson.bytes(ApiJson.detail(l, getCommand(l), d, error)));
  }

  private void apiPreview(
      Listing l,
      Request request,
      Map<String, List<String>> params,
      Response response,
      Callback callback) {
    int rows = previewRows(params);
    boolean arrowWanted = arrowWanted(request, params);
    Preview p =
        await(
            submit(() -> source.preview(l, rows)),
            System.nanoTime() + options.sourceTimeout().toNanos(),
            l,
            "preview");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.VARY, "Accept");
    if (!arrowWanted) {
      send(response, callback, 200, JSON, ApiJson.bytes(ApiJson.preview(p)));
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try (BufferAllocator a = arrow.newChildAllocator("preview " + l.id(), 0, 64L << 20)) {
      PreviewArrow.write(p, out, a);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    send(response, callback, 200, PreviewArrow.MEDIA_TYPE, out.toByteArray());
  }

  private int previewRows(Map<String, List<String>> params) {
    List<String> v = params.get("rows");
    if (v == null || v.isEmpty() || v.get(0).isBlank()) {
      return options.pageRows();
    }
    int n;
    try {
      n = Integer.parseInt(v.get(0).strip());
    } catch (NumberFormatException e) {
      throw ServeErrors.badParameter("rows", v.get(0), "a number of rows from 1");
    }
    if (n < 1) {
      throw ServeErrors.badParameter("rows", v.get(0), "a number of rows from 1");
    }
    return Math.min(n, options.maxPreviewRows());
  }

  private static boolean arrowWanted(Request request, Map<String, List<String>> params) {
    List<String> format = params.get("format");
    if (format != null && !format.isEmpty()) {
      String f = format.get(0).strip().toLowerCase(Locale.ROOT);
      if (f.equals("arrow")) {
        return true;
      }
      if (f.equals("json")) {
        return false;
      }
      throw ServeErrors.badChoice("format", format.get(0), List.of("json", "arrow"));
    }
    String accept = request.getHeaders().get(HttpHeader.ACCEPT);
    return accept != null && accept.toLowerCase(Locale.ROOT).contains(PreviewArrow.MEDIA_TYPE);
  }

  private <T> Future<T> submit(Callable<T> task) {
    if (source == null) {
      throw ServeErrors.noSource();
    }
    try {
      return sourcePool.submit(task);
    } catch (RejectedExecutionException e) {
      throw ServeErrors.busy();
    }
  }

  private <T> T await(Future<T> f, long deadlineNanos, Listing l, String what) {
    try {
      return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw ServeErrors.gatewayTimeout(l.id(), what, options.sourceTimeout().toMillis());
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw ServeErrors.gatewayTimeout(l.id(), what, options.sourceTimeout().toMillis());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof ListingDataException) {
        throw ServeErrors.refused(l.id(), what, cause);
      }
      throw ServeErrors.gatewayFailed(l.id(), what, cause);
    }
  }

  /** The gateway a listing is read from: the server's, else the listing's own when http(s). */
  private URI gateway(Listing l) {
    if (options.gateway() != null) {
      return options.gateway();
    }
    try {
      URI u = l.gateway() == null ? null : new URI(l.gateway());
      return isHttp(u) ? u : null;
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  private URI manifestUrl(Listing l) {
    URI g = gateway(l);
    if (g == null) {
      return null;
    }
    String base = g.toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + l.id() + "/" + "manifest.json");
  }

  /**
   * {@code synthweave market get ID --gateway URL --out DIR}: the gateway shell-quoted when it
   * needs it, the folder named after the dataset with every character outside {@code
   * [A-Za-z0-9._-]} replaced, so a publisher's name can never inject into a shell.
   */
  String getCommand(Listing l) {
    URI g = gateway(l);
    return l.downloadCommand(g == null ? "URL" : shellQuote(g.toString()));
  }

  static String shellQuote(String s) {
    if (s.matches("[A-Za-z0-9:/._~%@+=,-]+")) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** Jetty's own errors (414, 431, a bad request line) as short text with the security headers. */
  private static final class PlainErrors extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      secure(response);
      int status = response.getStatus();
      String body = status + " " + HttpStatus.getMessage(status) + "\n";
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      send(response, callback, status, "text/plain; charset=utf-8", utf8(body));
      return true;
    }

    @Override
    public ByteBuffer badMessageError(
        int status, String reason, org.eclipse.jetty.http.HttpFields.Mutable fields) {
      fields.put("Content-Security-Policy", CSP);
      fields.put("X-Content-Type-Options", "nosniff");
      fields.put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      return ByteBuffer.wrap(utf8(status + " " + HttpStatus.getMessage(status) + "\n"));
    }
  }
}
