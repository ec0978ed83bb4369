package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.ArlocalGateway;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.manifest.PathManifest;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.upload.UploadOptions;
import org.synthweave.arweave.wallet.Wallet;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.market.ListingReader;

/**
 * {@code market sync} against a real arlocal holding two honestly published datasets from two
 * publishers and three hostile listings posted with the same tags: another publisher's signed
 * manifest re-listed, a malformed manifest and an oversized one. Then the sync is repeated, and
 * repeated again after a third dataset is published.
 */
class MarketSyncTest {
  @RegisterExtension static final ArlocalGateway ARLOCAL = new ArlocalGateway();

  private static final Pattern MANIFEST_ID = Pattern.compile("manifest (\\S+) \\(");

  @Test
  void syncStoresHonestListingsAsVerifiedHostileOnesWithReasonsAndOnlyNewOnesAgain(
      @TempDir Path dir) throws Exception {
    Path pub = dir.resolve("publisher");
    Path buyer = dir.resolve("buyer");
    Path tables = SparkTestBase.repoRoot().resolve("data/samples/tables");
    ingest(pub, "wine", tables.resolve("wine.csv"));
    ingest(pub, "penguins", tables.resolve("penguins.csv"));
    ingest(pub, "votes", tables.resolve("house-votes.csv"));
    Wallet alice = funded(dir, "alice");
    Wallet bob = funded(dir, "bob");
    Wallet mallory = funded(dir, "mallory");

    String wine = publish(pub, dir, "alice", "silver/wine");
    String penguins =
        publish(
            pub,
            dir,
            "bob",
            "silver/penguins",
            "--set",
            "publish.dataset.silver_penguins.title=Palmer penguins",
            "--set",
            "publish.dataset.silver_penguins.keywords=penguins,biology");
    ARLOCAL.mine();

    // Hostile listings, tagged like real ones. Alice's own signed manifest and card, listed by
    // Mallory: intact, but not Mallory's to list.
    ArweaveClient client = new ArweaveClient(ARLOCAL.config().build());
    Path wineExport = pub.resolve("datasets/silver_wine/0");
    byte[] aliceManifest = Files.readAllBytes(wineExport.resolve("manifest.json"));
    String relisted =
        list(
            client,
            mallory,
            aliceManifest,
            Files.readAllBytes(wineExport.resolve("croissant.json")),
            "Wine, cheaper");
    String malformed =
        list(
            client,
            mallory,
            "{\"format\": \"synthweave-dataset-manifest/1\", \"files\": ["
                .getBytes(StandardCharsets.UTF_8),
            null,
            "Broken");
    byte[] huge = new byte[(int) ListingReader.DEFAULT_MAX_MANIFEST_BYTES + 4096];
    // Mixed whitespace, so the manifest still parses and no two chunks are equal (arlocal serves
    // a transaction's distinct chunks only).
    java.util.Random random = new java.util.Random(20);
    byte[] blanks = {' ', '\n', '\t', '\r'};
    for (int i = 0; i < huge.length; i++) {
      huge[i] = blanks[random.nextInt(blanks.length)];
    }
    System.arraycopy(aliceManifest, 0, huge, 0, aliceManifest.length);
    String oversized = list(client, mallory, huge, null, "Huge");
    ARLOCAL.mine();

    CliRun first = sync(buyer);
    assertEquals(0, first.code(), first.out() + first.err());
    String out = first.out();
    assertTrue(out.contains("verified " + wine + " silver_wine version 0 (real, 178 rows)"), out);
    assertTrue(out.contains("verified " + penguins + " silver_penguins version 0 (real"), out);
    assertTrue(
        out.contains(
            "unverified "
                + relisted
                + " silver_wine version 0 (real, 178 rows) by "
                + mallory.address()
                + ": manifest.json is signed by "
                + alice.address()
                + " but the transaction's owner is "
                + mallory.address()),
        out);
    assertTrue(out.contains("unverified " + malformed + " "), out);
    assertTrue(line(out, malformed).contains("is not valid"), out);
    assertTrue(line(out, oversized).startsWith("unverified "), out);
    assertTrue(line(out, oversized).contains("over the limit of 1048576"), out);
    assertTrue(
        out.contains(
            "found 5 = 2 verified + 3 unverified + 0 skipped + 0 already in the catalog"
                + " + 0 pending"),
        out);

    Map<String, Row> rows = catalog(buyer);
    assertEquals(5, rows.size(), rows.toString());
    Row w = rows.get(wine);
    assertEquals("verified", w.getAs("status"));
    assertNull(w.getAs("reason"));
    assertEquals(alice.address(), w.getAs("owner"));
    assertEquals("real", w.getAs("kind"));
    assertEquals(178L, (long) w.getAs("rows"));
    assertTrue(w.<String>getAs("title").startsWith("Wine recognition"), w.toString());
    assertTrue((int) w.getAs("checks_passed") > 0, w.toString());
    assertEquals(0, (int) w.getAs("checks_failed"), w.toString());
    assertTrue(w.<String>getAs("provenance").contains("silver/wine"), w.toString());
    assertTrue(w.getAs("published_at") != null, w.toString());
    assertEquals(
        UdlTerms.UDL_TX_ID,
        w.<scala.collection.Map<String, String>>getAs("license_terms").get("License").get());
    List<Row> columns = w.getList(w.fieldIndex("columns"));
    assertTrue(
        columns.stream()
            .anyMatch(c -> c.getString(0).equals("alcohol") && c.getString(1).equals("double")),
        columns.toString());
    Row p = rows.get(penguins);
    assertEquals("verified", p.getAs("status"));
    assertEquals("Palmer penguins", p.getAs("title"));
    assertEquals(bob.address(), p.getAs("owner"));
    for (String hostile : List.of(relisted, malformed, oversized)) {
      assertEquals("unverified", rows.get(hostile).getAs("status"), hostile);
      assertTrue(rows.get(hostile).getAs("reason") != null, hostile);
    }

    // Nothing new: the sync starts at the block it reached and reads nothing.
    CliRun second = sync(buyer);
    assertEquals(0, second.code(), second.out() + second.err());
    assertTrue(
        second.out().contains("found 3 = 0 verified + 0 unverified + 0 skipped + 3 already"),
        second.out());

    // A third dataset, and a listing whose manifest.json the gateway does not have (yet).
    String votes = publish(pub, dir, "alice", "silver/votes");
    String dangling = listPaths(client, mallory, Map.of("manifest.json", "A".repeat(43)), "Later");
    ARLOCAL.mine();
    CliRun third = sync(buyer);
    assertEquals(0, third.code(), third.out() + third.err());
    assertTrue(third.out().contains("verified " + votes + " silver_votes version 0"), third.out());
    assertTrue(
        third.out().contains("skipped " + dangling + " (tried again next sync)"), third.out());
    assertTrue(
        third.out().contains("found 5 = 1 verified + 0 unverified + 1 skipped + 3 already"),
        third.out());
    // The skipped listing is tried again; what was stored is not read again.
    CliRun fourth = sync(buyer);
    assertEquals(0, fourth.code(), fourth.out() + fourth.err());
    assertTrue(
        fourth.out().contains("found 2 = 0 verified + 0 unverified + 1 skipped + 1 already"),
        fourth.out());
  }

  private static CliRun job(Path warehouse, String... args) {
    return CliRun.inWarehouse(warehouse, args);
  }

  private static void ingest(Path wh, String name, Path csv) {
    CliRun r = job(wh, "ingest-table", name, csv.toString());
    assertEquals(0, r.code(), r.out() + r.err());
  }

  private static Wallet funded(Path dir, String name) throws Exception {
    Wallet w = Wallet.generate(new SecureRandom());
    w.save(dir.resolve(name + ".json"));
    ARLOCAL.mint(w.address(), "1000000000000000");
    return w;
  }

  /** Publishes version 0 of {@code table} with {@code who}'s wallet; returns the manifest id. */
  private static String publish(Path wh, Path dir, String who, String table, String... sets) {
    List<String> args = new ArrayList<>(List.of(sets));
    args.addAll(
        List.of(
            "publish",
            table,
            "0",
            "--wallet",
            dir.resolve(who + ".json").toString(),
            "--gateway",
            ARLOCAL.url().toString(),
            "--license",
            "CC-BY-4.0"));
    CliRun r = job(wh, args.toArray(String[]::new));
    assertEquals(0, r.code(), r.out() + r.err());
    Matcher m = MANIFEST_ID.matcher(r.out());
    assertTrue(m.find(), r.out());
    return m.group(1);
  }

  /**
   * Posts {@code manifest} (and {@code card}, if any) as transactions of {@code owner}, and a path
   * manifest over them tagged as a synthweave dataset; returns the path manifest's id.
   */
  private static String list(
      ArweaveClient client, Wallet owner, byte[] manifest, byte[] card, String title) {
    List<Tag> json = List.of(Tag.of("Content-Type", "application/json"));
    Map<String, String> ids = new HashMap<>();
    ids.put("manifest.json", client.upload(owner, manifest, json, UploadOptions.DEFAULTS).txId());
    if (card != null) {
      ids.put("croissant.json", client.upload(owner, card, json, UploadOptions.DEFAULTS).txId());
    }
    return listPaths(client, owner, ids, title);
  }

  /** Posts a path manifest of {@code ids} tagged as a synthweave dataset; returns its id. */
  private static String listPaths(
      ArweaveClient client, Wallet owner, Map<String, String> ids, String title) {
    PathManifest paths = new PathManifest();
    ids.forEach(paths::path);
    paths.index("manifest.json");
    List<Tag> tags =
        List.of(
            PathManifest.CONTENT_TYPE_TAG,
            Tag.of("App-Name", "synthweave"),
            Tag.of("Type", "dataset"),
            Tag.of("Title", title),
            Tag.of("Implements", "ANS-110"));
    return client.upload(owner, paths.toBytes(), tags, UploadOptions.DEFAULTS).txId();
  }

  private static CliRun sync(Path buyer) {
    return job(buyer, "market", "sync", "--gateway", ARLOCAL.url().toString());
  }

  private static String line(String out, String id) {
    for (String l : out.split("\n")) {
      if (l.contains(" " + id + " ")) {
        return l;
      }
    }
    return "";
  }

  private static Map<String, Row> catalog(Path wh) {
    SparkSession spark = CliRun.deltaSession();
    try {
      Map<String, Row> byId = new HashMap<>();
      for (Row r :
          spark
              .read()
              .format("delta")
              .load(wh.resolve("market/catalog").toString())
              .collectAsList()) {
        byId.put(r.getAs("id"), r);
      }
      return byId;
    } finally {
      spark.stop();
      SparkSession.clearDefaultSession();
    }
  }
}
