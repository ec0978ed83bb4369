package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.ArlocalGateway;
import org.synthweave.arweave.wallet.Wallet;
import org.synthweave.core.testing.SparkTestBase;

/**
 * {@code check} and publish's quality gate on the real wine table: a failing check refuses the
 * publish and names the value and threshold (unless --allow-failed-checks), passing checks let it
 * through to a real arlocal, and a bad check is a configuration error before any work.
 */
class CheckGateTest {
  @RegisterExtension static final ArlocalGateway ARLOCAL = new ArlocalGateway();

  /** Checks the wine sample meets (its alcohol lies in [11.03, 14.83]). */
  private static final String PASSING =
      """
      verify.dataset.silver_wine = null  # only these checks, not the embedded default's
      verify.dataset.wine {
        table = "silver/wine"
        rows { min = 100, max = 1000 }
        columns = [ { column = alcohol, type = double }, { column = cultivar, type = string } ]
        complete = [ { column = alcohol, min = 1.0 }, { column = cultivar } ]
        unique = [ _row_id ]
        range = [ { column = alcohol, min = 11, max = 15 }, { column = magnesium, min = 0 } ]
        domain = [ { column = cultivar, values = [class_0, class_1, class_2] } ]
      }
      """;

  private static CliRun job(Path wh, Path conf, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--set",
                "warehouse=" + wh,
                "--set",
                "spark.master=local[2]",
                "--set",
                "spark.conf.spark.driver.host=127.0.0.1"));
    if (conf != null) {
      all.addAll(List.of("--conf", conf.toString()));
    }
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  @Test
  void aFailingCheckStopsPublishAndPassingChecksLetItThrough(@TempDir Path dir) throws Exception {
    Path wh = dir.resolve("wh");
    Path wine = SparkTestBase.repoRoot().resolve("data/samples/tables/wine.csv");
    assertEquals(0, job(wh, null, "ingest-table", "wine", wine.toString()).code());
    Path conf = dir.resolve("checks.conf");
    Files.writeString(conf, PASSING, StandardCharsets.UTF_8);
    Wallet w = Wallet.generate(new SecureRandom());
    Path key = dir.resolve("key.json");
    w.save(key);
    ARLOCAL.mint(w.address(), "1000000000000000");
    Path export = wh.resolve("datasets/silver_wine/0");

    // One bound tightened below the data's maximum: publish refuses before exporting anything.
    CliRun refused =
        job(
            wh,
            conf,
            "--set",
            "verify.dataset.wine.range=[{column=alcohol,max=14}]",
            "publish",
            "silver/wine",
            "0",
            "--wallet",
            key.toString(),
            "--gateway",
            ARLOCAL.url().toString());
    assertEquals(1, refused.code(), refused.out() + refused.err());
    assertTrue(
        refused
            .err()
            .contains(
                "Refusing to publish silver/wine version 0: it failed 1 check: range(alcohol) max"
                    + " = 14.8300, needs <= 14"),
        refused.err());
    assertTrue(refused.err().contains("--allow-failed-checks"), refused.err());
    assertFalse(Files.exists(export), "nothing exported");

    // The same failure with --allow-failed-checks: published, the failure reported.
    CliRun allowed =
        job(
            wh,
            conf,
            "--set",
            "verify.dataset.wine.range=[{column=alcohol,max=14}]",
            "publish",
            "silver/wine",
            "0",
            "--wallet",
            key.toString(),
            "--gateway",
            ARLOCAL.url().toString(),
            "--allow-failed-checks");
    assertEquals(0, allowed.code(), allowed.out() + allowed.err());
    assertTrue(
        allowed.err().contains("with 1 failing checks (--allow-failed-checks)"), allowed.err());
    assertTrue(allowed.out().contains("published silver/wine version 0"), allowed.out());
    assertFalse(
        new ObjectMapper()
            .readTree(export.resolve("quality.json").toFile())
            .get("passed")
            .asBoolean());
    // The published manifest certifies the failure and that it was let through, under signature.
    JsonNode cert =
        new ObjectMapper().readTree(export.resolve("manifest.json").toFile()).get("certificate");
    assertEquals("synthweave-certificate/1", cert.get("format").asText(), cert.toString());
    assertFalse(cert.get("passed").asBoolean(), cert.toString());
    assertTrue(cert.get("allow_failed_checks").asBoolean(), cert.toString());
    JsonNode certified = cert.get("checks").get(0);
    assertEquals("wine", certified.get("dataset").asText());
    assertEquals(8, certified.get("results").size(), cert.toString());
    // rows, columns x2, complete x2, unique, then the tightened range(alcohol) max.
    JsonNode failed = certified.get("results").get(6);
    assertEquals(
        "range max <= 14 14.83 false",
        failed.get("check").asText()
            + " "
            + failed.get("metric").asText()
            + " "
            + failed.get("threshold").asText()
            + " "
            + failed.get("value").asDouble()
            + " "
            + failed.get("pass").asBoolean());
    JsonNode lineage = cert.get("provenance");
    assertEquals("silver/wine", lineage.get("tables").get(0).get("table").asText());
    assertEquals(0, lineage.get("tables").get(0).get("version").asLong());
    assertEquals(64, lineage.get("config_hash").asText().length(), lineage.toString());
    // Built from a git checkout (as CI's clean clone is), the code is stamped with its commit.
    if (Files.isDirectory(SparkTestBase.repoRoot().resolve(".git"))) {
      assertTrue(
          lineage.get("git_commit").asText().matches("[0-9a-f]{40}(-dirty)?"), lineage.toString());
    }
    assertTrue(cert.get("signature").has("signature"), cert.toString());
    CliRun verifyAllowed = CliRun.of("verify", export.toString());
    assertEquals(0, verifyAllowed.code(), verifyAllowed.out());
    assertTrue(
        verifyAllowed
            .out()
            .contains("certificate: 8 checks, 1 failed (published with --allow-failed-checks)"),
        verifyAllowed.out());

    CliRun published =
        job(
            wh,
            conf,
            "publish",
            "silver/wine",
            "0",
            "--wallet",
            key.toString(),
            "--gateway",
            ARLOCAL.url().toString());
    assertEquals(0, published.code(), published.out() + published.err());
    assertTrue(published.err().contains("wine: 10 checks, 10 passed, 0 failed"), published.err());
    assertTrue(published.out().contains("nothing uploaded"), published.out());
    JsonNode q = new ObjectMapper().readTree(export.resolve("quality.json").toFile());
    assertTrue(q.get("passed").asBoolean(), q.toString());
    assertEquals(10, q.get("checks").size());
    assertEquals(178.0, q.get("checks").get(0).get("value").asDouble(), q.toString());
    // The reused export is certified anew with the passing checks; quality.json beside it agrees.
    assertTrue(published.err().contains("certified the export"), published.err());
    assertTrue(
        new ObjectMapper()
            .readTree(export.resolve("manifest.json").toFile())
            .get("certificate")
            .get("passed")
            .asBoolean());
    assertEquals(0, CliRun.of("verify", export.toString()).code());
    CliRun recomputed =
        CliRun.of(
            "--set",
            "spark.master=local[2]",
            "--set",
            "spark.conf.spark.driver.host=127.0.0.1",
            "verify",
            "--recompute",
            export.toString());
    assertEquals(0, recomputed.code(), recomputed.out() + recomputed.err());
    assertTrue(
        recomputed.out().contains("recomputed 10 certified check values from the files"),
        recomputed.out());

    // A failing check: exit 1, every failure named with value and threshold.
    CliRun failing = job(wh, conf, "--set", "verify.dataset.wine.rows.max=150", "check", "wine");
    assertEquals(1, failing.code(), failing.out() + failing.err());
    assertTrue(failing.out().contains("FAIL rows count = 178, needs in [100, 150]"), failing.out());
    assertTrue(failing.err().contains("rows count = 178, needs in [100, 150]"), failing.err());
    assertTrue(failing.out().contains("ok   unique(_row_id) distinct_ratio = 1"), failing.out());
    assertTrue(failing.out().contains("wine: 10 checks, 9 passed, 1 failed"), failing.out());
    // That check rewrote quality.json beside the export: it no longer says what was certified.
    CliRun disagrees = CliRun.of("verify", export.toString());
    assertEquals(1, disagrees.code(), disagrees.out());
    assertTrue(
        disagrees
            .out()
            .contains(
                "QUALITY_MISMATCH quality.json: check rows count: the certificate says 178.0"
                    + " (needs in [100, 1000], pass), quality.json says 178.0 (needs in [100,"
                    + " 150], fail)"),
        disagrees.out());
    // Every run's results are kept: the refused and the allowed gate's 8 each (one range metric
    // instead of three), the passing gate's 10 and check's 10.
    assertEquals(8 + 8 + 10 + 10, deltaRows(wh.resolve("_checks")));
  }

  @Test
  void aBadCheckIsAOneLineConfigurationError(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("checks.conf");
    Files.writeString(conf, PASSING, StandardCharsets.UTF_8);
    // Refused while reading the configuration, before a SparkSession starts.
    CliRun unknown =
        job(dir.resolve("wh"), conf, "--set", "verify.dataset.wine.uniqe=[_row_id]", "check");
    assertEquals(2, unknown.code(), unknown.out() + unknown.err());
    assertTrue(unknown.err().contains("Unknown check 'uniqe'"), unknown.err());
    assertTrue(unknown.err().contains("Did you mean 'unique'?"), unknown.err());
    assertEquals(1, unknown.err().strip().lines().count(), unknown.err());

    CliRun keys = CliRun.of("config", "--keys");
    assertTrue(keys.out().contains("verify.dataset.<name>.complete"), keys.out());
  }

  /** Rows of a Delta table, from the record counts its log keeps for each added file. */
  private static long deltaRows(Path table) throws IOException {
    ObjectMapper json = new ObjectMapper();
    long rows = 0;
    try (Stream<Path> logs = Files.list(table.resolve("_delta_log"))) {
      for (Path log : logs.filter(p -> p.toString().endsWith(".json")).toList()) {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
          JsonNode add = json.readTree(line).get("add");
          if (add != null) {
            rows += json.readTree(add.get("stats").asText()).get("numRecords").asLong();
          }
        }
      }
    }
    return rows;
  }
}
