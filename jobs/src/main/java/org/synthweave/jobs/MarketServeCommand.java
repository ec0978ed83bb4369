package org.synthweave.jobs;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.synthweave.embedding.EmbeddingConfig;
import org.synthweave.embedding.text.TextEncoder;
import org.synthweave.market.CatalogSearch;
import org.synthweave.market.GatewayListingSource;
import org.synthweave.market.Listing;
import org.synthweave.market.ListingSource;
import org.synthweave.market.serve.MarketServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code synthweave market serve}: the warehouse's market catalog as a web page and an API. Spark
 * runs only to read the catalog and its kept vectors; it is stopped before the server starts, so
 * serving holds the listings, the Lucene index and the MiniLM encoder (for query vectors) only.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the market catalog of the warehouse (what market sync stored) over HTTP: a search"
          + " page with filters, a page per listing (card, schema, certificate checks, fidelity"
          + " plots, provenance, license terms, the market get command, the files on the gateway"
          + " and the first rows), and a JSON API (/api/search, /api/listings/ID,"
          + " /api/listings/ID/preview, the last also as an Apache Arrow stream).",
      "Binds to 127.0.0.1 unless --host says otherwise. Listing text is publisher data: every"
          + " page escapes it and carries a strict Content-Security-Policy, with no script.",
      "Prints the address, then serves until interrupted (Ctrl-C stops it cleanly)."
    })
final class MarketServeCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = MarketServer.Options.DEFAULT_HOST,
      description =
          "Address to listen on. Default: ${DEFAULT-VALUE} (this machine only). Another address"
              + " lets anyone who can reach it read the catalog.")
  String host;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8080",
      description = "Port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--gateway",
      paramLabel = "URL",
      description =
          "Arweave gateway for the market get command and the file links on the pages. Default:"
              + " the gateway each listing was synced from.")
  URI gateway;

  @Option(
      names = "--source-timeout",
      paramLabel = "SECONDS",
      defaultValue = "20",
      description =
          "Longest wait for a listing's manifest or first rows from the gateway; a page shows"
              + " what it has and the API answers 504 past it. Default: ${DEFAULT-VALUE}.")
  long sourceTimeoutSeconds;

  @Override
  public void run() {
    if (port < 0 || port > 65535) {
      throw JobErrors.badChoice("--port", Integer.toString(port), List.of("0..65535"));
    }
    if (sourceTimeoutSeconds < 1) {
      throw JobErrors.atLeastOne("--source-timeout", sourceTimeoutSeconds);
    }
    if (gateway != null && !MarketServer.isHttp(gateway)) {
      throw JobErrors.badMarketGateway(gateway);
    }
    MarketServer.Options options =
        MarketServer.Options.defaults()
            .withHost(host)
            .withPort(port)
            .withGateway(gateway)
            .withSourceTimeout(Duration.ofSeconds(sourceTimeoutSeconds));
    PrintWriter out = spec.commandLine().getOut();
    ConfigOptions o = Main.options(spec);
    Serving serving;
    try (JobContext job = new JobContext("market serve", o.confFile, o.sets, System.out)) {
      serving = open(job, new GatewayListingSource(), options);
    }
    try (Serving s = serving) {
      out.println(
          "market serve: "
              + s.search().size()
              + " listings ("
              + s.search().embedded()
              + " newly embedded) at "
              + s.server().uri()
              + (isLoopback(host) ? "" : " (reachable from other machines)")
              + "; Ctrl-C stops");
      out.flush();
      Thread hook = new Thread(s::stop, "market-serve-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      s.server().join();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is stopping the server already
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Reads the catalog and its kept vectors, keeps the vectors it had to compute, and starts a
   * server on them; Spark is not needed once this returns.
   */
  static Serving open(JobContext job, ListingSource source, MarketServer.Options options) {
    SparkMarketCatalog catalog = new SparkMarketCatalog(job.spark(), job.catalog);
    if (!catalog.exists()) {
      throw JobErrors.noMarketCatalog(catalog.path());
    }
    List<Listing> listings = catalog.listings();
    EmbeddingConfig embed = EmbeddingConfig.from(job.settings);
    TextEncoder encoder = TextEncoder.open(embed.textModel(), embed.encoder());
    CatalogSearch search = null;
    try {
      String version = encoder.modelVersion();
      Map<String, float[]> known = catalog.vectors(version);
      search = CatalogSearch.of(listings, encoder::encode, known);
      if (search.embedded() > 0) {
        Map<String, float[]> fresh = new LinkedHashMap<>(search.vectors());
        fresh.keySet().removeAll(known.keySet());
        catalog.keepVectors(version, fresh);
      }
      MarketServer server = new MarketServer(listings, search::search, source, options);
      try {
        server.start();
      } catch (Exception e) {
        closeQuietly(server);
        throw JobErrors.marketServeFailed(options.host(), options.port(), e);
      }
      return new Serving(server, search, encoder);
    } catch (RuntimeException e) {
      if (search != null) {
        search.close();
      }
      encoder.close();
      throw e;
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception suppressed) {
      // the start failure is what the user needs to see
    }
  }

  private static boolean isLoopback(String host) {
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
  }

  /** A started server with the index and encoder it searches with; closing stops all three. */
  static final class Serving implements AutoCloseable {
    private final MarketServer server;
    private final CatalogSearch search;
    private final TextEncoder encoder;
    private final java.util.concurrent.atomic.AtomicBoolean stopped =
        new java.util.concurrent.atomic.AtomicBoolean();

    Serving(MarketServer server, CatalogSearch search, TextEncoder encoder) {
      this.server = server;
      this.search = search;
      this.encoder = encoder;
    }

    MarketServer server() {
      return server;
    }

    CatalogSearch search() {
      return search;
    }

    /**
     * Stops the server (requests in flight finish first), then frees the index and the encoder;
     * once, whether the shutdown hook or the command gets here first.
     */
    void stop() {
      if (!stopped.compareAndSet(false, true)) {
        return;
      }
      try {
        server.close();
      } catch (Exception e) {
        throw new IllegalStateException("market serve did not stop cleanly", e);
      } finally {
        search.close();
        encoder.close();
      }
    }

    @Override
    public void close() {
      stop();
    }
  }
}
