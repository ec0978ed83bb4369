package org.synthweave.market.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.synthweave.embedding.text.EncoderOptions;
import org.synthweave.embedding.text.TextEncoder;
import org.synthweave.embedding.text.TextModel;
import org.synthweave.market.CatalogSearch;
import org.synthweave.market.Listing;
import org.synthweave.market.Listing.Kind;
import org.synthweave.market.ListingDetail;
import org.synthweave.market.ListingSource;
import org.synthweave.market.Preview;
import org.synthweave.verification.Certificate;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.QualityReport;

/**
 * The server on an ephemeral port, over real HTTP, with listings made here (one carrying script and
 * HTML payloads in every text field), the real hybrid search (all-MiniLM-L6-v2) and a listing
 * source answering from records made here.
 */
class MarketServerTest {
  private static final String SCRIPT = "<script>alert(1)</script>";
  private static final String IMG = "\"><img src=x onerror=alert(1)>";
  private static final String QUOTE = "' onmouseover='alert(1)";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String WINE = id("wine");
  private static final String HEART = id("heart");
  private static final String CARS = id("cars");
  private static final String HOSTILE = id("hostile");
  private static final String FORGED = id("forged");
  private static final String BROKEN = id("broken");
  private static final String SLOW = id("slow");

  private static final List<Listing> LISTINGS = new ArrayList<>();
  private static TextEncoder encoder;
  private static CatalogSearch search;
  private static MarketServer server;
  private static HttpClient http;
  private static final RecordedSource SOURCE = new RecordedSource();

  @BeforeAll
  static void start() throws Exception {
    List<Listing> listings = LISTINGS;
    listings.add(
        listing(
            WINE,
            "wine",
            "Red wine physicochemical measurements",
            "Acidity, residual sugar and alcohol of Portuguese red wines with a sensory grade.",
            List.of("wine", "chemistry"),
            List.of("fixed_acidity", "residual_sugar", "alcohol", "quality"),
            Kind.SYNTHETIC,
            1599L,
            0.91,
            "http://127.0.0.1:1984",
            Listing.Status.VERIFIED,
            5));
    listings.add(
        listing(
            HEART,
            "heart",
            "Cardiology clinic patients",
            "Cholesterol, blood pressure and chest pain type of clinic patients.",
            List.of("health"),
            List.of("age", "chol", "trestbps", "target"),
            Kind.REAL,
            303L,
            null,
            "http://127.0.0.1:1984",
            Listing.Status.VERIFIED,
            3));
    listings.add(
        listing(
            CARS,
            "cars",
            "Used car prices",
            "Mileage, engine size and asking price of used cars.",
            List.of("cars", "prices"),
            List.of("mileage", "engine", "price"),
            Kind.AUGMENTED,
            12000L,
            null,
            "http://127.0.0.1:1984",
            Listing.Status.VERIFIED,
            7));
    listings.add(
        listing(
            HOSTILE,
            "x$(touch pwned);`id`",
            "Wine " + SCRIPT + IMG,
            "A wine table. " + SCRIPT + " " + IMG + " " + QUOTE,
            List.of(SCRIPT, IMG),
            List.of(SCRIPT, IMG, "alcohol"),
            Kind.SYNTHETIC,
            10L,
            0.5,
            "javascript:alert(1)",
            Listing.Status.VERIFIED,
            9));
    listings.add(
        listing(
            FORGED,
            "forged",
            "Forged wine listing",
            "Wine data whose manifest signature does not verify.",
            List.of("wine"),
            List.of("alcohol"),
            Kind.SYNTHETIC,
            50L,
            0.99,
            "http://127.0.0.1:1984",
            Listing.Status.UNVERIFIED,
            8));
    listings.add(
        listing(
            BROKEN,
            "broken",
            "Gateway down",
            "A listing whose gateway answers nothing.",
            List.of(),
            List.of("a"),
            Kind.REAL,
            5L,
            null,
            "http://127.0.0.1:1984",
            Listing.Status.VERIFIED,
            1));
    listings.add(
        listing(
            SLOW,
            "slow",
            "Slow gateway",
            "A listing whose gateway never answers.",
            List.of(),
            List.of("a"),
            Kind.REAL,
            5L,
            null,
            "http://127.0.0.1:1984",
            Listing.Status.VERIFIED,
            2));
    SOURCE.details.put(WINE, wineDetail(listings.get(0)));
    SOURCE.previews.put(WINE, winePreview());
    SOURCE.details.put(HOSTILE, hostileDetail(listings.get(3)));
    SOURCE.previews.put(
        HOSTILE,
        new Preview(
            HOSTILE,
            "data/" + SCRIPT + ".parquet",
            List.of(new Preview.Column(SCRIPT, Preview.Type.STRING)),
            List.of(List.of(IMG), List.of(SCRIPT))));
    encoder = TextEncoder.open(TextModel.ALL_MINILM_L6_V2, EncoderOptions.defaults());
    search = CatalogSearch.of(listings, encoder::encode);
    server =
        new MarketServer(
                listings,
                search::search,
                SOURCE,
                MarketServer.Options.defaults()
                    .withPort(0)
                    .withSourceTimeout(Duration.ofMillis(500)))
            .start();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    SOURCE.release.countDown();
    if (server != null) {
      server.close();
    }
    if (search != null) {
      search.close();
    }
    if (encoder != null) {
      encoder.close();
    }
  }

  @Test
  void searchPageShowsTheBestListingsWithBadges() throws Exception {
    HttpResponse<String> r = get("/?q=" + enc("red wine acidity"));
    assertEquals(200, r.statusCode());
    assertEquals("text/html;charset=utf-8", contentType(r));
    List<String> ids = resultIds(r.body());
    assertEquals(WINE, ids.get(0), r.body());
    assertFalse(ids.contains(FORGED), "unverified listings are hidden by default");
    assertTrue(r.body().contains("class=\"badge badge-verified\""));
    assertTrue(r.body().contains("<span class=\"kind kind-synthetic\">synthetic</span>"));
    assertTrue(r.body().contains("<span class=\"rows\">1,599 rows</span>"));
    assertTrue(r.body().contains("<span class=\"quality\">quality 0.91</span>"));
    assertTrue(r.body().contains("href=\"/listings/" + WINE + "\""));
    assertTrue(r.body().contains("<input id=\"q\" name=\"q\" type=\"search\""));
    assertTrue(r.body().contains("value=\"red wine acidity\""), "the query stays in the box");
  }

  @Test
  void filtersNarrowTheResults() throws Exception {
    List<String> all = resultIds(get("/?q=" + enc("wine")).body());
    assertTrue(all.contains(WINE) && all.contains(HOSTILE), all.toString());
    // hybrid: the vector list ranks every listing that passes, so the filters decide the set
    List<String> real = resultIds(get("/?q=wine&kind=real").body());
    assertEquals(Set.of(HEART, BROKEN, SLOW), Set.copyOf(real), real.toString());
    List<String> big = resultIds(get("/?q=wine&min_rows=1000").body());
    assertEquals(Set.of(WINE, CARS), Set.copyOf(big));
    assertEquals(WINE, big.get(0));
    List<String> good = resultIds(get("/?q=wine&min_quality=0.9").body());
    assertEquals(List.of(WINE), good);
    List<String> bm25 = resultIds(get("/?q=wine&mode=bm25&kind=synthetic").body());
    assertEquals(Set.of(WINE, HOSTILE), Set.copyOf(bm25));
    String withUnverified = get("/?q=wine&include_unverified=on").body();
    assertTrue(resultIds(withUnverified).contains(FORGED));
    assertTrue(withUnverified.contains("class=\"badge badge-unverified\""));
    assertTrue(withUnverified.contains("Unverified: manifest signature does not verify"));
    assertTrue(
        withUnverified.contains(
            "id=\"include-unverified\" name=\"include_unverified\""
                + " type=\"checkbox\" value=\"on\" checked"));
    // an empty form field means no constraint, as the page's own form submits it
    assertEquals(
        all,
        resultIds(get("/?q=wine&kind=&license=&min_rows=&min_quality=&sort=relevance").body()));
  }

  @Test
  void emptyQueryBrowsesNewestFirstAndSortsBySize() throws Exception {
    String body = get("/").body();
    assertEquals(List.of(HOSTILE, CARS, WINE, HEART, SLOW, BROKEN), resultIds(body));
    assertTrue(body.contains("<p id=\"result-count\">6 of 7 listings</p>"), body);
    assertEquals(
        List.of(CARS, WINE, HEART, HOSTILE, BROKEN, SLOW).subList(0, 3),
        resultIds(get("/?sort=size").body()).subList(0, 3));
    assertTrue(get("/?q=" + enc("zzzz qqqq")).statusCode() == 200);
  }

  @Test
  void listingPageShowsCardSchemaCertificatePlotsCommandFilesAndPreview() throws Exception {
    HttpResponse<String> r = get("/listings/" + WINE);
    assertEquals(200, r.statusCode());
    String b = r.body();
    assertTrue(b.contains("<h1 id=\"listing-title\">Red wine physicochemical measurements</h1>"));
    assertTrue(b.contains("<span id=\"badge\"><span class=\"badge badge-verified\">"));
    assertTrue(b.contains("<td class=\"column-name\">fixed_acidity</td>"));
    assertEquals(2, count(b, "<tr class=\"check check-pass\">"), b);
    assertEquals(1, count(b, "<tr class=\"check check-fail\">"));
    assertTrue(b.contains("<td class=\"check-value num\">0.98</td>"), b);
    assertTrue(b.contains("<td class=\"check-threshold\">&gt;= 0.99</td>"));
    assertEquals(1, count(b, "<svg class=\"fidelity-plot\""));
    assertEquals(3, count(b, "<rect class=\"bar-real\""));
    assertEquals(3, count(b, "<rect class=\"bar-synthetic\""));
    assertTrue(
        b.contains(
            "<code id=\"get-command\">synthweave market get "
                + WINE
                + " --gateway http://127.0.0.1:1984 --out wine-1</code>"));
    assertTrue(
        b.contains(
            "href=\"http://127.0.0.1:1984/"
                + WINE
                + "/data/part-00000.parquet\">"
                + "data/part-00000.parquet</a>"));
    assertTrue(b.contains("id=\"manifest-link\""));
    assertTrue(b.contains("<table id=\"preview\">"));
    assertTrue(b.contains("<th class=\"num\" title=\"double\">alcohol</th>"));
    assertTrue(b.contains("<td class=\"num\">9.4</td>"));
    assertTrue(b.contains("<span class=\"null\">null</span>"));
    assertTrue(b.contains("silver/wine"), "provenance");
    assertTrue(b.contains("<dt>Data-Model-Training</dt><dd>Allowed</dd>"), "license terms");
    assertEquals(MarketServer.Options.defaults().pageRows(), SOURCE.askedRows.get(WINE));
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders() throws Exception {
    for (String path :
        List.of(
            "/",
            "/listings/" + WINE,
            "/api/search?q=wine",
            "/api/listings/" + WINE,
            "/static/market.css",
            "/nothing",
            "/listings/bad")) {
      HttpResponse<String> r = get(path);
      assertEquals(
          MarketServer.CSP, r.headers().firstValue("Content-Security-Policy").orElse(null), path);
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
      assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(null));
      assertFalse(r.body().contains("<script"), path + " carries no script");
    }
    HttpResponse<String> css = get("/static/market.css");
    assertEquals(200, css.statusCode());
    assertEquals("text/css;charset=utf-8", contentType(css));
    assertTrue(css.body().contains(".badge-verified"));
  }

  @Test
  void hostileTextIsEscapedEverywhere() throws Exception {
    List<String> bodies = new ArrayList<>();
    bodies.add(get("/?q=" + enc("wine")).body());
    bodies.add(get("/?q=" + enc(SCRIPT + IMG + QUOTE)).body());
    bodies.add(get("/listings/" + HOSTILE).body());
    for (String b : bodies) {
      assertFalse(b.contains(SCRIPT), b);
      assertFalse(b.contains("<img"), b);
      assertFalse(b.contains("onerror=alert(1)>"), b);
      assertFalse(b.contains("' onmouseover='"), b);
      assertFalse(b.contains("javascript:"), "no link to a non-http gateway");
    }
    String search = bodies.get(0);
    assertTrue(search.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), search);
    assertTrue(resultIds(search).contains(HOSTILE));
    assertTrue(
        bodies.get(1).contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img"),
        "the reflected query is escaped inside the attribute");
    String page = bodies.get(2);
    assertTrue(
        page.contains("<td class=\"column-name\">&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
    assertTrue(
        page.contains(
            "<td class=\"column-name\">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</td>"));
    assertTrue(page.contains("<li class=\"keyword\">&lt;script&gt;"));
    assertTrue(page.contains("&#39; onmouseover=&#39;alert(1)"));
    // the hostile file url is javascript:, so it is text, not a link
    assertTrue(page.contains("<span class=\"file-link\">data/&lt;script&gt;"), page);
    // the dataset name cannot reach a shell; the non-http gateway is not offered
    assertTrue(
        page.contains(
            "<code id=\"get-command\">synthweave market get "
                + HOSTILE
                + " --gateway URL --out x__touch_pwned___id_-1</code>"),
        page);
    assertTrue(page.contains("<th title=\"string\">&lt;script&gt;alert(1)&lt;/script&gt;</th>"));
    assertTrue(page.contains("<svg class=\"fidelity-plot\""));
    // JSON carries the text as data, with < > & as unicode escapes
    for (String path :
        List.of(
            "/api/search?q=" + enc("wine"),
            "/api/listings/" + HOSTILE,
            "/api/listings/" + HOSTILE + "/preview")) {
      HttpResponse<String> r = get(path);
      assertEquals(200, r.statusCode(), path);
      assertFalse(r.body().contains("<"), path + ": " + r.body());
      assertFalse(r.body().contains(">"), path);
    }
    JsonNode hostile = JSON.readTree(get("/api/listings/" + HOSTILE).body());
    assertEquals("Wine " + SCRIPT + IMG, hostile.at("/listing/title").asText());
  }

  @Test
  void searchApiReturnsHitsAsJson() throws Exception {
    HttpResponse<String> r = get("/api/search?q=" + enc("cholesterol blood pressure") + "&k=2");
    assertEquals(200, r.statusCode());
    assertEquals("application/json", contentType(r));
    JsonNode j = JSON.readTree(r.body());
    assertEquals(2, j.get("count").asInt());
    assertEquals(HEART, j.at("/hits/0/id").asText());
    assertEquals("real", j.at("/hits/0/kind").asText());
    assertEquals(303, j.at("/hits/0/rows").asLong());
    assertEquals("verified", j.at("/hits/0/status").asText());
    JsonNode bm25 = JSON.readTree(get("/api/search?q=cars&mode=bm25&kind=augmented").body());
    assertEquals(1, bm25.get("count").asInt());
    assertEquals(CARS, bm25.at("/hits/0/id").asText());
    assertTrue(bm25.at("/hits/0/bm25_rank").asInt() == 1);
  }

  @Test
  void listingApiReturnsTheRowTheCertificateAndTheFiles() throws Exception {
    JsonNode j = JSON.readTree(get("/api/listings/" + WINE).body());
    assertEquals(WINE, j.at("/listing/id").asText());
    assertTrue(j.get("get_command").asText().startsWith("synthweave market get " + WINE));
    assertEquals(
        "http://127.0.0.1:1984/" + WINE + "/data/part-00000.parquet",
        j.at("/detail/files/0/url").asText());
    assertEquals(3, j.at("/detail/manifest/certificate/checks/0/results").size());
    assertEquals(3, j.at("/detail/plots/0/labels").size());
  }

  @Test
  void previewApiServesJsonAndArrow() throws Exception {
    HttpResponse<String> r = get("/api/listings/" + WINE + "/preview?rows=2");
    assertEquals(200, r.statusCode());
    assertEquals(2, SOURCE.askedRows.get(WINE));
    JsonNode j = JSON.readTree(r.body());
    assertEquals("data/part-00000.parquet", j.get("file").asText());
    assertEquals("DOUBLE", j.at("/columns/1/type").asText());
    assertEquals(9.4, j.at("/rows/0/1").asDouble());
    assertEquals("2024-02-29", j.at("/rows/0/4").asText());
    assertEquals("2026-11-01T10:15:30.123456Z", j.at("/rows/0/5").asText());
    assertEquals(
        Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}), j.at("/rows/0/6").asText());
    assertTrue(j.at("/rows/1/1").isNull());

    // asked beyond the cap: cut to the cap
    get("/api/listings/" + WINE + "/preview?rows=100000");
    assertEquals(MarketServer.Options.defaults().maxPreviewRows(), SOURCE.askedRows.get(WINE));

    HttpResponse<byte[]> byAccept =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/api/listings/" + WINE + "/preview"))
                .header("Accept", PreviewArrow.MEDIA_TYPE)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, byAccept.statusCode());
    assertEquals(PreviewArrow.MEDIA_TYPE, byAccept.headers().firstValue("Content-Type").get());
    assertArrowIsTheWinePreview(byAccept.body());
    HttpResponse<byte[]> byParam =
        http.send(
            HttpRequest.newBuilder(
                    server.uri().resolve("/api/listings/" + WINE + "/preview?format=arrow"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(PreviewArrow.MEDIA_TYPE, byParam.headers().firstValue("Content-Type").get());
    assertArrowIsTheWinePreview(byParam.body());
  }

  private static void assertArrowIsTheWinePreview(byte[] stream) throws IOException {
    try (BufferAllocator a = new RootAllocator();
        ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), a)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      assertTrue(reader.loadNextBatch());
      assertEquals(2, root.getRowCount());
      assertEquals(new ArrowType.Utf8(), root.getVector(0).getField().getType());
      assertEquals(new ArrowType.Int(64, true), root.getVector(3).getField().getType());
      assertEquals("id", root.getVector(0).getField().getName());
      assertEquals("DOUBLE", root.getVector(1).getField().getMetadata().get(PreviewArrow.TYPE_KEY));
      assertEquals("r1", ((VarCharVector) root.getVector(0)).getObject(0).toString());
      assertEquals(9.4, ((Float8Vector) root.getVector(1)).get(0));
      assertTrue(root.getVector(1).isNull(1));
      assertEquals(1, ((BitVector) root.getVector(2)).get(0));
      assertEquals(0, ((BitVector) root.getVector(2)).get(1));
      assertEquals(5L, ((BigIntVector) root.getVector(3)).get(0));
      assertEquals(
          LocalDate.parse("2024-02-29").toEpochDay(), ((DateDayVector) root.getVector(4)).get(0));
      assertEquals(
          PreviewArrow.micros(Instant.parse("2026-11-01T10:15:30.123456Z")),
          ((TimeStampMicroTZVector) root.getVector(5)).get(0));
      assertEquals(
          "UTC", ((ArrowType.Timestamp) root.getVector(5).getField().getType()).getTimezone());
      assertEquals(3, ((VarBinaryVector) root.getVector(6)).get(0).length);
      assertTrue(root.getVector(6).isNull(1));
      assertFalse(reader.loadNextBatch());
    }
  }

  @Test
  void badAndUnknownIdsAreRefusedBeforeAnyLookup() throws Exception {
    int before = SOURCE.calls.get();
    assertEquals(400, get("/listings/short").statusCode());
    assertEquals(400, get("/listings/" + WINE + "x").statusCode());
    assertEquals(400, get("/listings/" + WINE.substring(1) + "!").statusCode());
    HttpResponse<String> unknown = get("/listings/" + id("nothing-here"));
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.body().contains("<p id=\"error\">There is no listing"));
    HttpResponse<String> api = get("/api/listings/" + "a".repeat(42) + "%24");
    assertEquals(400, api.statusCode());
    assertEquals("application/json", contentType(api));
    assertTrue(JSON.readTree(api.body()).get("error").asText().contains("is not an Arweave"));
    // Jetty itself refuses a path with < or " (400) before the router sees it
    for (String payload : List.of(SCRIPT, IMG)) {
      HttpResponse<String> r = get("/listings/" + enc(payload));
      assertEquals(400, r.statusCode());
      assertFalse(r.body().contains("<img"));
      assertFalse(r.body().contains(SCRIPT));
    }
    assertEquals(404, get("/api/listings/" + id("nothing-here") + "/preview").statusCode());
    assertEquals(before, SOURCE.calls.get(), "no id that failed the checks reached the source");
    int traversal = get("/static/..%2F..%2Fpom.xml").statusCode();
    assertTrue(traversal == 400 || traversal == 404, "status " + traversal);
    assertEquals(404, get("/etc/passwd").statusCode());
  }

  @Test
  void badParametersAreRefusedWithTheReason() throws Exception {
    HttpResponse<String> kind = get("/?q=wine&kind=" + enc(SCRIPT));
    assertEquals(400, kind.statusCode());
    assertTrue(kind.body().contains("kind=&quot;&lt;script&gt;"), kind.body());
    assertTrue(kind.body().contains("real, augmented, synthetic, embeddings"));
    assertEquals(400, get("/api/search?q=wine&min_rows=many").statusCode());
    assertEquals(400, get("/api/search?q=wine&k=0").statusCode());
    assertEquals(400, get("/api/search?q=wine&sort=random").statusCode());
    assertEquals(400, get("/api/search?q=" + "w".repeat(501)).statusCode());
    assertEquals(400, get("/api/listings/" + WINE + "/preview?rows=0").statusCode());
    assertEquals(400, get("/api/listings/" + WINE + "/preview?format=csv").statusCode());
  }

  @Test
  void oversizedRequestsAreRefused() throws Exception {
    int status = get("/?q=" + "a".repeat(20_000)).statusCode();
    assertTrue(status == 414 || status == 431, "status " + status);
    HttpResponse<String> header =
        http.send(
            HttpRequest.newBuilder(server.uri()).header("X-Big", "b".repeat(20_000)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(431, header.statusCode());
    assertEquals(200, get("/").statusCode(), "the server still answers");
  }

  @Test
  void onlyGetIsAllowed() throws Exception {
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(server.uri().resolve("/api/search?q=wine"))
                  .method(method, HttpRequest.BodyPublishers.ofString("x=1"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(405, r.statusCode(), method);
      assertEquals("GET", r.headers().firstValue("Allow").orElse(null));
    }
  }

  @Test
  void gatewayFailuresAndTimeoutsAreShownNotHidden() throws Exception {
    HttpResponse<String> page = get("/listings/" + BROKEN);
    assertEquals(200, page.statusCode(), "the catalog row is still shown");
    assertTrue(page.body().contains("<p id=\"detail-problem\" class=\"warning\">"));
    assertTrue(page.body().contains("connection refused by the test gateway"));
    assertTrue(page.body().contains("<p id=\"preview-problem\""));
    assertTrue(page.body().contains("id=\"certificate-missing\""));
    assertEquals(502, get("/api/listings/" + BROKEN + "/preview").statusCode());
    HttpResponse<String> slow = get("/api/listings/" + SLOW + "/preview");
    assertEquals(504, slow.statusCode());
    assertTrue(slow.body().contains("did not arrive from its gateway within 500 ms"));
  }

  @Test
  void withoutASourceTheCatalogRowIsStillServed() throws Exception {
    try (MarketServer bare =
        new MarketServer(
                LISTINGS, search::search, null, MarketServer.Options.defaults().withPort(0))
            .start()) {
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(bare.uri().resolve("/listings/" + WINE)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("<td class=\"column-name\">fixed_acidity</td>"));
      assertTrue(page.body().contains("<p id=\"detail-problem\" class=\"warning\">This server"));
      assertTrue(page.body().contains("<p id=\"preview-problem\""));
      HttpResponse<String> preview =
          http.send(
              HttpRequest.newBuilder(bare.uri().resolve("/api/listings/" + WINE + "/preview"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(501, preview.statusCode());
      JsonNode listing =
          JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(bare.uri().resolve("/api/listings/" + WINE)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertTrue(listing.get("detail").isNull());
      assertEquals(WINE, listing.at("/listing/id").asText());
    }
  }

  @Test
  void requestsBeyondTheActiveAndWaitingLimitsAre503() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger reads =
        new java.util.concurrent.atomic.AtomicInteger();
    ListingSource blocking =
        new ListingSource() {
          @Override
          public ListingDetail detail(Listing listing) throws IOException {
            throw new IOException("not asked in this test");
          }

          @Override
          public Preview preview(Listing listing, int maxRows) throws IOException {
            reads.incrementAndGet();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IOException("interrupted", e);
            }
            return SOURCE.previews.get(WINE);
          }
        };
    // one request at once, one waiting
    MarketServer.Options one =
        new MarketServer.Options(
            "127.0.0.1",
            0,
            null,
            8,
            1,
            1,
            16,
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            2,
            8192,
            500,
            20,
            100,
            20,
            100);
    try (MarketServer small = new MarketServer(LISTINGS, search::search, blocking, one).start()) {
      HttpRequest preview =
          HttpRequest.newBuilder(small.uri().resolve("/api/listings/" + WINE + "/preview")).build();
      var first = http.sendAsync(preview, HttpResponse.BodyHandlers.ofString());
      while (reads.get() == 0) {
        Thread.sleep(10); // until the first request holds the only slot
      }
      var second = http.sendAsync(preview, HttpResponse.BodyHandlers.ofString());
      var third = http.sendAsync(preview, HttpResponse.BodyHandlers.ofString());
      // whichever of the two came last finds the waiting place taken
      HttpResponse<String> refused =
          (HttpResponse<String>) java.util.concurrent.CompletableFuture.anyOf(second, third).get();
      assertEquals(503, refused.statusCode());
      assertEquals(MarketServer.CSP, refused.headers().firstValue("Content-Security-Policy").get());
      release.countDown();
      assertEquals(200, first.get().statusCode());
      int other = (second.get() == refused ? third.get() : second.get()).statusCode();
      assertEquals(200, other);
    }
  }

  // ---- helpers

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.uri().toString().replaceAll("/$", "") + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String contentType(HttpResponse<?> r) {
    return r.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static List<String> resultIds(String html) {
    List<String> ids = new ArrayList<>();
    Matcher m = Pattern.compile("<li class=\"result\" data-id=\"([^\"]+)\">").matcher(html);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  /** A 43-character base64url id made from a name. */
  static String id(String name) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Listing listing(
      String id,
      String dataset,
      String title,
      String description,
      List<String> keywords,
      List<String> columns,
      Kind kind,
      Long rows,
      Double quality,
      String gateway,
      Listing.Status status,
      int day) {
    return new Listing(
        id,
        "owner-" + dataset,
        gateway,
        dataset,
        "1",
        title,
        description,
        keywords,
        "CC-BY-4.0",
        Map.of("License", "udl-tx", "Data-Model-Training", "Allowed"),
        columns.stream().map(c -> new Listing.Column(c, "double")).toList(),
        rows,
        rows * 100,
        1,
        kind,
        2,
        1,
        quality,
        quality == null ? Map.of() : Map.of("quality_score", quality, "tstr_ratio", 0.93),
        "synthetic rows of silver/" + dataset,
        "silver/" + dataset,
        Instant.parse("2026-11-01T00:00:00Z").plusSeconds(86_400L * day),
        100 + day,
        status,
        status == Listing.Status.VERIFIED ? null : "manifest signature does not verify");
  }

  private static ListingDetail wineDetail(Listing l) {
    return detail(
        l,
        "data/part-00000.parquet",
        "http://127.0.0.1:1984/" + l.id() + "/data/part-00000.parquet",
        "alcohol");
  }

  private static ListingDetail hostileDetail(Listing l) {
    return detail(l, "data/" + SCRIPT + ".parquet", "javascript:alert(1)", SCRIPT);
  }

  /** Two passing checks and one failing (completeness 0.98 against >= 0.99) on {@code column}. */
  static ListingDetail detail(Listing l, String path, String url, String column) {
    List<QualityReport.Entry> results =
        List.of(
            new QualityReport.Entry("rows", "", "rows", ">= 100", 1599.0, null, true),
            new QualityReport.Entry(
                "complete", column, "completeness", ">= 0.99", 0.98, null, false),
            new QualityReport.Entry("range", column, "in_range", "[8, 15]", 1.0, null, true));
    Certificate cert =
        new Certificate(
            Certificate.FORMAT,
            false,
            true,
            List.of(
                new Certificate.CheckSet(
                    l.dataset(),
                    "silver/" + l.dataset(),
                    3,
                    "2026-11-01T00:00:00Z",
                    false,
                    List.of(),
                    results)),
            new Certificate.SyntheticSummary(
                "1", "gold/report", 1599, Map.of("quality_score", 0.91, "detection_auc", 0.61)),
            new Certificate.Lineage(
                List.of(new Certificate.Upstream("real", "silver/" + l.dataset(), 3L, "recorded")),
                List.of(),
                List.of(),
                "cfg",
                "0.1.0",
                null,
                Map.of()),
            null);
    DatasetManifest m =
        DatasetManifest.create(
                l.dataset(),
                "1",
                3,
                "{\"type\":\"struct\",\"fields\":[]}",
                List.of(new DatasetManifest.FileEntry(path, 4096, "ab".repeat(32), 1599)),
                new DatasetManifest.Provenance(
                    "silver/" + l.dataset(), 3, "cfg", "0.1.0", "2026-11-01T00:00:00Z"),
                null)
            .withCertificate(cert);
    return new ListingDetail(
        l,
        m,
        null,
        List.of(new ListingDetail.FileLink(path, 4096, 1599, "ab".repeat(32), URI.create(url))),
        List.of(
            new ListingDetail.FidelityPlot(
                column,
                "numeric",
                List.of("[8, 10)", "[10, 12)", "[12, 15]"),
                List.of(0.5, 0.3, 0.2),
                List.of(0.45, 0.35, 0.2))),
        null);
  }

  private static Preview winePreview() {
    List<Object> first =
        List.of(
            "r1",
            9.4,
            true,
            5L,
            LocalDate.parse("2024-02-29"),
            Instant.parse("2026-11-01T10:15:30.123456Z"),
            new byte[] {1, 2, 3});
    List<Object> second = new ArrayList<>();
    second.add("r2");
    second.add(null);
    second.add(false);
    second.add(6L);
    second.add(LocalDate.parse("1969-12-31"));
    second.add(Instant.parse("1969-12-31T23:59:59Z"));
    second.add(null);
    return new Preview(
        WINE,
        "data/part-00000.parquet",
        List.of(
            new Preview.Column("id", Preview.Type.STRING),
            new Preview.Column("alcohol", Preview.Type.DOUBLE),
            new Preview.Column("red", Preview.Type.BOOLEAN),
            new Preview.Column("quality", Preview.Type.LONG),
            new Preview.Column("bottled", Preview.Type.DATE),
            new Preview.Column("tasted_at", Preview.Type.TIMESTAMP),
            new Preview.Column("label_png", Preview.Type.BINARY)),
        List.of(first, second));
  }

  /**
   * Test-only: answers from the records above; {@code broken} fails like a refused connection,
   * {@code slow} blocks until the test ends. Records the rows each preview asked for.
   */
  static final class RecordedSource implements ListingSource {
    final Map<String, ListingDetail> details = new HashMap<>();
    final Map<String, Preview> previews = new HashMap<>();
    final Map<String, Integer> askedRows = new ConcurrentHashMap<>();
    final java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public ListingDetail detail(Listing listing) throws IOException {
      calls.incrementAndGet();
      answerOrFail(listing);
      ListingDetail d = details.get(listing.id());
      if (d == null) {
        throw new IOException("no manifest for " + listing.id());
      }
      return d;
    }

    @Override
    public Preview preview(Listing listing, int maxRows) throws IOException {
      calls.incrementAndGet();
      askedRows.put(listing.id(), maxRows);
      answerOrFail(listing);
      Preview p = previews.get(listing.id());
      if (p == null) {
        throw new IOException("no data file for " + listing.id());
      }
      return new Preview(
          p.listingId(),
          p.file(),
          p.columns(),
          p.rows().subList(0, Math.min(maxRows, p.rows().size())));
    }

    private void answerOrFail(Listing listing) throws IOException {
      if (listing.id().equals(BROKEN)) {
        throw new IOException("connection refused by the test gateway");
      }
      if (listing.id().equals(SLOW)) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
  }
}
