package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.local.LocalArlocal;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.market.GatewayListingSource;
import org.synthweave.market.serve.MarketServer;

/**
 * {@code synthweave run} to the end on the embedded default configuration (the bundled samples,
 * with fewer crawled pages and the copula synthesizer to keep it short): ingest to publish on the
 * warehouse's own local gateway, the listings found verified by {@code market search}, the tags
 * read back by arweave-js, and a rerun that uploads nothing and refuses a dataset whose check
 * fails.
 */
class RunPublishTest {
  private static final Pattern PUBLISHED =
      Pattern.compile("publish: published (\\S+) version (\\d+): manifest (\\S+) \\(");

  @Test
  void runPublishesTheDefaultDatasetsAndARerunUploadsNothing() throws Exception {
    // the run is shared with NotebooksTest (one run per test JVM); its tables stay unchanged here
    SampleRun run = SampleRun.get();
    Path wh = run.warehouse();
    int port = run.port();
    Path conf = run.conf();

    CliRun first = run.first();
    assertEquals(0, first.code(), first.out() + first.err());
    Map<String, String> manifests = new LinkedHashMap<>();
    Matcher m = PUBLISHED.matcher(first.out());
    while (m.find()) {
      assertEquals("0", m.group(2), m.group());
      manifests.put(m.group(1), m.group(3));
    }
    assertEquals(
        List.of("silver/wine", "gold/wine_synthetic"),
        List.copyOf(manifests.keySet()),
        "one real and one synthetic sample dataset: " + first.out());
    for (String id : manifests.values()) {
      assertTrue(first.out().contains("http://127.0.0.1:" + port + "/" + id), first.out());
    }
    assertTrue(first.out().contains("gold_wine_synthetic: 8 checks, 8 passed"), first.out());
    // The run ends with the datasets in the warehouse's market catalog, found as a buyer would.
    assertTrue(
        first
            .out()
            .contains(
                "market: 2 listings verified in market/catalog; try: synthweave market search"
                    + " wine"),
        first.out());
    CliRun search = CliRun.of("--conf", conf.toString(), "market", "search", "wine", "--json");
    assertEquals(0, search.code(), search.out() + search.err());
    Map<String, String> statusById = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : search.out().lines().filter(l -> l.startsWith("{")).toList()) {
      JsonNode hit = json.readTree(line);
      statusById.put(hit.path("id").asText(), hit.path("status").asText());
    }
    for (String id : manifests.values()) {
      assertEquals("verified", statusById.get(id), id + " in " + search.out());
    }
    assertTrue(first.err().contains("created the test wallet"), first.err());
    assertTrue(
        Files.isRegularFile(
            LocalGateway.walletFile(new org.synthweave.core.catalog.TableCatalog(wh.toString()))));

    Path harness = SparkTestBase.repoRoot().resolve(LocalGateway.HARNESS);
    try (LocalArlocal gateway = LocalArlocal.serve(harness, wh.resolve("arweave/arlocal"), port)) {
      JsonNode read = arweaveJs(harness, gateway.url().toString(), List.copyOf(manifests.values()));
      for (Map.Entry<String, String> e : manifests.entrySet()) {
        JsonNode tx = read.path("transactions").path(e.getValue());
        assertTrue(tx.path("verified").asBoolean(), e + ": " + tx);
        Map<String, String> tags = new HashMap<>();
        tx.path("tags").forEach(t -> tags.put(t.path("name").asText(), t.path("value").asText()));
        String dataset = e.getKey().replace('/', '_');
        assertEquals("synthweave", tags.get("App-Name"), tags.toString());
        assertEquals(dataset, tags.get("Dataset-Name"), tags.toString());
        assertEquals("0", tags.get("Dataset-Version"), tags.toString());
        assertEquals("dataset", tags.get("Type"), tags.toString());
        assertEquals("ANS-110", tags.get("Implements"), tags.toString());
        assertEquals(UdlTerms.UDL_TX_ID, tags.get("License"), tags.toString());
        assertEquals("Allowed", tags.get("Data-Model-Training"), tags.toString());
        assertEquals("wine", tags.get("Topic:wine"), tags.toString());
      }
      assertTrue(
          tagOf(read, manifests.get("gold/wine_synthetic"), "Title").startsWith("Synthetic wine"),
          read.toString());
      List<String> found = new ArrayList<>();
      read.path("graphql").forEach(n -> found.add(n.asText()));
      assertTrue(found.containsAll(manifests.values()), found + " vs " + manifests);

      // A buyer's check of the synthetic dataset: signature, files, card and certificate.
      CliRun verified =
          CliRun.of(
              "verify",
              "--id",
              manifests.get("gold/wine_synthetic"),
              "--gateway",
              gateway.url().toString());
      assertEquals(0, verified.code(), verified.out() + verified.err());

      // ... and on the market page: both found, the synthetic one with its certified checks and
      // first rows read from the gateway. (No fidelity plots: run checks the synthetic quality but
      // does not run evaluate-synthetic, whose report is what an export publishes as plots.)
      MarketServeCommand.Serving serving;
      try (JobContext job =
          new JobContext(
              "market serve",
              null,
              List.of(
                  "warehouse=" + wh,
                  "spark.master=local[1]",
                  "spark.conf.spark.driver.host=127.0.0.1"),
              System.out)) {
        serving =
            MarketServeCommand.open(
                job, new GatewayListingSource(), MarketServer.Options.defaults().withPort(0));
      }
      try (MarketServeCommand.Serving s = serving) {
        HttpClient http = HttpClient.newHttpClient();
        String results = get(http, s.server().uri().resolve("/?q=wine"));
        for (String id : manifests.values()) {
          assertTrue(results.contains("data-id=\"" + id + "\""), id + " on " + results);
        }
        String page =
            get(
                http,
                s.server().uri().resolve("/listings/" + manifests.get("gold/wine_synthetic")));
        assertTrue(page.contains("<table id=\"checks\">"), page);
        assertTrue(page.contains("<td class=\"check-metric\">quality_score</td>"), page);
        assertTrue(page.contains("<table id=\"preview\">"), page);
      }
    }

    // A rerun on the same inputs changes no table and uploads nothing; here it also asks more of
    // the synthetic rows than they give, so that one is refused and the run exits 1 naming it.
    CliRun again =
        CliRun.of(
            "--conf",
            conf.toString(),
            "--set",
            "verify.dataset.gold_wine_synthetic.synthetic.quality-min=0.999",
            "run");
    assertEquals(1, again.code(), again.out() + again.err());
    assertTrue(
        again
            .out()
            .contains(
                "already published: silver/wine version 0 is manifest "
                    + manifests.get("silver/wine")),
        again.out());
    assertTrue(again.out().contains("gold/wine_synthetic version 0 NOT published"), again.out());
    assertTrue(again.err().contains("quality_score"), again.err());
    assertTrue(again.err().contains("--allow-failed-checks"), again.err());
    assertFalse(
        again.err().contains("local gateway: starting"), "nothing to upload: " + again.err());
    assertEquals(1, commits(wh.resolve("silver/wine")), "silver/wine unchanged");
    assertEquals(1, commits(wh.resolve("gold/wine_synthetic")), "gold/wine_synthetic unchanged");

    SparkSession spark = CliRun.deltaSession();
    try {
      List<Row> listed =
          spark
              .read()
              .format("delta")
              .load(wh.resolve("market/listings").toString())
              .select("dataset", "manifest_tx")
              .collectAsList();
      Map<String, String> byDataset = new HashMap<>();
      listed.forEach(r -> byDataset.put(r.getString(0), r.getString(1)));
      assertEquals(
          Map.of(
              "silver_wine", manifests.get("silver/wine"),
              "gold_wine_synthetic", manifests.get("gold/wine_synthetic")),
          byDataset);
      long checked =
          spark
              .read()
              .format("delta")
              .load(wh.resolve("_checks").toString())
              .select("dataset")
              .distinct()
              .count();
      assertEquals(2, checked, "both runs recorded the checks of wine and wine_synthetic");
    } finally {
      spark.stop();
      SparkSession.clearDefaultSession();
    }
  }

  @Test
  void withoutTheGatewayHarnessRunStopsBeforeAnyWork(@TempDir Path dir) throws Exception {
    Path wh = dir.resolve("wh");
    Path conf = SampleRun.conf(dir, wh, SampleRun.freePort());
    CliRun r =
        CliRun.of(
            "--conf",
            conf.toString(),
            "--set",
            "publish.local.node-dir=" + dir.resolve("no-harness"),
            "run");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("publish.local.node-dir"), r.err());
    assertFalse(Files.exists(wh.resolve("silver")), "nothing ingested");
  }

  @Test
  void withoutNodeOnThePathTheMessageNamesTheFix(@TempDir Path dir) {
    SynthweaveException e =
        assertThrows(SynthweaveException.class, () -> LocalGateway.requireNode(dir.toString()));
    assertTrue(e.getMessage().contains("node is not on the PATH"), e.getMessage());
    assertTrue(e.getMessage().contains("apt install nodejs npm"), e.getMessage());
    assertTrue(e.getMessage().contains("publish.gateway"), e.getMessage());
  }

  /** What arweave-js (through read-tags.js) reads from the gateway about {@code ids}. */
  private static JsonNode arweaveJs(Path harness, String gateway, List<String> ids)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("node", harness.resolve("read-tags.js").toString()));
    cmd.add(gateway);
    cmd.addAll(ids);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "read-tags.js timed out");
    assertEquals(0, p.exitValue(), "read-tags.js failed: " + all);
    return new ObjectMapper().readTree(all.substring(all.lastIndexOf('\n') + 1));
  }

  private static String tagOf(JsonNode read, String id, String name) {
    for (JsonNode t : read.path("transactions").path(id).path("tags")) {
      if (t.path("name").asText().equals(name)) {
        return t.path("value").asText();
      }
    }
    return "";
  }

  /** Commits in a Delta table's log. */
  private static long commits(Path table) throws IOException {
    try (Stream<Path> s = Files.list(table.resolve("_delta_log"))) {
      return s.filter(f -> f.getFileName().toString().matches("\\d{20}\\.json")).count();
    }
  }

  private static String get(HttpClient http, java.net.URI uri) throws Exception {
    HttpResponse<String> r =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), uri + ": " + r.body());
    return r.body();
  }
}
