package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.ArlocalGateway;
import org.synthweave.arweave.FaultProxy;
import org.synthweave.arweave.wallet.Wallet;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.verification.DatasetManifest;

/**
 * The publishing round trip as a publisher and a buyer meet it: the real wine table is ingested,
 * published to a real arlocal, fetched back, verified, damaged, and published again.
 */
class PublishTest {
  @RegisterExtension static final ArlocalGateway ARLOCAL = new ArlocalGateway();

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static CliRun job(Path warehouse, String... args) {
    return CliRun.inWarehouse(warehouse, args);
  }

  @Test
  void aMainnetGatewayIsRefusedWithoutTheFlag(@TempDir Path dir) {
    Wallet.generate(new SecureRandom()).save(dir.resolve("key.json"));
    CliRun r =
        job(
            dir.resolve("wh"),
            "publish",
            "silver/wine",
            "0",
            "--wallet",
            dir.resolve("key.json").toString(),
            "--gateway",
            "https://arweave.net");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--allow-mainnet"), r.err());
  }

  @Test
  void aHostThatOnlyLooksLikeLoopbackIsRefused(@TempDir Path dir) {
    Wallet.generate(new SecureRandom()).save(dir.resolve("key.json"));
    for (String gateway :
        List.of(
            "http://127.0.0.1.evil.example:1984",
            "http://0177.0.0.1:1984",
            "http://0.0.0.0:1984")) {
      CliRun r =
          job(
              dir.resolve("wh"),
              "publish",
              "silver/wine",
              "0",
              "--wallet",
              dir.resolve("key.json").toString(),
              "--gateway",
              gateway);
      assertEquals(2, r.code(), gateway + ": " + r.err());
      assertTrue(r.err().contains("Refusing to publish to " + gateway), r.err());
      assertTrue(r.err().contains("--allow-mainnet"), r.err());
    }
  }

  @Test
  void publishFetchVerifyDamageAndRepublish(@TempDir Path dir) throws Exception {
    Path wh = dir.resolve("wh");
    Path wallet = ingestWineAndFundAWallet(dir, wh);
    String gateway = ARLOCAL.url().toString();
    Path export = wh.resolve("datasets/silver_wine/0");

    try (FaultProxy proxy = new FaultProxy(ARLOCAL.url(), 1)) {
      // The small files go as items of one bundle; the gateway refuses the next transaction
      // (the path manifest), so this publish stops midway like a killed one.
      proxy.refuseTransactionsAfter(1);
      CliRun stopped =
          publish(wh, wallet, proxy.url().toString(), "--license", "CC-BY-4.0", CARD[0], CARD[1]);
      assertEquals(1, stopped.code(), stopped.out() + stopped.err());
      assertTrue(stopped.err().contains("injected refusal"), stopped.err());
      assertTrue(
          stopped.err().contains("bundled data/part-00000.parquet as data item"), stopped.err());
      assertTrue(stopped.err().contains("bundled manifest.json as data item"), stopped.err());
      List<String> postedBefore = proxy.txPosts();
      assertEquals(1, postedBefore.size(), "one bundle transaction for all files");
      assertTrue(Files.isDirectory(DatasetPublisher.stateDir(export)), "upload state kept");

      proxy.resetCounts();
      // The command line wins over the config key.
      CliRun published =
          publish(
              wh,
              wallet,
              proxy.url().toString(),
              "--license",
              "CC-BY-4.0",
              "--set",
              "publish.license=MIT",
              CARD[0],
              CARD[1]);
      assertEquals(0, published.code(), published.out() + published.err());
      assertTrue(published.err().contains("chunks"), "progress on stderr: " + published.err());
      assertTrue(published.err().contains("(by an earlier run)"), published.err());
      Matcher id = MANIFEST_ID.matcher(published.out());
      assertTrue(id.find(), published.out());
      assertEquals(List.of(id.group(1)), proxy.txPosts(), "only the path manifest is new");
      // ANS-110 discoverability and the UDL (ANS-105) as the gateway indexed them.
      Map<String, String> tags = tags(id.group(1));
      assertEquals(UdlTerms.UDL_TX_ID, tags.get("License"), tags.toString());
      assertEquals("Allowed-With-Credit", tags.get("Commercial-Use"), tags.toString());
      assertEquals("Allowed-With-Credit", tags.get("Derivation"), tags.toString());
      assertEquals("Allowed", tags.get("Data-Model-Training"), tags.toString());
      // The embedded default's card of the sample table (publish.dataset.silver_wine).
      assertTrue(tags.get("Title").startsWith("Wine recognition"), tags.toString());
      assertEquals("dataset", tags.get("Type"), tags.toString());
      assertEquals("ANS-110", tags.get("Implements"), tags.toString());
      assertTrue(tags.get("Description").contains("silver/wine"), tags.toString());
      assertEquals("wine", tags.get("Topic:wine"), tags.toString());
      assertEquals("chemistry", tags.get("Topic:chemistry"), tags.toString());
      assertTrue(published.out().contains("178 rows"), published.out());
      assertFalse(Files.exists(DatasetPublisher.stateDir(export)), "state removed once listed");
      assertTrue(Files.isRegularFile(export.resolve("manifest.json")), "export kept");
      ARLOCAL.mine();

      Path fetched = dir.resolve("fetched");
      CliRun f = run("fetch", id.group(1), "--gateway", gateway, "--out", fetched.toString());
      assertEquals(0, f.code(), f.err());
      assertEquals(
          Files.readString(export.resolve("manifest.json"), StandardCharsets.UTF_8),
          Files.readString(fetched.resolve("manifest.json"), StandardCharsets.UTF_8));

      assertTrue(f.err().contains("signature and bundle checked"), f.err());
      // The dataset card came along, covered by the manifest; the SPDX id is in the card.
      JsonNode card = new ObjectMapper().readTree(fetched.resolve("croissant.json").toFile());
      assertEquals("https://spdx.org/licenses/CC-BY-4.0.html", card.path("license").asText());
      assertEquals("chemistry", card.path("keywords").get(1).asText());
      assertTrue(
          Files.readString(fetched.resolve("README.md"), StandardCharsets.UTF_8)
              .contains("| Rows | 178 |"));
      CliRun ok = run("verify", fetched.toString());
      assertEquals(0, ok.code(), ok.out() + ok.err());
      assertTrue(ok.out().contains("signed by " + Wallet.load(wallet).address()), ok.out());
      CliRun byId = run("verify", "--id", id.group(1), "--gateway", gateway);
      assertEquals(0, byId.code(), byId.out() + byId.err());
      assertTrue(byId.out().contains("OK silver_wine version 0"), byId.out());

      // A gateway that serves other bytes for one bundled file is caught by fetch and verify.
      Matcher item =
          Pattern.compile("bundled data/part-00000.parquet as data item (\\S+)")
              .matcher(stopped.err());
      assertTrue(item.find(), stopped.err());
      proxy.resetCounts();
      proxy.corruptDownloadsOf(item.group(1));
      String badGateway = proxy.url().toString();
      CliRun tampered =
          run("fetch", id.group(1), "--gateway", badGateway, "--out", dir.resolve("t").toString());
      assertEquals(1, tampered.code(), tampered.out() + tampered.err());
      assertTrue(
          tampered.err().contains("part-00000.parquet (data item " + item.group(1)),
          tampered.err());
      CliRun tamperedById = run("verify", "--id", id.group(1), "--gateway", badGateway);
      assertEquals(1, tamperedById.code(), tamperedById.out() + tamperedById.err());
      assertTrue(tamperedById.err().contains(item.group(1)), tamperedById.err());

      Path victim = fetched.resolve("data/part-00000.parquet");
      byte[] b = Files.readAllBytes(victim);
      b[b.length / 2] ^= 0x01;
      Files.write(victim, b);
      CliRun bad = run("verify", fetched.toString());
      assertEquals(1, bad.code(), bad.out());
      assertTrue(bad.out().contains("SHA256_MISMATCH data/part-00000.parquet"), bad.out());

      CliRun again = publish(wh, wallet, gateway);
      assertEquals(0, again.code(), again.err());
      assertTrue(again.out().contains("nothing uploaded"), again.out());
      assertTrue(again.out().contains(id.group(1)), again.out());
      assertFalse(again.err().contains("uploaded "), again.err());
    }
  }

  @Test
  void withoutBundlingAStoppedPublishResumesFileByFile(@TempDir Path dir) throws Exception {
    Path wh = dir.resolve("wh");
    Path wallet = ingestWineAndFundAWallet(dir, wh);
    try (FaultProxy proxy = new FaultProxy(ARLOCAL.url(), 2)) {
      String noBundle = "publish.bundle.max-file-bytes=0";
      // Files go in path order, each as its own transaction; the second one is refused.
      proxy.refuseTransactionsAfter(1);
      // Gateway and license from config keys only.
      String[] config = {
        "--set",
        noBundle,
        "--set",
        "publish.gateway=" + proxy.url(),
        "--set",
        "publish.license=ODbL-1.0",
        // The embedded default names the sample's own license; empty falls back to the above.
        "--set",
        "publish.dataset.silver_wine.license="
      };
      CliRun stopped = publish(wh, wallet, null, config);
      assertEquals(1, stopped.code(), stopped.out() + stopped.err());
      // Path order puts the card's README.md first.
      String first =
          DatasetManifest.readFrom(wh.resolve("datasets/silver_wine/0")).files().get(0).path();
      assertEquals("README.md", first);
      assertTrue(stopped.err().contains("uploaded " + first + " as"), stopped.err());
      List<String> postedBefore = proxy.txPosts();
      assertEquals(1, postedBefore.size());

      proxy.resetCounts();
      CliRun published = publish(wh, wallet, null, config);
      assertEquals(0, published.code(), published.out() + published.err());
      assertTrue(
          published
              .err()
              .contains(
                  "uploaded " + first + " as " + postedBefore.get(0) + " (by an earlier run)"),
          published.err());
      int files = DatasetManifest.readFrom(wh.resolve("datasets/silver_wine/0")).files().size() + 1;
      assertEquals(
          files, proxy.txPosts().size(), "the other files and the path manifest, once each");
      assertTrue(proxy.txPosts().stream().noneMatch(postedBefore::contains));
      Matcher id = MANIFEST_ID.matcher(published.out());
      assertTrue(id.find(), published.out());
      ARLOCAL.mine();
      Map<String, String> tags = tags(id.group(1));
      assertEquals(UdlTerms.UDL_TX_ID, tags.get("License"), tags.toString());
      assertEquals("Allowed-With-License-Passthrough", tags.get("Derivation"), tags.toString());

      Path fetched = dir.resolve("fetched");
      CliRun f =
          run(
              "fetch",
              id.group(1),
              "--gateway",
              ARLOCAL.url().toString(),
              "--out",
              fetched.toString());
      assertEquals(0, f.code(), f.err());
      CliRun ok = run("verify", fetched.toString());
      assertEquals(0, ok.code(), ok.out() + ok.err());

      // A gateway that serves other bytes for a file of its own transaction: data_root differs.
      proxy.resetCounts();
      proxy.corruptDownloadsOf(postedBefore.get(0));
      CliRun tampered =
          run(
              "fetch",
              id.group(1),
              "--gateway",
              proxy.url().toString(),
              "--out",
              dir.resolve("t").toString());
      assertEquals(1, tampered.code(), tampered.out() + tampered.err());
      assertTrue(tampered.err().contains("transaction " + postedBefore.get(0)), tampered.err());
      assertTrue(tampered.err().contains(first + " has data_root"), tampered.err());
    }
  }

  @Test
  void benchArweavePrintsOneLinePerSizeAlternatingTheOrder() throws Exception {
    CliRun r =
        run(
            "bench",
            "arweave",
            "--sizes",
            "1,1",
            "--gateway",
            ARLOCAL.url().toString(),
            "--node-dir",
            ArlocalGateway.nodeDir().toString());
    assertEquals(0, r.code(), r.out() + r.err());
    List<String> lines = r.out().strip().lines().toList();
    assertEquals(2, lines.size(), r.out());
    ObjectMapper json = new ObjectMapper();
    List<String> order = new ArrayList<>();
    for (String line : lines) {
      JsonNode n = json.readTree(line);
      assertEquals(1, n.path("mib").asInt(), line);
      assertEquals(4, n.path("chunks").asInt(), line);
      for (String k : List.of("ours_mb_per_s", "arweavejs_mb_per_s", "ratio", "peak_heap_mb")) {
        assertTrue(n.path(k).asDouble() > 0, k + " in " + line);
      }
      order.add(n.path("first").asText());
    }
    assertEquals(List.of("ours", "arweavejs"), order);
  }

  /** The dataset card keys both publishes of a test give (the resumed one must match). */
  private static final String[] CARD = {
    "--set", "publish.dataset.silver_wine.keywords=wine,chemistry"
  };

  /** The tags of transaction {@code id} as the gateway's GraphQL returns them. */
  private static Map<String, String> tags(String id) throws Exception {
    String query =
        "{\"query\":\"{ transactions(ids:[\\\""
            + id
            + "\\\"]) { edges { node { tags { name value } } } } }\"}";
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(ARLOCAL.url().resolve("/graphql"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(query))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode edges =
        new ObjectMapper().readTree(r.body()).path("data").path("transactions").path("edges");
    assertEquals(1, edges.size(), r.body());
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode t : edges.get(0).path("node").path("tags")) {
      out.put(t.path("name").asText(), t.path("value").asText());
    }
    return out;
  }

  private static final Pattern MANIFEST_ID = Pattern.compile("manifest (\\S+) \\(");

  /** Ingests the real wine table into {@code wh}; returns a funded key file. */
  private static Path ingestWineAndFundAWallet(Path dir, Path wh) throws Exception {
    Path wine = SparkTestBase.repoRoot().resolve("data/samples/tables/wine.csv");
    CliRun ingested = job(wh, "ingest-table", "wine", wine.toString());
    assertEquals(0, ingested.code(), ingested.err());
    Wallet wallet = Wallet.generate(new SecureRandom());
    Path key = dir.resolve("key.json");
    wallet.save(key);
    ARLOCAL.mint(wallet.address(), "1000000000000000");
    return key;
  }

  private static CliRun publish(Path wh, Path key, String gateway, String... more) {
    List<String> args =
        new ArrayList<>(List.of("publish", "silver/wine", "0", "--wallet", key.toString()));
    if (gateway != null) {
      args.addAll(List.of("--gateway", gateway));
    }
    args.addAll(List.of(more));
    // --set belongs before the subcommand
    List<String> sets = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--set")) {
        sets.add(args.remove(i));
        sets.add(args.remove(i));
        i--;
      }
    }
    sets.addAll(args);
    return job(wh, sets.toArray(String[]::new));
  }
}
