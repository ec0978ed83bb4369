package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.ArlocalGateway;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.upload.FolderUploader;
import org.synthweave.arweave.wallet.Wallet;
import org.synthweave.core.testing.SparkTestBase;

/**
 * {@code market get} against a real arlocal holding one honestly published dataset (silver/wine by
 * Alice), synced into a buyer's catalog, and two listings Mallory made of it: every file re-posted
 * under her own wallet (intact, signed by Alice), and the same with manifest.json edited after
 * signing.
 */
class MarketGetTest {
  @RegisterExtension static final ArlocalGateway ARLOCAL = new ArlocalGateway();

  private static final Pattern MANIFEST_ID = Pattern.compile("manifest (\\S+) \\(");

  @TempDir static Path shared;

  static Path buyer;
  static String wine;
  static Wallet alice;
  static Wallet mallory;

  @BeforeAll
  static void publishAndSync() throws Exception {
    Path pub = shared.resolve("publisher");
    buyer = shared.resolve("buyer");
    CliRun ingest =
        CliRun.inWarehouse(
            pub,
            "ingest-table",
            "wine",
            SparkTestBase.repoRoot().resolve("data/samples/tables/wine.csv").toString());
    assertEquals(0, ingest.code(), ingest.out() + ingest.err());
    alice = funded("alice");
    mallory = funded("mallory");
    CliRun publish =
        CliRun.inWarehouse(
            pub,
            "publish",
            "silver/wine",
            "0",
            "--wallet",
            shared.resolve("alice.json").toString(),
            "--gateway",
            ARLOCAL.url().toString(),
            "--license",
            "CC-BY-4.0");
    assertEquals(0, publish.code(), publish.out() + publish.err());
    Matcher m = MANIFEST_ID.matcher(publish.out());
    assertTrue(m.find(), publish.out());
    wine = m.group(1);
    ARLOCAL.mine();
    CliRun sync =
        CliRun.inWarehouse(buyer, "market", "sync", "--gateway", ARLOCAL.url().toString());
    assertEquals(0, sync.code(), sync.out() + sync.err());
    assertTrue(sync.out().contains("verified " + wine + " silver_wine"), sync.out());
  }

  @Test
  void getDownloadsVerifiesAndMovesIntoPlaceFromTheGatewayTheCatalogRecorded(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("wine");
    // No --gateway: the test's arlocal is not on the default port, so only the catalog knows it.
    CliRun get = CliRun.inWarehouse(buyer, "market", "get", wine, "--out", out.toString());
    assertEquals(0, get.code(), get.out() + get.err());
    assertTrue(get.err().contains("market get " + wine + " from " + ARLOCAL.url()), get.err());
    assertTrue(get.err().contains("fetched manifest.json ("), get.err());
    assertTrue(get.err().contains("fetched croissant.json"), get.err());
    assertTrue(get.out().contains("OK silver_wine version 0"), get.out());
    assertTrue(get.out().contains("signed by the listing's owner " + alice.address()), get.out());
    assertTrue(Files.isRegularFile(out.resolve("manifest.json")));
    assertEquals(List.of(), partials(out));

    CliRun verify = CliRun.of("verify", out.toString());
    assertEquals(0, verify.code(), verify.out() + verify.err());

    // Once complete, the folder is not a download in progress: a second get refuses it.
    CliRun again = CliRun.of("market", "get", wine, "--out", out.toString(), "--gateway", url());
    assertEquals(2, again.code(), again.out() + again.err());
    assertTrue(again.err().contains("is not empty"), again.err());
  }

  @Test
  void anInterruptedGetResumesFetchingOnlyWhatIsMissingOrDamaged(@TempDir Path dir)
      throws Exception {
    Path complete = dir.resolve("complete");
    CliRun first =
        CliRun.of("market", "get", wine, "--out", complete.toString(), "--gateway", url());
    assertEquals(0, first.code(), first.out() + first.err());

    // What an interrupted get leaves: some files done, one half-written (.part), one damaged.
    Path out = dir.resolve("wine");
    Path partial = out.resolve(MarketGetCommand.partialName(wine));
    copyTree(complete, partial);
    List<String> parquet = parquetFiles(partial);
    assertFalse(parquet.isEmpty(), "the export has Parquet files");
    String missing = parquet.get(0);
    String damaged = "croissant.json";
    Path half = partial.resolve(missing);
    byte[] bytes = Files.readAllBytes(half);
    Files.delete(half);
    Files.write(
        half.resolveSibling(half.getFileName() + ".part"),
        java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Path bad = partial.resolve(damaged);
    byte[] b = Files.readAllBytes(bad);
    b[b.length / 2] ^= 0x40;
    Files.write(bad, b);

    CliRun resumed = CliRun.of("market", "get", wine, "--out", out.toString(), "--gateway", url());
    assertEquals(0, resumed.code(), resumed.out() + resumed.err());
    String err = resumed.err();
    assertTrue(err.contains("(resuming: "), err);
    assertTrue(err.contains("kept manifest.json, downloaded before ("), err);
    assertTrue(err.contains("fetched " + missing + " "), err);
    assertTrue(
        err.contains("fetching " + damaged + " again: the copy there is not what was signed"), err);
    assertTrue(err.contains("fetched " + damaged + " "), err);
    assertFalse(err.contains("fetched manifest.json"), err);
    long fetched = err.lines().filter(l -> l.startsWith("fetched ")).count();
    assertEquals(2, fetched, err);
    assertEquals(List.of(), partials(out));
    CliRun verify = CliRun.of("verify", out.toString());
    assertEquals(0, verify.code(), verify.out() + verify.err());
  }

  @Test
  void aListingOfSomeoneElsesManifestOrOfAnEditedOneFailsNamingTheProblem(@TempDir Path dir)
      throws Exception {
    Path complete = dir.resolve("complete");
    CliRun first =
        CliRun.of("market", "get", wine, "--out", complete.toString(), "--gateway", url());
    assertEquals(0, first.code(), first.out() + first.err());
    ArweaveClient client = new ArweaveClient(ARLOCAL.config().build());

    // Alice's files, every one intact, re-posted and listed by Mallory.
    String copied = list(client, mallory, complete);
    Path out = dir.resolve("copied");
    CliRun get = CliRun.of("market", "get", copied, "--out", out.toString(), "--gateway", url());
    assertEquals(1, get.code(), get.out() + get.err());
    assertTrue(
        get.out()
            .contains(
                "SIGNER_NOT_OWNER manifest.json: signed by "
                    + alice.address()
                    + ", but the listing's owner (its transaction's) is "
                    + mallory.address()),
        get.out());
    assertTrue(get.err().contains("does not verify (1 problem(s)): SIGNER_NOT_OWNER"), get.err());
    assertFalse(Files.exists(out.resolve("manifest.json")), "nothing looks complete");
    assertEquals(List.of(MarketGetCommand.partialName(copied)), partials(out));

    // The same with the row count in manifest.json raised after Alice signed it.
    Path edited = dir.resolve("edited");
    copyTree(complete, edited);
    Path manifest = edited.resolve("manifest.json");
    String text = Files.readString(manifest, StandardCharsets.UTF_8);
    String raised = text.replaceFirst("\"rows\"\\s*:\\s*178", "\"rows\": 1780");
    assertFalse(raised.equals(text), "the manifest states its 178 rows: " + text);
    Files.writeString(manifest, raised, StandardCharsets.UTF_8);
    String tampered = list(client, mallory, edited);
    Path out2 = dir.resolve("tampered");
    CliRun get2 =
        CliRun.of("market", "get", tampered, "--out", out2.toString(), "--gateway", url());
    assertEquals(1, get2.code(), get2.out() + get2.err());
    assertTrue(get2.out().contains("BAD_SIGNATURE"), get2.out());
    assertTrue(get2.out().contains("ROW_COUNT_MISMATCH"), get2.out());
    assertTrue(get2.err().contains("synthweave: market get " + tampered), get2.err());
    assertFalse(Files.exists(out2.resolve("manifest.json")), "nothing looks complete");
  }

  private static String url() {
    return ARLOCAL.url().toString();
  }

  private static Wallet funded(String name) throws Exception {
    Wallet w = Wallet.generate(new SecureRandom());
    w.save(shared.resolve(name + ".json"));
    ARLOCAL.mint(w.address(), "1000000000000000");
    return w;
  }

  /** Uploads {@code folder} with {@code owner}'s wallet as a synthweave listing; its id. */
  private static String list(ArweaveClient client, Wallet owner, Path folder) throws Exception {
    String id =
        client
            .uploadFolder(
                owner,
                folder,
                List.of(Tag.of("App-Name", "synthweave"), Tag.of("Type", "dataset")),
                FolderUploader.Options.builder().index("manifest.json").build())
            .manifestId();
    ARLOCAL.mine();
    return id;
  }

  /** The .partial-* folders left in {@code out}. */
  private static List<String> partials(Path out) throws Exception {
    try (Stream<Path> s = Files.list(out)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".partial")).toList();
    }
  }

  private static List<String> parquetFiles(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".parquet"))
          .map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
