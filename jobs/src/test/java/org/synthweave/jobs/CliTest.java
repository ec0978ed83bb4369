package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.testing.SparkTestBase;

/** The synthweave command line as a user meets it: help, config, errors, and a real job. */
class CliTest {
  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Result(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void everyCommandHasHelp() {
    for (String cmd :
        new String[] {
          "run", "ingest", "ingest-table", "config", "bench", "wallet", "publish", "fetch", "verify"
        }) {
      Result r = run(cmd, "--help");
      assertEquals(0, r.code(), cmd + ": " + r.err());
      assertTrue(r.out().contains("Usage: synthweave " + cmd), r.out());
    }
    assertTrue(run("--help").out().contains("ingest-table"));
  }

  @Test
  void configKeysListsEveryKeyWithItsDefault() {
    Result r = run("config", "--keys");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("ingest.dedup.near-duplicate-threshold"), r.out());
    assertTrue(r.out().contains("default: 0.8"), r.out());
  }

  @Test
  void resolvedConfigShowsWhereEachValueCameFrom() {
    Result r = run("--set", "spark.shuffle-partitions=3", "config");
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().matches("(?s).*spark\\.shuffle-partitions\\s+= 3\\s+\\(--set\\).*"), r.out());
    // The embedded default conf/local.conf is on the classpath.
    assertTrue(r.out().contains("embedded synthweave/conf/local.conf"), r.out());
  }

  @Test
  void anUnknownKeyFailsWithASuggestion() {
    Result r = run("--set", "ingest.crawl.input=x", "config");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Did you mean 'ingest.crawl.inputs'"), r.err());
  }

  @Test
  void walletNewWritesAPrivateKeyAndAddressReadsIt(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("wallet.json");
    Result created = run("wallet", "new", key.toString());
    assertEquals(0, created.code(), created.err());
    String address = created.out().trim();
    assertEquals(43, address.length(), created.out());
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            java.nio.file.Files.getPosixFilePermissions(key)));
    assertEquals(address, run("wallet", "address", key.toString()).out().trim());
    // Nothing printed holds key material.
    assertTrue(!created.out().contains("\"d\""), created.out());

    assertEquals(2, run("wallet", "new", key.toString()).code(), "refuses to overwrite");
    java.nio.file.Files.setPosixFilePermissions(
        key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Result open = run("wallet", "address", key.toString());
    assertEquals(1, open.code());
    assertTrue(open.err().contains(key.toString()), open.err());
  }

  @Test
  void ingestTableRunsAndPrintsTheSummary(@TempDir Path dir) {
    Path wine = SparkTestBase.repoRoot().resolve("data/samples/tables/wine.csv");
    Result r =
        run(
            "--set",
            "warehouse=" + dir.resolve("wh"),
            "--set",
            "spark.master=local[2]",
            "--set",
            "spark.conf.spark.driver.host=127.0.0.1",
            "ingest-table",
            "wine",
            wine.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("table:silver/wine"), r.out());
    assertTrue(r.out().matches("(?s).*\\*\\s+178\\s+178\\s+0\\s+0\\s+0 ok.*"), r.out());
    SparkSession.clearDefaultSession();
  }
}
