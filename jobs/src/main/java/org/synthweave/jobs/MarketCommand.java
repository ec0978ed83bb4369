package org.synthweave.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.synthweave.arweave.Gateways;
import org.synthweave.embedding.EmbeddingConfig;
import org.synthweave.market.CatalogSearch;
import org.synthweave.market.Listing;
import org.synthweave.market.ListingReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code synthweave market <command>}: the buyer's side of the market. */
@Command(
    name = "market",
    mixinStandardHelpOptions = true,
    description = "The buyer's side: a catalog of every synthweave dataset listed on a gateway.",
    subcommands = {
      MarketCommand.Sync.class,
      MarketCommand.Search.class,
      MarketShowCommand.class,
      MarketGetCommand.class,
      MarketServeCommand.class
    })
final class MarketCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code synthweave market sync --gateway URL}. */
  @Command(
      name = "sync",
      mixinStandardHelpOptions = true,
      description = {
        "Find every synthweave dataset listed on the gateway (GraphQL: App-Name=synthweave,"
            + " Type=dataset, from any publisher) that is new since the last sync of that gateway,"
            + " and store each in the market/catalog table.",
        "Each listing's manifest.json and croissant.json are read (at most --max-manifest-bytes"
            + " each) and checked: the manifest's signature and its certificate's, and that the"
            + " manifest is signed by the transaction's owner. A listing that fails is stored as"
            + " unverified with the reason; one the gateway cannot serve now is skipped and tried"
            + " again by the next sync. Neither stops the sync.",
        "Prints each new listing, then found = verified + unverified + skipped + already in the"
            + " catalog + pending (not yet in a block)."
      })
  static final class Sync implements Runnable {
    @Spec CommandSpec spec;

    @Option(
        names = "--gateway",
        paramLabel = "URL",
        defaultValue = "http://127.0.0.1:1984",
        description = "Arweave gateway to sync from. Default: ${DEFAULT-VALUE}.")
    URI gateway;

    @Option(
        names = "--max-manifest-bytes",
        paramLabel = "N",
        description =
            "Bytes of a listing's manifest.json (and of its card) read at most; a larger one is"
                + " stored as unverified. Default: "
                + ListingReader.DEFAULT_MAX_MANIFEST_BYTES
                + ".")
    long maxManifestBytes = ListingReader.DEFAULT_MAX_MANIFEST_BYTES;

    @Override
    public void run() {
      if (maxManifestBytes < 1) {
        throw JobErrors.atLeastOne("--max-manifest-bytes", maxManifestBytes);
      }
      if (!Gateways.isHttp(gateway)) {
        throw JobErrors.badMarketGateway(gateway);
      }
      PrintWriter out = spec.commandLine().getOut();
      ConfigOptions o = Main.options(spec);
      try (JobContext job = new JobContext("market sync", o.confFile, o.sets, System.out)) {
        MarketCatalogSync.sync(job, gateway, maxManifestBytes).lines().forEach(out::println);
        out.flush();
        job.finish();
      }
    }
  }

  /** {@code synthweave market search "QUERY"}. */
  @Command(
      name = "search",
      mixinStandardHelpOptions = true,
      description = {
        "Search the market catalog of the warehouse (what market sync stored) and print the best"
            + " listings: BM25 over title, keywords, column names and description, and the"
            + " all-MiniLM-L6-v2 vectors of the same text, fused: each ranking's scores scaled to"
            + " [0, 1], then 0.6 x cosine + 0.4 x BM25.",
        "Filters are exact and apply before ranking. Only verified listings are shown unless"
            + " --include-unverified; unverified ones are always marked."
      })
  static final class Search implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUERY", description = "What to look for.")
    String query;

    @Option(
        names = "--filter",
        paramLabel = "FIELD=VALUE",
        description =
            "Exact filter, repeatable (all must hold): kind=real|augmented|synthetic|embeddings,"
                + " owner=ADDRESS, license=SPDX-ID, or any license tag, e.g."
                + " Data-Model-Training=Allowed or Commercial-Use=Allowed.")
    List<String> filters = new ArrayList<>();

    @Option(
        names = "--min-rows",
        paramLabel = "N",
        description = "Only listings with N rows or more.")
    Long minRows;

    @Option(
        names = "--min-quality",
        paramLabel = "Q",
        description = "Only listings whose synthetic quality score is Q or more.")
    Double minQuality;

    @Option(
        names = "--sort",
        paramLabel = "ORDER",
        defaultValue = "relevance",
        description =
            "relevance (default), date (the k most relevant, newest first) or size (the k most"
                + " relevant, largest first).")
    String sort;

    @Option(
        names = "--mode",
        paramLabel = "MODE",
        defaultValue = "hybrid",
        description = "hybrid (default), bm25 or vector.")
    String mode;

    @Option(
        names = {"-k", "--top"},
        defaultValue = "10",
        description = "Listings to print (default ${DEFAULT-VALUE}).")
    int k;

    @Option(
        names = "--include-unverified",
        description = "Also show listings that failed verification (marked as such).")
    boolean includeUnverified;

    @Option(names = "--json", description = "Print one JSON object per listing instead of a table.")
    boolean json;

    @Override
    public void run() {
      if (k < 1) {
        throw JobErrors.atLeastOne("-k", k);
      }
      CatalogSearch.Mode m = choice(CatalogSearch.Mode.class, "--mode", mode);
      CatalogSearch.Sort order = choice(CatalogSearch.Sort.class, "--sort", sort);
      CatalogSearch.Filters f = filters();
      ConfigOptions o = Main.options(spec);
      SparkMarketCatalog.Found found;
      try (JobContext job = new JobContext("market search", o.confFile, o.sets, System.out)) {
        found =
            new SparkMarketCatalog(job.spark(), job.catalog)
                .search(EmbeddingConfig.from(job.settings), query, m, f, order, k);
      }
      List<CatalogSearch.Hit> hits = found.hits();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        for (CatalogSearch.Hit h : hits) {
          out.println(json(h));
        }
      } else {
        print(out, hits, found.catalogSize(), found.embedded());
      }
      out.flush();
    }

    private CatalogSearch.Filters filters() {
      return SparkMarketCatalog.filters(filters, minRows, minQuality, includeUnverified);
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String option, String value) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(value)) {
          return e;
        }
      }
      throw JobErrors.badChoice(
          option,
          value,
          java.util.Arrays.stream(type.getEnumConstants())
              .map(e -> e.name().toLowerCase(Locale.ROOT))
              .toList());
    }

    private static String json(CatalogSearch.Hit h) {
      Listing l = h.listing();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", l.id());
      m.put("score", h.score());
      m.put("bm25_rank", h.bm25Rank());
      m.put("vector_rank", h.vectorRank());
      m.put("title", l.title());
      m.put("dataset", l.dataset());
      m.put("version", l.version());
      m.put("kind", l.kind().label());
      m.put("rows", l.rows());
      m.put("bytes", l.bytes());
      m.put("quality_score", l.qualityScore());
      m.put("license", l.license());
      m.put("license_terms", l.licenseTerms());
      m.put("owner", l.owner());
      m.put("published_at", l.publishedAt() == null ? null : l.publishedAt().toString());
      m.put("status", l.status().label());
      m.put("reason", l.reason());
      try {
        return JSON.writeValueAsString(m);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    private static void print(
        PrintWriter out, List<CatalogSearch.Hit> hits, int catalogSize, int embedded) {
      out.printf(
          Locale.ROOT,
          "%d of %d listings (%d newly embedded, the rest from market/catalog_vectors)%n%-3s %-8s %-40s %-10s %10s %7s %-14s %-8s %s%n",
          hits.size(),
          catalogSize,
          embedded,
          "#",
          "score",
          "title",
          "kind",
          "rows",
          "quality",
          "license",
          "verified",
          "id");
      int rank = 1;
      for (CatalogSearch.Hit h : hits) {
        Listing l = h.listing();
        out.printf(
            Locale.ROOT,
            "%-3d %-8.4f %-40s %-10s %10s %7s %-14s %-8s %s%n",
            rank++,
            h.score(),
            cell(l.title() != null ? l.title() : l.dataset(), 40),
            l.kind().label(),
            l.rows() == null ? "-" : l.rows().toString(),
            l.qualityScore() == null ? "-" : String.format(Locale.ROOT, "%.3f", l.qualityScore()),
            cell(l.license(), 14),
            l.status() == Listing.Status.VERIFIED ? "yes" : "NO",
            l.id());
        if (l.status() != Listing.Status.VERIFIED) {
          out.println("    unverified: " + cell(l.reason(), 160));
        }
      }
    }

    /**
     * Publisher text made safe for a terminal: control and format characters (escape sequences,
     * bidi overrides) become spaces, runs of space one, and long text is cut.
     */
    static String cell(String s, int max) {
      if (s == null) {
        return "-";
      }
      String flat = s.replaceAll("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\s]+", " ").strip();
      return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }
  }
}
