package org.synthweave.market;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.http.GraphQlQuery;
import org.synthweave.arweave.http.TxNode;
import org.synthweave.arweave.http.TxPage;

/**
 * Finds the synthweave listings on a gateway and reads the new ones. A listing is a path manifest
 * tagged {@code App-Name=synthweave} and {@code Type=dataset}, from any owner. Syncs are
 * incremental by block height: a sync asks only for blocks from the height the previous one
 * reached, oldest first, and skips the ids already in the catalog (those of the block it stopped
 * in). Transactions still pending and listings the gateway could not serve are left to a later
 * sync, which starts low enough to see them again.
 */
public final class CatalogSync {
  /** The App-Name tag of everything synthweave publishes. */
  public static final String APP_NAME = "synthweave";

  /** The Type tag (ANS-110) of a dataset's path manifest. */
  public static final String TYPE = "dataset";

  private final ArweaveClient client;
  private final ListingReader reader;

  public CatalogSync(ArweaveClient client, long maxManifestBytes) {
    this.client = client;
    this.reader = new ListingReader(client, maxManifestBytes);
  }

  /**
   * What a sync found. {@code found} = {@code listings} + {@code unreadable} + {@code known} +
   * {@code pending}.
   *
   * @param found listings the gateway returned from the starting height
   * @param listings the new listings read, verified or not
   * @param unreadable the new listings the gateway could not serve now
   * @param known listings already in the catalog
   * @param pending listings not yet in a block
   * @param nextFromHeight the height the next sync starts from
   */
  public record Result(
      int found,
      List<Listing> listings,
      List<ListingReader.Unreadable> unreadable,
      int known,
      int pending,
      long nextFromHeight) {
    public Result {
      listings = List.copyOf(listings);
      unreadable = List.copyOf(unreadable);
      assert found == listings.size() + unreadable.size() + known + pending;
    }

    public long verified() {
      return listings.stream().filter(l -> l.status() == Listing.Status.VERIFIED).count();
    }

    public long unverified() {
      return listings.size() - verified();
    }
  }

  /** The GraphQL query for listings in blocks from {@code fromHeight} on, oldest first. */
  public static GraphQlQuery query(long fromHeight) {
    GraphQlQuery q =
        GraphQlQuery.transactions().tag("App-Name", APP_NAME).tag("Type", TYPE).oldestFirst();
    return fromHeight > 0 ? q.minHeight(fromHeight) : q;
  }

  /**
   * Reads every listing in blocks from {@code fromHeight} on whose id is not in {@code known}. A
   * GraphQL failure throws (nothing was read, nothing is lost); a listing's failure never does.
   */
  public Result sync(long fromHeight, Set<String> known) {
    if (fromHeight < 0 || known == null) {
      throw new IllegalArgumentException("fromHeight must be >= 0 and known not null");
    }
    GraphQlQuery q = query(fromHeight);
    List<Listing> listings = new ArrayList<>();
    List<ListingReader.Unreadable> unreadable = new ArrayList<>();
    int found = 0;
    int already = 0;
    int pending = 0;
    long reached = fromHeight;
    String cursor = null;
    Set<String> seen = new HashSet<>();
    while (true) {
      TxPage page = client.page(q, cursor);
      for (TxNode n : page.nodes()) {
        if (!seen.add(n.id())) {
          continue; // a gateway that repeats an edge across pages
        }
        found++;
        if (n.blockHeight() < 0) {
          pending++;
        } else if (known.contains(n.id())) {
          already++;
          reached = Math.max(reached, n.blockHeight());
        } else {
          reached = Math.max(reached, n.blockHeight());
          ListingReader.Outcome o = reader.read(n);
          if (o instanceof ListingReader.Read r) {
            listings.add(r.listing());
          } else {
            unreadable.add((ListingReader.Unreadable) o);
          }
        }
      }
      if (!page.hasNextPage() || page.nodes().isEmpty()) {
        break;
      }
      cursor = page.nextCursor();
    }
    long next = reached;
    for (ListingReader.Unreadable u : unreadable) {
      next = Math.min(next, u.blockHeight());
    }
    return new Result(found, listings, unreadable, already, pending, next);
  }
}
