package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.market.Listing;

/**
 * {@code market search} on a catalog written straight into {@code market/catalog} (the rows {@code
 * market sync} stores; MarketSyncTest covers how they get there).
 */
class MarketSearchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void searchesTheWarehouseCatalogWithFiltersAndMarksUnverifiedListings(@TempDir Path wh)
      throws Exception {
    CliRun none = search(wh, "wine");
    assertNotEquals(0, none.code());
    assertTrue(none.err().contains("market sync"), none.err());

    store(
        wh,
        List.of(
            listing(
                "wine-id",
                "Red wine quality",
                "Acidity, sugar and alcohol of Portuguese red wines with a tasting grade.",
                List.of("fixed_acidity", "alcohol", "quality"),
                Listing.Kind.SYNTHETIC,
                1599L,
                0.91,
                "Allowed",
                null),
            listing(
                "heart-id",
                "Cardiology clinic patients",
                "Cholesterol, blood pressure and chest pain type of cardiology clinic patients.",
                List.of("age", "chol", "trestbps"),
                Listing.Kind.REAL,
                303L,
                null,
                "Disallowed",
                null),
            listing(
                "penguins-id",
                "Palmer penguins",
                "Bill and flipper measurements of three penguin species on Antarctic islands.",
                List.of("species", "bill_length_mm", "flipper_length_mm"),
                Listing.Kind.REAL,
                344L,
                null,
                "Allowed",
                null),
            listing(
                "forged-id",
                "\u001b[31mRed wine\u001b[0m, cheaper",
                "Red wines.",
                List.of("quality"),
                Listing.Kind.SYNTHETIC,
                1599L,
                0.99,
                "Allowed",
                "the manifest is signed by another key than the transaction's owner")));

    CliRun json = search(wh, "red wine quality", "--json");
    assertEquals(0, json.code(), json.out() + json.err());
    List<JsonNode> hits = lines(json.out());
    assertEquals("wine-id", hits.get(0).get("id").asText(), json.out());
    assertEquals(1599, hits.get(0).get("rows").asLong());
    assertEquals(0.91, hits.get(0).get("quality_score").asDouble(), 1e-12);
    assertEquals("Allowed", hits.get(0).get("license_terms").get("Data-Model-Training").asText());
    assertEquals(3, hits.size(), json.out());
    assertTrue(hits.stream().noneMatch(h -> h.get("id").asText().equals("forged-id")));

    CliRun table = search(wh, "red wine", "--include-unverified", "-k", "2");
    assertEquals(0, table.code(), table.out() + table.err());
    assertTrue(table.out().contains("forged-id"), table.out());
    // the first search kept the four passage vectors; this one embedded none
    assertTrue(table.out().contains("of 4 listings (0 newly embedded"), table.out());
    assertTrue(table.out().contains("unverified: the manifest is signed by another key"));
    assertFalse(table.out().contains("\u001b"), "terminal escapes from a title must not pass");

    // a paraphrase only the vectors match, then a license filter that rules the match out
    CliRun vector = search(wh, "cardiac illness", "--json", "--mode", "vector", "-k", "1");
    assertEquals("heart-id", lines(vector.out()).get(0).get("id").asText(), vector.out());
    CliRun bm25 = search(wh, "cardiac illness", "--json", "--mode", "bm25");
    assertEquals(List.of(), lines(bm25.out()), bm25.out());
    CliRun training =
        search(
            wh,
            "cardiac illness",
            "--json",
            "--filter",
            "Data-Model-Training=Allowed",
            "--min-rows",
            "340",
            "--filter",
            "kind=real");
    assertEquals(
        List.of("penguins-id"),
        lines(training.out()).stream().map(h -> h.get("id").asText()).toList(),
        training.out());

    CliRun badSort = search(wh, "wine", "--sort", "popularity");
    assertNotEquals(0, badSort.code());
    assertTrue(badSort.err().contains("relevance, date, size"), badSort.err());
  }

  private static CliRun search(Path wh, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--set",
                "warehouse=" + wh,
                "--set",
                "spark.master=local[1]",
                "--set",
                "spark.conf.spark.driver.host=127.0.0.1",
                "market",
                "search"));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private static List<JsonNode> lines(String out) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("{")) {
        nodes.add(JSON.readTree(line));
      }
    }
    return nodes;
  }

  static void store(Path wh, List<Listing> listings) {
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .getOrCreate();
    try {
      new SparkMarketCatalog(spark, new TableCatalog(wh.toString())).store(listings, Instant.now());
    } finally {
      spark.stop();
      SparkSession.clearDefaultSession();
    }
  }

  static Listing listing(
      String id,
      String title,
      String description,
      List<String> columns,
      Listing.Kind kind,
      Long rows,
      Double quality,
      String training,
      String reason) {
    return new Listing(
        id,
        "owner-" + id,
        "http://127.0.0.1:1984",
        id.replace("-id", ""),
        "0",
        title,
        description,
        List.of(),
        "CC-BY-4.0",
        Map.of("License", "udl", "Data-Model-Training", training),
        columns.stream().map(c -> new Listing.Column(c, "string")).toList(),
        rows,
        rows * 64,
        1,
        kind,
        5,
        0,
        quality,
        Map.of(),
        null,
        null,
        Instant.parse("2026-12-01T00:00:00Z"),
        10,
        reason == null ? Listing.Status.VERIFIED : Listing.Status.UNVERIFIED,
        reason);
  }
}
