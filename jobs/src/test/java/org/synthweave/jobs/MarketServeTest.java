package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.SynthweaveException;
import org.synthweave.market.Listing;
import org.synthweave.market.serve.MarketServer;

/**
 * {@code market serve} on a catalog written into {@code market/catalog}: the catalog and its
 * vectors are read with Spark, Spark is stopped, and the server answers from memory.
 */
class MarketServeTest {
  private static final String WINE = "W".repeat(42) + "1";
  private static final String HEART = "H".repeat(42) + "2";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void servesTheWarehouseCatalogAfterSparkStopped(@TempDir Path wh) throws Exception {
    CliRun none = CliRun.inWarehouse(wh, "market", "serve", "--port", "0");
    assertNotEquals(0, none.code());
    assertTrue(none.err().contains("market sync"), none.err());

    MarketSearchTest.store(
        wh,
        List.of(
            MarketSearchTest.listing(
                WINE,
                "Red wine quality",
                "Acidity, sugar and alcohol of Portuguese red wines with a tasting grade.",
                List.of("fixed_acidity", "alcohol", "quality"),
                Listing.Kind.SYNTHETIC,
                1599L,
                0.91,
                "Allowed",
                null),
            MarketSearchTest.listing(
                HEART,
                "Cardiology clinic patients",
                "Cholesterol, blood pressure and chest pain type of cardiology clinic patients.",
                List.of("age", "chol", "trestbps"),
                Listing.Kind.REAL,
                303L,
                null,
                "Disallowed",
                null)));

    try (MarketServeCommand.Serving s = open(wh, MarketServer.Options.defaults().withPort(0))) {
      assertEquals(2, s.search().embedded(), "first serve embeds the catalog");
      JsonNode hits = get(s, "/api/search?q=red+wine+acidity");
      assertEquals(WINE, hits.at("/hits/0/id").asText(), hits.toString());
      HttpResponse<String> page = send(s, "/listings/" + WINE);
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("<h1 id=\"listing-title\">Red wine quality</h1>"));
      assertTrue(
          page.body()
              .contains(
                  "synthweave market get " + WINE + " --gateway http://127.0.0.1:1984 --out "),
          page.body());
      assertTrue(send(s, "/").body().contains("<p id=\"result-count\">2 of 2 listings</p>"));
    }
    try (MarketServeCommand.Serving again = open(wh, MarketServer.Options.defaults().withPort(0))) {
      assertEquals(0, again.search().embedded(), "the vectors of the first serve were kept");
    }
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      SynthweaveException e =
          assertThrows(
              SynthweaveException.class,
              () -> open(wh, MarketServer.Options.defaults().withPort(taken.getLocalPort())));
      assertTrue(e.getMessage().contains("--port"), e.getMessage());
    }
  }

  private static MarketServeCommand.Serving open(Path wh, MarketServer.Options options) {
    try (JobContext job =
        new JobContext(
            "market serve",
            null,
            List.of(
                "warehouse=" + wh,
                "spark.master=local[1]",
                "spark.conf.spark.driver.host=127.0.0.1"),
            System.out)) {
      return MarketServeCommand.open(job, null, options);
    }
  }

  private static HttpResponse<String> send(MarketServeCommand.Serving s, String path)
      throws Exception {
    URI base = s.server().uri();
    return HTTP.send(
        HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode get(MarketServeCommand.Serving s, String path) throws Exception {
    HttpResponse<String> r = send(s, path);
    assertEquals(200, r.statusCode(), r.body());
    return new ObjectMapper().readTree(r.body());
  }
}
