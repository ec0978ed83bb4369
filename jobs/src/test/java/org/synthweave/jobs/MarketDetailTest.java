package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.ArlocalGateway;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.manifest.PathManifest;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.upload.UploadOptions;
import org.synthweave.arweave.wallet.Wallet;
import org.synthweave.core.ContentIds;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.embedding.text.EncoderOptions;
import org.synthweave.embedding.text.TextEncoder;
import org.synthweave.embedding.text.TextModel;
import org.synthweave.market.CatalogSearch;
import org.synthweave.market.CatalogSync;
import org.synthweave.market.GatewayListingSource;
import org.synthweave.market.Listing;
import org.synthweave.market.ListingDataException;
import org.synthweave.market.ListingDetail;
import org.synthweave.market.ListingReader;
import org.synthweave.market.Preview;
import org.synthweave.market.serve.MarketServer;
import org.synthweave.verification.DatasetManifest;

/**
 * A listing's detail and preview read again from a real arlocal, and {@code market show}: the wine
 * sample published honestly by Alice, and listings by Mallory whose manifests she signed herself
 * but whose files are not what they sign (a changed Parquet file, a changed card), whose manifest
 * lists a path out of the folder, or whose data file is not Parquet.
 */
class MarketDetailTest {
  @RegisterExtension static final ArlocalGateway ARLOCAL = new ArlocalGateway();

  private static final Pattern MANIFEST_ID = Pattern.compile("manifest (\\S+) \\(");
  private static final String PART = "data/part-00000.parquet";

  @TempDir static Path dir;

  private static Path export;
  private static String wine;
  private static String tamperedData;
  private static String tamperedCard;
  private static String unsafePath;
  private static String garbage;
  private static Map<String, Listing> listings;

  @BeforeAll
  static void publishHonestAndHostileListings() throws Exception {
    Path pub = dir.resolve("publisher");
    Path csv = SparkTestBase.repoRoot().resolve("data/samples/tables/wine.csv");
    CliRun ingest = CliRun.inWarehouse(pub, "ingest-table", "wine", csv.toString());
    assertEquals(0, ingest.code(), ingest.out() + ingest.err());
    funded("alice");
    Wallet mallory = funded("mallory");
    CliRun pubRun =
        CliRun.inWarehouse(
            pub,
            "publish",
            "silver/wine",
            "0",
            "--wallet",
            dir.resolve("alice.json").toString(),
            "--gateway",
            ARLOCAL.url().toString(),
            "--license",
            "CC-BY-4.0");
    assertEquals(0, pubRun.code(), pubRun.out() + pubRun.err());
    Matcher m = MANIFEST_ID.matcher(pubRun.out());
    assertTrue(m.find(), pubRun.out());
    wine = m.group(1);
    export = pub.resolve("datasets/silver_wine/0");

    // Mallory signs manifests of her own, so each listing is hers to list; only the files lie.
    ArweaveClient client = new ArweaveClient(ARLOCAL.config().build());
    DatasetManifest honest = DatasetManifest.readFrom(export);
    byte[] part = Files.readAllBytes(export.resolve(PART));
    byte[] card = Files.readAllBytes(export.resolve("croissant.json"));
    byte[] signed = bytes(honest.sign(mallory.privateKey()));

    byte[] changed = part.clone();
    changed[changed.length / 2] ^= 0x5a;
    tamperedData = list(client, mallory, signed, Map.of(PART, changed, "croissant.json", card));

    byte[] otherCard =
        new String(card, StandardCharsets.UTF_8)
            .replace("Wine recognition", "Wine, improved")
            .getBytes(StandardCharsets.UTF_8);
    tamperedCard = list(client, mallory, signed, Map.of(PART, part, "croissant.json", otherCard));

    List<DatasetManifest.FileEntry> files = new ArrayList<>(honest.files());
    files.add(new DatasetManifest.FileEntry("../escape.parquet", part.length, sha256(part), 0));
    DatasetManifest escaping =
        DatasetManifest.create(
                honest.dataset(),
                honest.version(),
                honest.tableVersion(),
                honest.schema(),
                files,
                honest.provenance(),
                null)
            .sign(mallory.privateKey());
    unsafePath = list(client, mallory, bytes(escaping), Map.of(PART, part, "croissant.json", card));

    byte[] junk = "PAR1 this is not a Parquet file PAR1".getBytes(StandardCharsets.UTF_8);
    DatasetManifest notParquet =
        DatasetManifest.create(
                honest.dataset(),
                honest.version(),
                honest.tableVersion(),
                honest.schema(),
                List.of(new DatasetManifest.FileEntry(PART, junk.length, sha256(junk), 178)),
                honest.provenance(),
                null)
            .sign(mallory.privateKey());
    garbage = list(client, mallory, bytes(notParquet), Map.of(PART, junk));
    ARLOCAL.mine();

    // The listings as a sync reads them (no Spark needed for that).
    CatalogSync.Result r =
        new CatalogSync(client, ListingReader.DEFAULT_MAX_MANIFEST_BYTES).sync(0, Set.of());
    listings = new HashMap<>();
    r.listings().forEach(l -> listings.put(l.id(), l));
    assertEquals(5, listings.size(), listings.toString());
  }

  /**
   * The page and the API of {@code market serve} on the real gateway source: the honest listing's
   * page shows its certified checks and first rows, its preview comes as JSON and as an Arrow
   * stream read back with Arrow's own reader, and a listing whose data file is not what it signs is
   * refused (422), never previewed.
   */
  @Test
  void theServerShowsARealListingAndRefusesDataThatIsNotWhatItSigns() throws Exception {
    List<Listing> all = new ArrayList<>(listings.values());
    try (TextEncoder encoder =
            TextEncoder.open(TextModel.ALL_MINILM_L6_V2, EncoderOptions.defaults());
        CatalogSearch search = CatalogSearch.of(all, encoder::encode)) {
      MarketServer server =
          new MarketServer(
                  all,
                  search::search,
                  new GatewayListingSource(),
                  MarketServer.Options.defaults().withPort(0))
              .start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page =
            http.send(
                HttpRequest.newBuilder(server.uri().resolve("/listings/" + wine)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), page.body());
        String b = page.body();
        assertTrue(b.contains("<table id=\"checks\">"), "the certified checks: " + b);
        assertTrue(b.contains("<table id=\"preview\">"), "the first rows: " + b);
        assertTrue(b.contains("whose SHA-256 matched the signed manifest"), b);
        assertTrue(b.contains("synthweave market get " + wine + " --gateway "), b);

        HttpResponse<byte[]> arrow =
            http.send(
                HttpRequest.newBuilder(
                        server.uri().resolve("/api/listings/" + wine + "/preview?rows=3"))
                    .header("Accept", "application/vnd.apache.arrow.stream")
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, arrow.statusCode(), new String(arrow.body(), StandardCharsets.UTF_8));
        assertEquals(
            "application/vnd.apache.arrow.stream",
            arrow.headers().firstValue("Content-Type").orElse(""));
        Preview p = new GatewayListingSource().preview(listings.get(wine), 3);
        try (BufferAllocator a = new RootAllocator();
            ArrowStreamReader reader =
                new ArrowStreamReader(new ByteArrayInputStream(arrow.body()), a)) {
          VectorSchemaRoot root = reader.getVectorSchemaRoot();
          assertTrue(reader.loadNextBatch());
          assertEquals(3, root.getRowCount());
          assertEquals(
              p.columns().stream().map(Preview.Column::name).toList(),
              root.getSchema().getFields().stream().map(f -> f.getName()).toList());
          for (int c = 0; c < p.columns().size(); c++) {
            for (int r = 0; r < 3; r++) {
              Object want = p.rows().get(r).get(c);
              if (want instanceof java.time.Instant t) {
                want = java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, t);
              }
              Object have = root.getVector(c).getObject(r);
              assertEquals(
                  String.valueOf(want),
                  String.valueOf(have),
                  "row " + r + " column " + p.columns().get(c).name());
            }
          }
        }

        HttpResponse<String> refused =
            http.send(
                HttpRequest.newBuilder(
                        server.uri().resolve("/api/listings/" + tamperedData + "/preview"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(422, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("refused"), refused.body());
      } finally {
        server.close();
      }
    }
  }

  @Test
  void anHonestListingShowsItsSignedFilesAndItsFirstRows() throws Exception {
    GatewayListingSource source = new GatewayListingSource();
    Listing l = listings.get(wine);
    assertEquals(Listing.Status.VERIFIED, l.status(), l.reason());
    ListingDetail d = source.detail(l);
    assertNull(d.problem(), d.problem());
    assertEquals("silver_wine", d.manifest().dataset());
    assertTrue(d.card().path("name").asText().length() > 0, d.card().toString());
    assertTrue(d.plots().isEmpty(), "a real table has no synthetic report");
    DatasetManifest local = DatasetManifest.readFrom(export);
    assertEquals(
        local.files().stream().map(DatasetManifest.FileEntry::path).toList(),
        d.files().stream().map(ListingDetail.FileLink::path).toList());
    ListingDetail.FileLink link =
        d.files().stream().filter(f -> f.path().equals(PART)).findFirst().orElseThrow();
    assertEquals(
        ARLOCAL.url().toString().replaceAll("/$", "") + "/" + wine + "/" + PART,
        link.url().toString());
    assertEquals(178, link.rows());
    // The link serves the signed bytes: the gateway resolves the path through the path manifest.
    HttpResponse<byte[]> got =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(link.url()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, got.statusCode());
    assertEquals(link.sha256(), sha256(got.body()));

    Preview p = source.preview(l, 5);
    assertEquals(wine, p.listingId());
    assertEquals(PART, p.file());
    assertEquals(5, p.rows().size());
    SparkSession spark = CliRun.deltaSession();
    try {
      var df = spark.read().parquet(export.resolve(PART).toString());
      assertEquals(List.of(df.columns()), p.columns().stream().map(Preview.Column::name).toList());
      List<Row> expected = df.limit(5).collectAsList();
      for (int i = 0; i < 5; i++) {
        for (int c = 0; c < df.columns().length; c++) {
          Object want = expected.get(i).get(c);
          Object have = p.rows().get(i).get(c);
          String where = "row " + i + " column " + df.columns()[c];
          switch (p.columns().get(c).type()) {
            case LONG -> assertEquals(((Number) want).longValue(), have, where);
            case DOUBLE -> assertEquals(((Number) want).doubleValue(), have, where);
            case TIMESTAMP -> assertEquals(((java.sql.Timestamp) want).toInstant(), have, where);
            default -> assertEquals(String.valueOf(want), String.valueOf(have), where);
          }
        }
      }
    } finally {
      spark.stop();
      SparkSession.clearDefaultSession();
    }
  }

  @Test
  void filesThatAreNotWhatTheManifestSignsAreProblemsNeverRows() throws Exception {
    GatewayListingSource source = new GatewayListingSource();

    // A changed data file: the listing itself verifies, the preview catches the file.
    Listing data = listings.get(tamperedData);
    assertEquals(Listing.Status.VERIFIED, data.status(), data.reason());
    assertNull(source.detail(data).problem());
    ListingDataException hash =
        assertThrows(ListingDataException.class, () -> source.preview(data, 5));
    assertTrue(hash.getMessage().contains(PART), hash.getMessage());
    assertTrue(hash.getMessage().contains("the signed manifest says"), hash.getMessage());

    // A changed card: the detail says so, and no rows are shown from a listing that fails.
    ListingDetail card = source.detail(listings.get(tamperedCard));
    assertNotNull(card.problem());
    assertTrue(card.problem().contains("croissant.json"), card.problem());
    assertNull(card.card());
    assertThrows(ListingDataException.class, () -> source.preview(listings.get(tamperedCard), 5));

    // A path out of the folder: unverified at sync, no link for it, and the reason.
    assertEquals(Listing.Status.UNVERIFIED, listings.get(unsafePath).status());
    assertTrue(listings.get(unsafePath).reason().contains("unsafe path"));
    ListingDetail unsafe = source.detail(listings.get(unsafePath));
    assertTrue(unsafe.problem().contains("../escape.parquet"), unsafe.problem());
    assertTrue(unsafe.files().stream().noneMatch(f -> f.path().contains("..")));
    assertTrue(unsafe.files().stream().anyMatch(f -> f.path().equals(PART)));
    ListingDataException refused =
        assertThrows(ListingDataException.class, () -> source.preview(listings.get(unsafePath), 5));
    assertTrue(refused.getMessage().contains("does not verify now"), refused.getMessage());

    // A signed file that is not Parquet.
    ListingDataException junk =
        assertThrows(ListingDataException.class, () -> source.preview(listings.get(garbage), 5));
    assertTrue(junk.getMessage().contains("is not a Parquet file"), junk.getMessage());

    // A file over the preview limit is not downloaded.
    ListingDataException big =
        assertThrows(
            ListingDataException.class,
            () -> new GatewayListingSource(1 << 20, 100).preview(listings.get(wine), 5));
    assertTrue(big.getMessage().contains("over the preview limit of 100"), big.getMessage());
  }

  @Test
  void marketShowPrintsTheCardCertificateFilesProvenanceAndTheGetCommand() throws Exception {
    Path buyer = dir.resolve("buyer");
    CliRun sync =
        CliRun.inWarehouse(buyer, "market", "sync", "--gateway", ARLOCAL.url().toString());
    assertEquals(0, sync.code(), sync.out() + sync.err());

    CliRun show = CliRun.inWarehouse(buyer, "market", "show", wine);
    assertEquals(0, show.code(), show.out() + show.err());
    String out = show.out();
    assertTrue(out.contains("Wine recognition"), out);
    assertTrue(out.contains("id:          " + wine), out);
    assertTrue(out.contains("license:     CC-BY-4.0"), out);
    assertTrue(out.contains("verification: verified now"), out);
    assertTrue(
        out.matches("(?s).*certificate: passed \\(\\d+ checks: \\d+ passed, 0 failed\\).*"), out);
    assertTrue(out.matches("(?s).*\\n    pass .* value .* threshold .*"), out);
    assertTrue(
        out.contains(ARLOCAL.url().toString().replaceAll("/$", "") + "/" + wine + "/" + PART), out);
    assertTrue(out.contains("table exported silver/wine version 0"), out);
    assertTrue(out.contains("  code: synthweave "), out);
    assertTrue(out.contains("synthweave market get " + wine + " --out silver_wine-0"), out);

    CliRun json = CliRun.inWarehouse(buyer, "market", "show", tamperedCard, "--json");
    assertEquals(0, json.code(), json.out() + json.err());
    String[] lines = json.out().strip().split("\n");
    assertEquals(1, lines.length, json.out());
    JsonNode o = new ObjectMapper().readTree(lines[0]);
    assertEquals(tamperedCard, o.get("id").asText());
    assertEquals(false, o.get("verified_now").asBoolean());
    assertTrue(o.get("problem").asText().contains("croissant.json"), o.toString());
    assertTrue(o.get("certificate").get("checks").size() > 0, o.toString());
    List<String> paths = new ArrayList<>();
    o.get("files").forEach(f -> paths.add(f.get("path").asText()));
    assertTrue(paths.contains(PART), paths.toString());
    assertEquals("silver/wine", o.get("provenance").get("source_table").asText());

    CliRun unknown = CliRun.inWarehouse(buyer, "market", "show", "no-such-listing");
    assertNotEquals(0, unknown.code());
    assertTrue(unknown.err().contains("holds no listing no-such-listing"), unknown.err());
  }

  private static Wallet funded(String name) throws Exception {
    Wallet w = Wallet.generate(new SecureRandom());
    w.save(dir.resolve(name + ".json"));
    ARLOCAL.mint(w.address(), "1000000000000000");
    return w;
  }

  private static byte[] bytes(DatasetManifest m) {
    return m.toJson().getBytes(StandardCharsets.UTF_8);
  }

  private static String sha256(byte[] b) {
    return ContentIds.sha256Hex(b);
  }

  /**
   * Posts {@code manifest} and {@code files} as transactions of {@code owner} and a path manifest
   * over them tagged as a synthweave dataset; returns the path manifest's id.
   */
  private static String list(
      ArweaveClient client, Wallet owner, byte[] manifest, Map<String, byte[]> files) {
    List<Tag> json = List.of(Tag.of("Content-Type", "application/json"));
    PathManifest paths = new PathManifest();
    paths.path(
        "manifest.json", client.upload(owner, manifest, json, UploadOptions.DEFAULTS).txId());
    files.forEach(
        (path, data) ->
            paths.path(path, client.upload(owner, data, json, UploadOptions.DEFAULTS).txId()));
    paths.index("manifest.json");
    List<Tag> tags =
        List.of(
            PathManifest.CONTENT_TYPE_TAG,
            Tag.of("App-Name", "synthweave"),
            Tag.of("Type", "dataset"),
            Tag.of("Title", "Wine, cheaper"));
    return client.upload(owner, paths.toBytes(), tags, UploadOptions.DEFAULTS).txId();
  }
}
