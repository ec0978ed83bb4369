package org.synthweave.jobs;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Instant;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.ArweaveConfig;
import org.synthweave.arweave.ArweaveException;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.market.CatalogSync;
import org.synthweave.market.Listing;
import org.synthweave.market.ListingReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synthweave market <command>}: the buyer's side of the market. */
@Command(
    name = "market",
    mixinStandardHelpOptions = true,
    description = "The buyer's side: a catalog of every synthweave dataset listed on a gateway.",
    subcommands = {MarketCommand.Sync.class})
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
      if (gateway.getHost() == null
          || !("http".equals(gateway.getScheme()) || "https".equals(gateway.getScheme()))) {
        throw JobErrors.badMarketGateway(gateway);
      }
      String url = gateway.toString();
      PrintWriter out = spec.commandLine().getOut();
      ConfigOptions o = Main.options(spec);
      try (JobContext job = new JobContext("market sync", o.confFile, o.sets, System.out)) {
        SparkMarketCatalog catalog = new SparkMarketCatalog(job.spark(), job.catalog);
        long from = catalog.fromHeight(url);
        ArweaveClient client = new ArweaveClient(ArweaveConfig.builder(gateway).build());
        CatalogSync.Result r;
        try {
          r = new CatalogSync(client, maxManifestBytes).sync(from, catalog.idsFrom(from));
        } catch (ArweaveException e) {
          throw JobErrors.marketSyncFailed(gateway, from, e);
        }
        Instant now = Instant.now();
        catalog.store(r.listings(), now);
        catalog.remember(url, r.nextFromHeight(), now);
        print(out, r, url, from);
        job.summary.add(
            new SourceCounts(
                "market sync",
                url,
                r.found(),
                r.listings().size(),
                r.unreadable().size() + r.pending(),
                r.known(),
                r.unreadable().size()));
        job.summary.note("verified", Long.toString(r.verified()));
        job.summary.note("unverified", Long.toString(r.unverified()));
        job.finish();
      }
    }

    private static void print(PrintWriter out, CatalogSync.Result r, String url, long from) {
      for (Listing l : r.listings()) {
        out.println(
            l.status().label()
                + " "
                + l.id()
                + " "
                + l.dataset()
                + " version "
                + l.version()
                + " ("
                + l.kind().label()
                + (l.rows() == null ? "" : ", " + l.rows() + " rows")
                + ") by "
                + l.owner()
                + (l.reason() == null ? "" : ": " + l.reason()));
      }
      for (ListingReader.Unreadable u : r.unreadable()) {
        out.println("skipped " + u.id() + " (tried again next sync): " + u.reason());
      }
      out.println(
          "market sync of "
              + url
              + " from block "
              + from
              + ": found "
              + r.found()
              + " = "
              + r.verified()
              + " verified + "
              + r.unverified()
              + " unverified + "
              + r.unreadable().size()
              + " skipped + "
              + r.known()
              + " already in the catalog + "
              + r.pending()
              + " pending; the next sync starts from block "
              + r.nextFromHeight());
      out.flush();
    }
  }
}
