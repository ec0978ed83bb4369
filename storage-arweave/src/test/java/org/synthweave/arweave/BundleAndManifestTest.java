package org.synthweave.arweave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.bundle.Bundle;
import org.synthweave.arweave.bundle.DataItem;
import org.synthweave.arweave.crypto.Base64Url;
import org.synthweave.arweave.http.GraphQlQuery;
import org.synthweave.arweave.manifest.PathManifest;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.upload.FolderUploader;
import org.synthweave.arweave.upload.UploadOptions;
import org.synthweave.arweave.upload.UploadResult;
import org.synthweave.arweave.wallet.Wallet;

class BundleAndManifestTest {
  @RegisterExtension static final ArlocalGateway ARLOCAL = new ArlocalGateway();

  static ArweaveClient client;
  static Wallet wallet;

  @BeforeAll
  static void fund() throws Exception {
    client = new ArweaveClient(ARLOCAL.config().chunkConcurrency(1).build());
    wallet = TestWallets.first();
    ARLOCAL.mint(wallet.address(), "100000000000000000");
  }

  @Test
  void bundledItemsAreServedById() throws Exception {
    long seed = SeedReporter.seed();
    SeedReporter.run(
        seed,
        () -> {
          Random rnd = new Random(seed);
          List<DataItem> items = new ArrayList<>();
          List<byte[]> payloads = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            byte[] data = new byte[100 + rnd.nextInt(5000)];
            rnd.nextBytes(data);
            payloads.add(data);
            items.add(
                DataItem.sign(
                    wallet,
                    data,
                    List.of(
                        Tag.of("Content-Type", "application/octet-stream"),
                        Tag.of("Item", "" + i))));
          }
          UploadResult r =
              client.uploadBundle(
                  wallet, items, List.of(Tag.of("App-Name", "synthweave")), UploadOptions.DEFAULTS);
          ARLOCAL.mine();
          assertTrue(client.status(r.txId()).isConfirmed());
          for (int i = 0; i < items.size(); i++) {
            assertArrayEquals(
                payloads.get(i), client.gateway().data(items.get(i).id()), "item " + i);
          }
          assertEquals(
              1,
              client.find(GraphQlQuery.transactions().ids(items.get(1).id()), 10).size(),
              "items are indexed for GraphQL");
        });
  }

  @Test
  void folderManifestListsResolvableIds(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("index.html"), "<h1>dataset</h1>", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("data/part-0.csv"), "a,b\n1,2\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("manifest.json"), "{\"rows\":1}", StandardCharsets.UTF_8);
    FolderUploader.Result up =
        client.uploadFolder(
            wallet,
            dir,
            List.of(),
            FolderUploader.Options.builder().index("index.html").bundleMaxFileBytes(0).build());
    ARLOCAL.mine();

    assertEquals(3, up.paths().size());
    assertEquals(null, up.bundleId(), "nothing is bundled with a threshold of 0");
    // GET /{manifestId} is resolved by the gateway (arlocal serves the index), so read the raw
    // manifest through /tx/{id}/data, which returns the inline data as base64url.
    JsonNode m =
        new ObjectMapper()
            .readTree(
                Base64Url.decode(
                    client.gateway().getText("manifest", "/tx/" + up.manifestId() + "/data"),
                    "data"));
    assertEquals("arweave/paths", m.path("manifest").asText());
    assertEquals("0.1.0", m.path("version").asText());
    assertEquals("index.html", m.path("index").path("path").asText());
    for (Map.Entry<String, String> e : up.paths().entrySet()) {
      assertEquals(e.getValue(), m.path("paths").path(e.getKey()).path("id").asText());
      byte[] file = Files.readAllBytes(dir.resolve(e.getKey()));
      assertArrayEquals(file, client.gateway().data(e.getValue()), e.getKey());
      assertArrayEquals(
          file,
          client.gateway().data(up.manifestId() + "/" + e.getKey()),
          "via manifest " + e.getKey());
    }
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("index.html")), client.gateway().data(up.manifestId()));
    assertEquals(
        PathManifest.CONTENT_TYPE,
        client.find(GraphQlQuery.transactions().ids(up.manifestId()), 1).get(0).contentType());
  }

  @Test
  void smallFilesOfAFolderGoAsItemsOfOneBundle(@TempDir Path dir) throws Exception {
    long seed = SeedReporter.seed();
    SeedReporter.run(
        seed,
        () -> {
          Random rnd = new Random(seed);
          Files.createDirectories(dir.resolve("data"));
          byte[] big =
              new byte
                  [(int) FolderUploader.DEFAULT_BUNDLE_MAX_FILE_BYTES + 1 + rnd.nextInt(400_000)];
          rnd.nextBytes(big);
          Files.write(dir.resolve("data/big.bin"), big);
          for (int i = 0; i < 3; i++) {
            byte[] small = new byte[1 + rnd.nextInt(50_000)];
            rnd.nextBytes(small);
            Files.write(dir.resolve("data/small-" + i + ".bin"), small);
          }
          Files.writeString(dir.resolve("manifest.json"), "{\"rows\":3}", StandardCharsets.UTF_8);
          FolderUploader.Result up =
              client.uploadFolder(
                  wallet,
                  dir,
                  List.of(Tag.of("App-Name", "synthweave-test")),
                  FolderUploader.Options.builder().index("manifest.json").build());
          ARLOCAL.mine();

          assertEquals(5, up.paths().size());
          assertEquals(
              java.util.Set.of(
                  "data/small-0.bin", "data/small-1.bin", "data/small-2.bin", "manifest.json"),
              up.bundledPaths());
          assertTrue(up.bundleId() != null);
          assertEquals(3, up.transactionsPosted(), "big file, bundle, manifest");
          for (Map.Entry<String, String> e : up.paths().entrySet()) {
            byte[] file = Files.readAllBytes(dir.resolve(e.getKey()));
            assertArrayEquals(file, client.gateway().data(e.getValue()), e.getKey());
            assertArrayEquals(
                file,
                client.gateway().data(up.manifestId() + "/" + e.getKey()),
                "via manifest " + e.getKey());
          }
          assertEquals(
              up.bundleId(),
              client
                  .find(GraphQlQuery.transactions().ids(up.manifestId()), 1)
                  .get(0)
                  .tag(FolderUploader.BUNDLED_IN_TAG));
          List<DataItem> items = Bundle.parse(client.gateway().data(up.bundleId()));
          assertEquals(4, items.size());
          assertEquals(up.paths().get("manifest.json"), items.get(3).id());
        });
  }
}
