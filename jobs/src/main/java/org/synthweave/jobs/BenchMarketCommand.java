package org.synthweave.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.ArweaveConfig;
import org.synthweave.arweave.local.LocalArlocal;
import org.synthweave.arweave.wallet.Wallet;
import org.synthweave.embedding.EmbeddingConfig;
import org.synthweave.embedding.text.TextEncoder;
import org.synthweave.ingest.IngestConfig;
import org.synthweave.ingest.table.SparkTableIngest;
import org.synthweave.market.CatalogSearch;
import org.synthweave.market.CatalogSync;
import org.synthweave.market.Listing;
import org.synthweave.market.ListingReader;
import org.synthweave.market.bench.DebianPackages;
import org.synthweave.market.bench.SearchBench;
import org.synthweave.market.bench.ServeLoad;
import org.synthweave.market.serve.MarketServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code synthweave bench market}: the market's sync and search, on real metadata text (Debian's
 * package index), printed as one JSON line.
 *
 * <ul>
 *   <li>Sync: a fresh arlocal on loopback; one sample table ingested and published to it for real;
 *       then {@code --listings} listings derived from that export ({@link BenchMarketListings}: the
 *       same data files, each with a Debian package's text as its card and its own signed manifest)
 *       posted and mined; then {@link CatalogSync} from an empty catalog, timed.
 *   <li>Search: {@code --search-listings} packages as listings, indexed and embedded once, then
 *       {@code --queries} synopses of other packages in each mode ({@link SearchBench}).
 *   <li>Serve: the same listings (vectors reused) behind a {@link MarketServer} on loopback, its
 *       search API under {@code --serve-clients} closed-loop clients for {@code --serve-seconds}
 *       per mode ({@link ServeLoad}).
 * </ul>
 */
@Command(
    name = "market",
    mixinStandardHelpOptions = true,
    description = {
      "Market sync and search figures on real metadata text (Debian's package index from"
          + " apt-cache dumpavail, or --packages FILE), one JSON line.",
      "Sync: --listings listings, each a signed manifest and card derived from one sample table"
          + " published for real, posted to a fresh arlocal on 127.0.0.1, then CatalogSync from"
          + " scratch: listings/s, wall and CPU time, and the time to post them.",
      "Search: --search-listings packages as listings (name, synopsis, section and debtags),"
          + " embedded once, then --queries synopses of other packages, single-threaded, in"
          + " hybrid, BM25 and vector mode: p50/p99 latency, QPS, CPU per query and the share of"
          + " hybrid latency spent embedding the query.",
      "Serve: the same listings behind market serve's server on 127.0.0.1, its /api/search under"
          + " --serve-clients concurrent clients from loopback for --serve-seconds in hybrid and"
          + " BM25 mode: requests/s, p50/p99, errors, CPU, heap after GC before and after."
    })
final class BenchMarketCommand implements Runnable {
  /** The sample table published once and derived from for the sync's listings. */
  static final String TABLE_FILE = "wine.csv";

  /** Threads posting the sync's listings. */
  static final int POST_THREADS = 4;

  @Spec CommandSpec spec;

  @Option(
      names = "--listings",
      defaultValue = "1000",
      description = "Listings posted and synced; 0 skips the sync (default ${DEFAULT-VALUE}).")
  int listings;

  @Option(
      names = "--search-listings",
      defaultValue = "10000",
      description = "Listings searched; 0 skips the search (default ${DEFAULT-VALUE}).")
  int searchListings;

  @Option(
      names = "--queries",
      defaultValue = "1000",
      description = "Distinct queries timed in each mode (default ${DEFAULT-VALUE}).")
  int queries;

  @Option(
      names = "--warm-up",
      defaultValue = "100",
      description =
          "Queries (the first ones) run untimed in each mode before timing (default"
              + " ${DEFAULT-VALUE}).")
  int warmUp;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the packages' order (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--serve-clients",
      defaultValue = "4",
      description =
          "Concurrent clients of the search API under load, within the server's limit of"
              + " concurrent requests (default ${DEFAULT-VALUE}).")
  int serveClients;

  @Option(
      names = "--serve-seconds",
      defaultValue = "20",
      description =
          "Seconds of load on the search API per mode (hybrid, bm25) after a warm-up of up to 5;"
              + " 0 skips it (default ${DEFAULT-VALUE}).")
  int serveSeconds;

  @Option(
      names = "--packages",
      paramLabel = "FILE",
      description = "A saved apt-cache dumpavail output to read instead of running it.")
  Path packages;

  @Option(
      names = "--samples",
      defaultValue = "data/samples/tables",
      paramLabel = "DIR",
      description = "Folder holding " + TABLE_FILE + " (default ${DEFAULT-VALUE}).")
  Path samples;

  @Option(
      names = "--top-out",
      paramLabel = "FILE",
      description =
          "Write each query's top 10 listing ids per mode there (mode, query, ids; tab-separated)"
              + " to compare rankings across code changes.")
  Path topOut;

  @Override
  public void run() {
    if (listings < 0) {
      throw JobErrors.atLeastOne("--listings", listings);
    }
    if (searchListings < 0) {
      throw JobErrors.atLeastOne("--search-listings", searchListings);
    }
    if (searchListings > 0 && queries < 1) {
      throw JobErrors.atLeastOne("--queries", queries);
    }
    if (serveClients < 1) {
      throw JobErrors.atLeastOne("--serve-clients", serveClients);
    }
    if (serveSeconds < 0) {
      throw JobErrors.atLeastOne("--serve-seconds", serveSeconds);
    }
    if (warmUp < 0) {
      throw JobErrors.atLeastOne("--warm-up", warmUp);
    }
    Path table = samples.resolve(TABLE_FILE);
    if (listings > 0 && !Files.isRegularFile(table)) {
      throw JobErrors.noBenchTable(table, "--samples");
    }
    ConfigOptions o = Main.options(spec);
    Path work = BenchCommand.workDir("market");
    List<DebianPackages.Package> all = DebianPackages.shuffled(DebianPackages.load(packages), seed);
    int s = searchListings;
    int q = searchListings > 0 ? queries : 0;
    if (s + q + listings > all.size()) {
      throw JobErrors.notEnoughBenchText(all.size(), s, q, listings);
    }
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("bench", "market");
    fig.put("seed", seed);
    fig.put("text", packages == null ? "apt-cache dumpavail" : packages.toString());
    fig.put("packages", all.size());
    fig.put("cores", Runtime.getRuntime().availableProcessors());
    fig.put("load_avg_start", round(loadAverage()));
    try (JobContext job =
        new JobContext("bench market", o.confFile, BenchCommand.benchSets(o, work), System.err)) {
      if (listings > 0) {
        syncFigures(job, work, table, all.subList(s + q, s + q + listings), fig);
      }
      if (s > 0) {
        List<Listing> corpus = all.subList(0, s).stream().map(p -> p.listing()).toList();
        List<String> texts = all.subList(s, s + q).stream().map(p -> p.synopsis()).toList();
        EmbeddingConfig embed = EmbeddingConfig.from(job.settings);
        Map<String, float[]> vectors = new HashMap<>();
        try (TextEncoder encoder = TextEncoder.open(embed.textModel(), embed.encoder())) {
          fig.put("intra_op_threads", embed.encoder().intraOpThreads());
          fig.putAll(
              SearchBench.run(
                  corpus,
                  texts,
                  encoder::encode,
                  new SearchBench.Options(warmUp, topOut, BenchCommand::cpuNanos, vectors)));
          if (serveSeconds > 0) {
            serveFigures(corpus, texts, encoder, vectors, fig);
          }
        }
      }
    }
    fig.put("load_avg_end", round(loadAverage()));
    PrintWriter out = spec.commandLine().getOut();
    try {
      out.println(new ObjectMapper().writeValueAsString(fig));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("figures are plain values", e);
    }
    out.flush();
  }

  /**
   * The search API of {@code market serve} over the same listings (their vectors reused) under
   * {@code --serve-clients} concurrent clients from loopback, hybrid then BM25.
   */
  private void serveFigures(
      List<Listing> corpus,
      List<String> queries,
      TextEncoder encoder,
      Map<String, float[]> vectors,
      Map<String, Object> fig) {
    MarketServer.Options options = MarketServer.Options.defaults().withPort(0);
    if (serveClients > options.maxActiveRequests()) {
      throw JobErrors.serveClientsOverLimit(serveClients, options.maxActiveRequests());
    }
    try (CatalogSearch search = CatalogSearch.of(corpus, encoder::encode, vectors)) {
      MarketServer server = new MarketServer(corpus, search::search, null, options).start();
      try {
        for (String mode : List.of("hybrid", "bm25")) {
          fig.putAll(
              ServeLoad.run(
                  server.uri(),
                  queries,
                  new ServeLoad.Options(
                      serveClients,
                      Duration.ofSeconds(Math.min(5, serveSeconds)),
                      Duration.ofSeconds(serveSeconds),
                      mode,
                      BenchCommand::cpuNanos)));
        }
      } finally {
        server.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the serve load", e);
    } catch (Exception e) {
      throw JobErrors.marketServeFailed(options.host(), options.port(), e);
    }
  }

  /**
   * Publishes the sample table to a fresh arlocal, posts {@code pkgs.size()} listings derived from
   * it, mines them, and times a sync from scratch.
   */
  private void syncFigures(
      JobContext job,
      Path work,
      Path table,
      List<DebianPackages.Package> pkgs,
      Map<String, Object> fig) {
    Path harness = LocalGateway.harness(job.settings);
    LocalGateway.requireNode(System.getenv("PATH"));
    try (LocalArlocal arlocal = LocalArlocal.start(harness)) {
      URI url = arlocal.url();
      Wallet wallet = Wallet.generate(new SecureRandom());
      Path walletFile = work.resolve("publisher.json");
      wallet.save(walletFile);
      arlocal.mint(wallet.address(), LocalGateway.FUNDING_WINSTON);
      String name = TABLE_FILE.substring(0, TABLE_FILE.indexOf('.'));
      new SparkTableIngest(job.spark(), job.catalog, IngestConfig.from(job.settings).rawMaxBytes())
          .ingest(name, List.of(table.toAbsolutePath().toString()), null, null, job.summary);
      String silver = "silver/" + name;
      DatasetPublisher.Published published;
      try (DatasetPublisher publisher =
          new DatasetPublisher(
              job,
              PublishConfig.from(job.settings, url, BenchMarketListings.LICENSE),
              walletFile,
              false,
              false,
              BenchMarketListings.LICENSE,
              System.err)) {
        publisher.checkConfig(silver);
        published = publisher.publish(silver, 0, publisher.gate(silver, 0));
      }
      arlocal.mine();
      ArweaveClient client = new ArweaveClient(ArweaveConfig.builder(url).build());
      BenchMarketListings maker =
          new BenchMarketListings(
              client,
              wallet,
              DatasetExport.folder(job.catalog, silver, 0),
              published.manifestTx(),
              work.resolve("listings"));
      String date = LocalDate.now(ZoneOffset.UTC).toString();
      long t0 = System.nanoTime();
      long c0 = BenchCommand.cpuNanos();
      postAll(maker, pkgs, date);
      double postS = (System.nanoTime() - t0) / 1e9;
      fig.put("sync_posted", pkgs.size());
      fig.put("post_threads", POST_THREADS);
      fig.put("post_s", round(postS));
      fig.put("post_cpu_s", round((BenchCommand.cpuNanos() - c0) / 1e9));
      arlocal.mine();

      CatalogSync sync = new CatalogSync(client, ListingReader.DEFAULT_MAX_MANIFEST_BYTES);
      long t1 = System.nanoTime();
      long c1 = BenchCommand.cpuNanos();
      CatalogSync.Result r = sync.sync(0, Set.of());
      double syncS = (System.nanoTime() - t1) / 1e9;
      fig.put("sync_found", r.found());
      fig.put("sync_verified", r.verified());
      fig.put("sync_unverified", r.unverified());
      fig.put("sync_unreadable", r.unreadable().size());
      fig.put("sync_s", round(syncS));
      fig.put("sync_cpu_s", round((BenchCommand.cpuNanos() - c1) / 1e9));
      fig.put("sync_listings_per_s", round(r.listings().size() / syncS));
      r.listings().stream()
          .filter(l -> l.status() == Listing.Status.UNVERIFIED)
          .findFirst()
          .ifPresent(l -> fig.put("sync_first_unverified_reason", l.reason()));
      r.unreadable().stream()
          .findFirst()
          .ifPresent(u -> fig.put("sync_first_unreadable_reason", u.reason()));
    }
  }

  /**
   * Posts the listings of {@code pkgs} from {@link #POST_THREADS} threads, so that signing here and
   * storing in arlocal overlap; the post is setup, not the figure under test.
   */
  private static void postAll(
      BenchMarketListings maker, List<DebianPackages.Package> pkgs, String date) {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(POST_THREADS);
    try {
      List<java.util.concurrent.Future<String>> posted = new java.util.ArrayList<>();
      for (DebianPackages.Package p : pkgs) {
        posted.add(pool.submit(() -> maker.post(p, date)));
      }
      for (java.util.concurrent.Future<String> f : posted) {
        f.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException("posting a listing failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while posting listings", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
