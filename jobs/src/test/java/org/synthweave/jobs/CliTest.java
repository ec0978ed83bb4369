package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.testing.SparkTestBase;

/** The synthweave command line as a user meets it: help, config, errors, and a real job. */
class CliTest {
  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  /**
   * Every command and subcommand, nested ones included: its help prints, and picocli formats its
   * text without a warning (a bare percent sign in a description is read as a format specifier, and
   * picocli then prints the raw text with a warning instead).
   */
  @Test
  void everyCommandHasHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(new picocli.CommandLine(new Main()), new ArrayList<>(), paths);
    Map<String, String> help = new HashMap<>();
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CliRun r = run(args.toArray(String[]::new));
      String name = String.join(" ", path);
      assertEquals(0, r.code(), name + ": " + r.err());
      assertTrue(r.out().contains("Usage: synthweave " + name), r.out());
      assertFalse(r.err().contains("picocli WARN"), name + ": " + r.err());
      assertFalse(r.out().contains("%n"), name + ": " + r.out());
      help.put(name, r.out());
    }
    for (String cmd :
        new String[] {
          "run",
          "ingest",
          "ingest-table",
          "embed",
          "index",
          "search",
          "eval-index",
          "augment",
          "config",
          "bench",
          "wallet",
          "publish",
          "gateway",
          "fetch",
          "verify",
          "reproduce",
          "evaluate-synthetic",
          "market",
          "market sync",
          "market search",
          "market show",
          "market get",
          "market serve",
          "bench market-ranking"
        }) {
      assertTrue(help.containsKey(cmd), cmd + " is not a command: " + help.keySet());
    }
    assertTrue(run("--help").out().contains("ingest-table"));
    assertTrue(help.get("bench embed").contains("langchain4j"), help.get("bench embed"));
    assertTrue(help.get("bench index").contains("jvector"), help.get("bench index"));
    assertTrue(help.get("bench synth").contains("tstr_auc_ratio"), help.get("bench synth"));
  }

  private static void collect(picocli.CommandLine cmd, List<String> path, List<List<String>> out) {
    for (var e : cmd.getSubcommands().entrySet()) {
      if (e.getKey().equals("help") || !e.getKey().equals(e.getValue().getCommandName())) {
        continue; // the help command takes no --help; aliases repeat their command
      }
      List<String> sub = new ArrayList<>(path);
      sub.add(e.getKey());
      out.add(sub);
      collect(e.getValue(), sub, out);
    }
  }

  @Test
  void searchWithoutAnIndexSaysWhatToRunFirst(@TempDir Path dir) {
    CliRun r = run("--set", "warehouse=" + dir.resolve("wh"), "search", "anything");
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("synthweave index"), r.err());
    CliRun neither = run("--set", "warehouse=" + dir.resolve("wh"), "search");
    assertTrue(neither.err().contains("--like"), neither.err());
  }

  @Test
  void marketRankingNamesTheBadLineOfItsData(@TempDir Path dir) throws java.io.IOException {
    Path data = dir.resolve("items.jsonl");
    java.nio.file.Files.writeString(
        data, "{\"id\":\"a\",\"query\":\"q\"}\n{\"id\":\"a\",\"query\":\"r\"}\n");
    CliRun r = run("bench", "market-ranking", "--data", data.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("Cannot use the known-item file"), r.err());
    assertTrue(r.err().contains("line 2: the id a repeats"), r.err());
    assertTrue(r.err().contains("market-eval-data.sh"), r.err());
    CliRun missing = run("bench", "market-ranking", "--data", dir.resolve("none.jsonl").toString());
    assertEquals(2, missing.code(), missing.err());
    assertTrue(
        missing.err().contains("none.jsonl for bench market-ranking: it does not exist"),
        missing.err());
  }

  @Test
  void embedWithoutDocumentsSaysWhatToRunFirst(@TempDir Path dir) {
    CliRun r = run("--set", "warehouse=" + dir.resolve("wh"), "embed", "--only", "text");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("no Delta table silver/documents"), r.err());
    assertTrue(r.err().contains("synthweave ingest"), r.err());
  }

  @Test
  void augmentOfAnUndeclaredDatasetSaysHowToDeclareIt(@TempDir Path dir) {
    CliRun r = run("--set", "warehouse=" + dir.resolve("wh"), "augment", "nosuch");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("no augmentation dataset 'nosuch'"), r.err());
    assertTrue(r.err().contains("telemetry"), r.err());
    CliRun badOp =
        run(
            "--set",
            "augment.dataset.telemetry.ops=jiter sigma=0.1",
            "--set",
            "warehouse=" + dir.resolve("wh"),
            "augment");
    assertEquals(2, badOp.code(), badOp.err());
    assertTrue(badOp.err().contains("'jiter', which does not exist"), badOp.err());
    assertTrue(badOp.err().contains("jitter"), badOp.err());
  }

  @Test
  void augmentTelemetryAfterIngestWritesEveryReadingOnce(@TempDir Path dir) {
    String wh = "warehouse=" + dir.resolve("wh");
    Path root = SparkTestBase.repoRoot();
    CliRun ingest =
        run(
            "--set",
            wh,
            "--set",
            "ingest.telemetry.inputs="
                + root.resolve("data/samples/telemetry/readings.jsonl")
                + ","
                + root.resolve("data/samples/telemetry/readings.csv"),
            "--set",
            "ingest.telemetry.schema=" + root.resolve("conf/telemetry-schema.conf"),
            "--set",
            "ingest.telemetry.devices=" + root.resolve("conf/devices.csv"),
            "ingest",
            "--only",
            "telemetry");
    assertEquals(0, ingest.code(), ingest.err());
    CliRun first = run("--set", wh, "augment");
    assertEquals(0, first.code(), first.err());
    assertTrue(
        first.out().matches("(?s).*augment\\s+silver/telemetry\\s+2000\\s+2000\\s+0\\s+0.*"),
        first.out());
  }

  @Test
  void configKeysListsEveryKeyWithItsDefault() {
    CliRun r = run("config", "--keys");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("ingest.dedup.near-duplicate-threshold"), r.out());
    assertTrue(r.out().contains("default: 0.8"), r.out());
  }

  @Test
  void resolvedConfigShowsWhereEachValueCameFrom() {
    CliRun r = run("--set", "spark.shuffle-partitions=3", "config");
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().matches("(?s).*spark\\.shuffle-partitions\\s+= 3\\s+\\(--set\\).*"), r.out());
    // The embedded default conf/local.conf is on the classpath.
    assertTrue(r.out().contains("embedded synthweave/conf/local.conf"), r.out());
  }

  @Test
  void aQuotedSparkSettingAsTheReadmeWritesItIsShownWithItsSource() {
    CliRun r = run("--set", "spark.conf.\"spark.master\"=yarn", "config");
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().matches("(?s).*spark\\.conf\\.\"spark\\.master\"\\s+= yarn\\s+\\(--set\\).*"),
        r.out());
    CliRun bad = run("--set", "spark.conf.executor.memory=4g", "config");
    assertEquals(2, bad.code(), bad.out());
    assertTrue(bad.err().contains("not a Spark key"), bad.err());
    CliRun open = run("--set", "spark.conf.\"spark.master=yarn", "config");
    assertEquals(2, open.code(), open.out());
    assertTrue(open.err().contains("key=value"), open.err());
  }

  @Test
  void anUnknownKeyFailsWithASuggestion() {
    CliRun r = run("--set", "ingest.crawl.input=x", "config");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Did you mean 'ingest.crawl.inputs'"), r.err());
  }

  @Test
  void walletNewWritesAPrivateKeyAndAddressReadsIt(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("wallet.json");
    CliRun created = run("wallet", "new", key.toString());
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
    CliRun open = run("wallet", "address", key.toString());
    assertEquals(1, open.code());
    assertTrue(open.err().contains(key.toString()), open.err());
  }

  @Test
  void ingestTableRunsAndPrintsTheSummary(@TempDir Path dir) {
    Path wine = SparkTestBase.repoRoot().resolve("data/samples/tables/wine.csv");
    CliRun r =
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

  @Test
  void evaluateSyntheticOnACopyOfTheRealTable(@TempDir Path dir) throws Exception {
    // The "synthetic" table is the real one: every training row is copied, so the exact-copy
    // rate must be the training share of the rows, and the report lands next to the table.
    Path wine = SparkTestBase.repoRoot().resolve("data/samples/tables/wine.csv");
    String[] common = {
      "--set", "warehouse=" + dir.resolve("wh"),
      "--set", "spark.master=local[2]",
      "--set", "spark.conf.spark.driver.host=127.0.0.1",
      "--set", "verify.synthetic.trees=10",
      "--set", "verify.synthetic.baseline=false"
    };
    CliRun ingest = run(concat(common, "ingest-table", "wine", wine.toString()));
    assertEquals(0, ingest.code(), ingest.err());
    CliRun r =
        run(
            concat(
                common,
                "evaluate-synthetic",
                "--real",
                "silver/wine",
                "--synthetic",
                "silver/wine",
                "--target",
                "cultivar",
                "--seed",
                "3"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("detection AUC"), r.out());
    String jsonLine =
        r.out().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow();
    com.fasterxml.jackson.databind.JsonNode json =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(jsonLine);
    long train = json.get("train_rows").asLong();
    long synthetic = json.get("synthetic_rows").asLong();
    assertEquals(178, synthetic);
    assertEquals(178, train + json.get("holdout_rows").asLong());
    assertEquals((double) train / synthetic, json.get("exact_copy_rate").asDouble(), 1e-12);
    assertTrue(json.get("column_shapes").asDouble() > 0.9, jsonLine);
    // Three cultivars: macro F1, and no ROC AUC (written as null, not left out).
    assertTrue(json.get("tstr").asDouble() > 0.5, jsonLine);
    assertTrue(json.has("tstr_auc") && json.get("tstr_auc").isNull(), jsonLine);
    assertTrue(json.has("trtr_auc") && json.get("trtr_auc").isNull(), jsonLine);
    assertTrue(json.has("tstr_auc_ratio") && json.get("tstr_auc_ratio").isNull(), jsonLine);
    assertTrue(
        java.nio.file.Files.exists(dir.resolve("wh/silver/wine/_report/index.html")), r.out());
    assertTrue(
        java.nio.file.Files.exists(dir.resolve("wh/silver/wine/_report/report.json")), r.out());
    SparkSession.clearDefaultSession();
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
