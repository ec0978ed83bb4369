package org.synthweave.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.synthweave.embedding.text.EncoderOptions;
import org.synthweave.embedding.text.TextEncoder;
import org.synthweave.embedding.text.TextModel;
import org.synthweave.market.CatalogSearch.Filters;
import org.synthweave.market.CatalogSearch.Hit;
import org.synthweave.market.CatalogSearch.Mode;
import org.synthweave.market.CatalogSearch.Sort;
import org.synthweave.market.Listing.Column;
import org.synthweave.market.Listing.Kind;

/** Hybrid search on hand-made listings, with the real all-MiniLM-L6-v2 encoder. */
class CatalogSearchTest {
  private static TextEncoder encoder;
  private static CatalogSearch search;

  private static final List<Listing> LISTINGS = new ArrayList<>();

  @BeforeAll
  static void index() {
    LISTINGS.add(
        listing(
            "wine",
            "Red wine physicochemical measurements",
            "Acidity, residual sugar, sulphates and alcohol of Portuguese red wines, with a sensory"
                + " grade from tasters.",
            List.of("wine", "chemistry"),
            List.of("fixed_acidity", "residual_sugar", "alcohol", "grade"),
            Kind.SYNTHETIC,
            1599L,
            0.91,
            "Allowed",
            Listing.Status.VERIFIED,
            5));
    LISTINGS.add(
        listing(
            "heart",
            "Cardiology clinic patients",
            "Cholesterol, blood pressure and chest pain type of people seen at a cardiology clinic,"
                + " with the diagnosis.",
            List.of("health"),
            List.of("age", "chol", "trestbps", "cp", "target"),
            Kind.REAL,
            303L,
            null,
            "Disallowed",
            Listing.Status.VERIFIED,
            3));
    LISTINGS.add(
        listing(
            "bikes",
            "Urban bicycle rentals",
            "Hourly counts of rented bikes with temperature, humidity and season.",
            List.of("mobility"),
            List.of("hour", "temp", "humidity", "count"),
            Kind.AUGMENTED,
            17379L,
            null,
            "Allowed",
            Listing.Status.VERIFIED,
            9));
    LISTINGS.add(
        listing(
            "taxi",
            "Taxi trips in New York",
            "Pickup and dropoff times, fares and tips of yellow cab rides.",
            List.of("transport"),
            List.of("pickup_time", "dropoff_time", "fare_amount", "tip_amount"),
            Kind.REAL,
            1_000_000L,
            null,
            "Allowed",
            Listing.Status.VERIFIED,
            7));
    LISTINGS.add(
        listing(
            "sensors",
            "Station QX7731 readings",
            "Particulate matter and nitrogen dioxide measured every minute at one roadside station.",
            List.of("air"),
            List.of("pm25", "no2", "ts"),
            Kind.SYNTHETIC,
            50_000L,
            0.72,
            "Allowed",
            Listing.Status.VERIFIED,
            1));
    LISTINGS.add(
        listing(
            "iris",
            "Iris flowers",
            "Sepal and petal length and width of three iris species.",
            List.of("botany"),
            List.of("sepal_length", "sepal_width", "petal_length", "petal_width", "species"),
            Kind.REAL,
            150L,
            null,
            "Allowed",
            Listing.Status.VERIFIED,
            2));
    LISTINGS.add(
        listing(
            "forged",
            "Red wine tasting grades",
            "Sensory grades of red wines.",
            List.of("wine"),
            List.of("grade"),
            Kind.SYNTHETIC,
            100_000L,
            0.99,
            "Allowed",
            Listing.Status.UNVERIFIED,
            8));
    encoder = TextEncoder.open(TextModel.ALL_MINILM_L6_V2, EncoderOptions.defaults());
    search = CatalogSearch.of(LISTINGS, encoder::encode);
  }

  @AfterAll
  static void close() {
    search.close();
    encoder.close();
  }

  @Test
  void bm25FindsAnIdentifierAndVectorsFindAParaphrase() {
    // only the sensors listing has the token; BM25 ranks it first
    assertEquals(
        "sensors", ids(search.search("QX7731", Mode.BM25, none(), Sort.RELEVANCE, 3)).get(0));
    // no listing has "cardiac" or "illness": BM25 finds nothing, the vectors find the heart clinic
    assertTrue(search.search("cardiac illness", Mode.BM25, none(), Sort.RELEVANCE, 3).isEmpty());
    assertEquals(
        "heart",
        ids(search.search("cardiac illness", Mode.VECTOR, none(), Sort.RELEVANCE, 3)).get(0));
    // both halves in one query: BM25 alone misses the clinic, hybrid has both in the top 2
    String q = "QX7731 cardiac illness";
    assertEquals(List.of("sensors"), ids(search.search(q, Mode.BM25, none(), Sort.RELEVANCE, 2)));
    List<Hit> hybrid = search.search(q, Mode.HYBRID, none(), Sort.RELEVANCE, 2);
    assertEquals(
        List.of("heart", "sensors"), ids(hybrid).stream().sorted().toList(), hybrid.toString());
    Hit sensors = hybrid.stream().filter(h -> h.listing().id().equals("sensors")).findFirst().get();
    assertEquals(1, sensors.bm25Rank());
    // the only BM25 hit scales to 1; its cosine adds a scaled share of the vector weight
    assertTrue(
        sensors.score() >= 1 - CatalogSearch.VECTOR_WEIGHT && sensors.score() <= 1,
        hybrid.toString());
    Hit heart = hybrid.stream().filter(h -> h.listing().id().equals("heart")).findFirst().get();
    // first by cosine (scaled 1), no BM25 hit (0)
    assertEquals(0, heart.bm25Rank());
    assertEquals(1, heart.vectorRank());
    assertEquals(CatalogSearch.VECTOR_WEIGHT, heart.score(), 1e-12);
  }

  @Test
  void columnNamesAreSearchedAsWords() {
    List<Hit> hits = search.search("petal width", Mode.BM25, none(), Sort.RELEVANCE, 1);
    assertEquals(List.of("iris"), ids(hits));
    assertEquals("fixed acidity", CatalogSearch.words("fixed_acidity"));
    assertEquals("fixed Acidity", CatalogSearch.words("fixedAcidity"));
  }

  @Test
  void fusionScalesEachListToTheUnitRange() {
    CatalogSearch.Scale s = CatalogSearch.Scale.of(List.of(2f, 4f, 6f));
    assertEquals(0.0, s.apply(2f), 1e-12);
    assertEquals(0.5, s.apply(4f), 1e-12);
    assertEquals(1.0, s.apply(6f), 1e-12);
    assertEquals(0.0, s.apply(null), "not in the list");
    assertEquals(1.0, CatalogSearch.Scale.of(List.of(3f, 3f)).apply(3f), 1e-12);
  }

  @Test
  void unverifiedListingsAreOutUnlessAsked() {
    List<Hit> verified = search.search("red wine grades", Mode.HYBRID, none(), Sort.RELEVANCE, 7);
    assertFalse(ids(verified).contains("forged"), verified.toString());
    assertEquals("wine", ids(verified).get(0));
    Filters all = new Filters(Map.of(), null, null, null, null, null, true);
    List<Hit> withForged = search.search("red wine grades", Mode.HYBRID, all, Sort.RELEVANCE, 7);
    assertTrue(ids(withForged).contains("forged"), withForged.toString());
    assertEquals(LISTINGS.size(), withForged.size());
  }

  @Test
  void filtersAreExactInBothRankings() {
    for (Mode mode : Mode.values()) {
      Filters synthetic = new Filters(Map.of(), null, Kind.SYNTHETIC, null, null, null, false);
      assertEquals(
          List.of("sensors", "wine"),
          ids(search.search("wine readings station", mode, synthetic, Sort.RELEVANCE, 10)).stream()
              .sorted()
              .toList(),
          mode.toString());
    }
    Filters training =
        new Filters(Map.of("Data-Model-Training", "Allowed"), null, null, null, null, null, false);
    assertFalse(
        ids(search.search("cardiology patients", Mode.HYBRID, training, Sort.RELEVANCE, 10))
            .contains("heart"));
    Filters bigAndGood = new Filters(Map.of(), "CC-BY-4.0", null, null, 1000L, 0.8, false);
    assertEquals(
        List.of("wine"),
        ids(search.search("measurements", Mode.HYBRID, bigAndGood, Sort.RELEVANCE, 10)));
    Filters owner = new Filters(Map.of(), null, null, "owner-taxi", null, null, false);
    assertEquals(
        List.of("taxi"), ids(search.search("wine", Mode.VECTOR, owner, Sort.RELEVANCE, 10)));
  }

  @Test
  void sortsTheTopKByDateOrSize() {
    Filters all = Filters.none();
    List<Hit> bySize = search.search("measurements", Mode.VECTOR, all, Sort.SIZE, 6);
    List<Long> sizes = bySize.stream().map(h -> h.listing().bytes()).toList();
    assertEquals(sizes.stream().sorted((a, b) -> Long.compare(b, a)).toList(), sizes);
    List<Hit> byDate = search.search("measurements", Mode.VECTOR, all, Sort.DATE, 6);
    List<Instant> dates = byDate.stream().map(h -> h.listing().publishedAt()).toList();
    assertEquals(dates.stream().sorted((a, b) -> b.compareTo(a)).toList(), dates);
    assertEquals("bikes", byDate.get(0).listing().id());
  }

  @Test
  void knownVectorsAreReusedAndOnlyNewPassagesEmbedded() {
    List<Listing> changed = new ArrayList<>(LISTINGS);
    Listing iris = changed.get(5);
    changed.set(
        5,
        new Listing(
            iris.id(),
            iris.owner(),
            iris.gateway(),
            iris.dataset(),
            iris.version(),
            "Iris flowers, second edition",
            iris.description(),
            iris.keywords(),
            iris.license(),
            iris.licenseTerms(),
            iris.columns(),
            iris.rows(),
            iris.bytes(),
            iris.files(),
            iris.kind(),
            iris.checksPassed(),
            iris.checksFailed(),
            iris.qualityScore(),
            iris.fidelity(),
            iris.provenance(),
            iris.sourceTable(),
            iris.publishedAt(),
            iris.blockHeight(),
            iris.status(),
            iris.reason()));
    List<String> embeddedTexts = new ArrayList<>();
    CatalogSearch.Encoder counting =
        texts -> {
          embeddedTexts.addAll(texts);
          return encoder.encode(texts);
        };
    assertEquals(LISTINGS.size(), search.embedded());
    try (CatalogSearch again = CatalogSearch.of(changed, counting, search.vectors())) {
      assertEquals(1, again.embedded());
      // only the changed listing's passage is embedded
      assertEquals(List.of(CatalogSearch.passage(changed.get(5))), embeddedTexts);
      String q = "QX7731 cardiac illness";
      assertEquals(
          ids(search.search(q, Mode.HYBRID, none(), Sort.RELEVANCE, 5)),
          ids(again.search(q, Mode.HYBRID, none(), Sort.RELEVANCE, 5)));
    }
  }

  private static Filters none() {
    return Filters.none();
  }

  private static List<String> ids(List<Hit> hits) {
    return hits.stream().map(h -> h.listing().id()).toList();
  }

  private static Listing listing(
      String id,
      String title,
      String description,
      List<String> keywords,
      List<String> columns,
      Kind kind,
      Long rows,
      Double quality,
      String training,
      Listing.Status status,
      int day) {
    return new Listing(
        id,
        "owner-" + id,
        "http://127.0.0.1:1984",
        id,
        "1",
        title,
        description,
        keywords,
        "CC-BY-4.0",
        Map.of("License", "udl-tx", "Data-Model-Training", training),
        columns.stream().map(c -> new Column(c, "string")).toList(),
        rows,
        rows * 100,
        1,
        kind,
        4,
        0,
        quality,
        Map.of(),
        null,
        null,
        Instant.parse("2026-11-01T00:00:00Z").plusSeconds(86_400L * day),
        100 + day,
        status,
        status == Listing.Status.VERIFIED ? null : "manifest signature does not verify");
  }
}
