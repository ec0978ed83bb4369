package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.ArlocalGateway;
import org.synthweave.arweave.wallet.Wallet;
import org.synthweave.core.testing.SparkTestBase;

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
    List<String> all =
        new ArrayList<>(
            List.of(
                "--set",
                "warehouse=" + warehouse,
                "--set",
                "spark.master=local[2]",
                "--set",
                "spark.conf.spark.driver.host=127.0.0.1"));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
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
  void publishFetchVerifyDamageAndRepublish(@TempDir Path dir) throws Exception {
    Path wh = dir.resolve("wh");
    Path wine = SparkTestBase.repoRoot().resolve("data/samples/tables/wine.csv");
    CliRun ingested = job(wh, "ingest-table", "wine", wine.toString());
    assertEquals(0, ingested.code(), ingested.err());

    Wallet wallet = Wallet.generate(new SecureRandom());
    Path key = dir.resolve("key.json");
    wallet.save(key);
    ARLOCAL.mint(wallet.address(), "1000000000000000");
    String gateway = ARLOCAL.url().toString();

    CliRun published =
        job(
            wh,
            "publish",
            "silver/wine",
            "0",
            "--wallet",
            key.toString(),
            "--gateway",
            gateway,
            "--license",
            "CC-BY-4.0");
    assertEquals(0, published.code(), published.out() + published.err());
    assertTrue(published.err().contains("chunks"), "progress on stderr: " + published.err());
    Matcher id = Pattern.compile("manifest (\\S+) \\(").matcher(published.out());
    assertTrue(id.find(), published.out());
    assertTrue(published.out().contains("178 rows"), published.out());
    Path export = wh.resolve("datasets/silver_wine/0");
    assertTrue(Files.isRegularFile(export.resolve("manifest.json")), "export kept");
    ARLOCAL.mine();

    Path fetched = dir.resolve("fetched");
    CliRun f = run("fetch", id.group(1), "--gateway", gateway, "--out", fetched.toString());
    assertEquals(0, f.code(), f.err());
    assertEquals(
        Files.readString(export.resolve("manifest.json"), StandardCharsets.UTF_8),
        Files.readString(fetched.resolve("manifest.json"), StandardCharsets.UTF_8));

    CliRun ok = run("verify", fetched.toString());
    assertEquals(0, ok.code(), ok.out() + ok.err());
    assertTrue(ok.out().contains("signed by " + wallet.address()), ok.out());

    Path victim = fetched.resolve("data/part-00000.parquet");
    byte[] b = Files.readAllBytes(victim);
    b[b.length / 2] ^= 0x01;
    Files.write(victim, b);
    CliRun bad = run("verify", fetched.toString());
    assertEquals(1, bad.code(), bad.out());
    assertTrue(bad.out().contains("SHA256_MISMATCH data/part-00000.parquet"), bad.out());

    CliRun again =
        job(wh, "publish", "silver/wine", "0", "--wallet", key.toString(), "--gateway", gateway);
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("nothing uploaded"), again.out());
    assertTrue(again.out().contains(id.group(1)), again.out());
    assertFalse(again.err().contains("uploaded "), again.err());
  }
}
