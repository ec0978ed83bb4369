package org.synthweave.jobs;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.ArweaveConfig;
import org.synthweave.arweave.ArweaveException;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.market.CatalogSync;
import org.synthweave.market.Listing;
import org.synthweave.market.ListingReader;

/**
 * One sync of a gateway's listings into the warehouse's {@code market/catalog}, shared by {@code
 * market sync} and the end of {@code run}: the new listings read by {@link CatalogSync}, stored,
 * the height the next sync starts from remembered, and the counts added to the run summary.
 */
final class MarketCatalogSync {
  private MarketCatalogSync() {}

  /**
   * What one sync did.
   *
   * @param gateway the gateway synced, as recorded in the catalog
   * @param fromHeight the block height it started from
   * @param result the listings found and read
   */
  record Synced(String gateway, long fromHeight, CatalogSync.Result result) {
    /** A line per new listing, then the balance: found = verified + unverified + ... . */
    List<String> lines() {
      CatalogSync.Result r = result;
      List<String> lines = new ArrayList<>();
      for (Listing l : r.listings()) {
        lines.add(
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
        lines.add("skipped " + u.id() + " (tried again next sync): " + u.reason());
      }
      lines.add(
          "market sync of "
              + gateway
              + " from block "
              + fromHeight
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
      return lines;
    }
  }

  /**
   * Reads the listings of {@code gateway} that are new since its last sync into {@code job}'s
   * warehouse and adds the counts to the job's summary.
   *
   * @param maxManifestBytes bytes of a listing's manifest.json (and card) read at most
   */
  static Synced sync(JobContext job, URI gateway, long maxManifestBytes) {
    String url = gateway.toString();
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
    return new Synced(url, from, r);
  }
}
