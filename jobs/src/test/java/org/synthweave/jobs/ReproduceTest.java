package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.ArlocalGateway;
import org.synthweave.arweave.wallet.Wallet;
import org.synthweave.augmentation.AugmentationConfig;
import org.synthweave.augmentation.spark.SparkAugmentation;
import org.synthweave.core.config.Settings;
import org.synthweave.core.config.SettingsLoader;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.ingest.table.SparkTableIngest;
import org.synthweave.synthesis.SynthesisConfig;
import org.synthweave.synthesis.spark.SparkSynthesis;
import org.synthweave.verification.Certificate;
import org.synthweave.verification.DatasetManifest;

/**
 * {@code reproduce} on exports of the bundled wine sample: a real table, its augmented copy and a
 * Gaussian-copula sample are rebuilt byte for byte from what their manifests record; a tampered
 * file, rows changed under the recorded version, a vacuumed version, another augmentation setting
 * and another model are each reported, naming the file and the reason.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReproduceTest extends SparkTestBase {
  @RegisterExtension static final ArlocalGateway ARLOCAL = new ArlocalGateway();

  private static final PrintStream QUIET =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  private RSAPrivateCrtKey key;
  private Settings settings;

  @BeforeAll
  void ingestWine() {
    key = Wallet.generate(new SecureRandom()).privateKey();
    settings =
        new SettingsLoader(JobContext.registry())
            .load(null, List.of("warehouse=" + warehouse, "synth.seed=11"));
    Path wine = repoRoot().resolve("data/samples/tables/wine.csv");
    new SparkTableIngest(spark, catalog, 1 << 20)
        .ingest("wine", List.of(wine.toString()), null, null, summary());
  }

  @Test
  @Order(1)
  void aRealTableIsRebuiltByteForByteWhateverTheInputSplits(@TempDir Path tmp) {
    // Five files in the table: how Spark packs them into tasks decides the old export's layout.
    String table = "silver/wine_parts";
    wine().repartition(5).write().format("delta").save(catalog.path(table));
    Path export = export(table, 0);
    assertTrue(manifest(export).dataFiles().size() == 1, manifest(export).dataFiles()::toString);

    ReproductionReport r =
        withConf(
            List.of(
                "spark.sql.files.maxPartitionBytes", "1024",
                "spark.sql.files.openCostInBytes", "1",
                "spark.sql.shuffle.partitions", "7"),
            () -> reproduce(export, settings, null, tmp));
    assertFalse(r.failed(), () -> describe(r));
    assertTrue(r.unchecked().isEmpty(), () -> describe(r));
    // The folder, one Parquet file, croissant.json, README.md and the Merkle root.
    assertEquals(
        List.of(
            "folder manifest.json MATCH",
            "export README.md MATCH",
            "export croissant.json MATCH",
            "export data/part-00000.parquet MATCH",
            "export merkle root MATCH"),
        r.parts().stream().map(ReproduceTest::line).toList(),
        () -> describe(r));
    assertEquals(manifest(export).merkleRoot(), part(r, "merkle root").actual());
    assertTrue(r.notes().get(0).contains("nothing upstream to recompute"), r.notes()::toString);
  }

  @Test
  @Order(2)
  void anAugmentedTableIsRecomputedFromItsRecordedRuns(@TempDir Path tmp) {
    new SparkAugmentation(spark, catalog, AugmentationConfig.from(settings), "run-augment")
        .augment("wine", summary());
    Path export = export("gold/wine_augmented", 0);
    Certificate.AugmentRun run = manifest(export).certificate().provenance().augment().get(0);
    assertEquals(20260611L, run.seed());

    ReproductionReport r = reproduce(export, settings, null, tmp.resolve("a"));
    assertFalse(r.failed(), () -> describe(r));
    assertTrue(r.unchecked().isEmpty(), () -> describe(r));
    ReproductionReport.Part recomputed = recomputed(r);
    assertEquals(ReproductionReport.Status.MATCH, recomputed.status(), () -> describe(r));
    assertEquals(manifest(export).dataFiles().get(0).sha256(), recomputed.actual());

    // Without balancing the run makes other rows: the comparison fails and says how many.
    ReproductionReport other =
        reproduce(
            export, settings.with("augment.dataset.wine.balance", "false"), null, tmp.resolve("b"));
    assertTrue(other.failed(), () -> describe(other));
    assertEquals(ReproductionReport.Status.MISMATCH, recomputed(other).status());
    assertTrue(recomputed(other).detail().contains("other rows"), () -> describe(other));
    assertTrue(
        other.notes().stream()
            .anyMatch(n -> n.contains("this configuration is not the publisher's")),
        other.notes()::toString);
    assertTrue(
        other.notes().stream().anyMatch(n -> n.startsWith("recomputed rows differ")),
        other.notes()::toString);
    // The export itself still rebuilds: only the recomputation differs.
    assertEquals(ReproductionReport.Status.MATCH, part(other, "merkle root").status());
  }

  @Test
  @Order(3)
  void aSyntheticSampleIsDrawnAgainFromTheCertifiedModel(@TempDir Path tmp) throws IOException {
    SynthesisConfig cfg = SynthesisConfig.from(settings).withSynthesizer("copula");
    new SparkSynthesis(spark, catalog, cfg, QUIET).synthesize("silver/wine", false, summary());
    Path export = export("gold/wine_synthetic", 0);

    // The sampling tasks are found from the rows' ids, whatever synth.sample.partitions says now.
    ReproductionReport r =
        reproduce(export, settings.with("synth.sample.partitions", "3"), null, tmp.resolve("a"));
    assertFalse(r.failed(), () -> describe(r));
    assertTrue(r.unchecked().isEmpty(), () -> describe(r));
    assertEquals(ReproductionReport.Status.MATCH, recomputed(r).status(), () -> describe(r));
    assertTrue(
        r.notes().stream().anyMatch(n -> n.contains("seed 11: 178 rows drawn again in 4 sampling")),
        r.notes()::toString);

    // A model folder whose files are not the certified ones is not used, and the report says so.
    Path model = warehouse.resolve("models/synthesis/wine/copula");
    Path other = tmp.resolve("other-model");
    Files.createDirectories(other);
    String json = Files.readString(model.resolve("model.json"), StandardCharsets.UTF_8);
    Files.writeString(other.resolve("model.json"), json + " ", StandardCharsets.UTF_8);
    ReproductionReport wrong = reproduce(export, settings, other, tmp.resolve("b"));
    assertFalse(wrong.failed(), () -> describe(wrong));
    ReproductionReport.Part p = recomputed(wrong);
    assertEquals(ReproductionReport.Status.NOT_CHECKED, p.status());
    assertTrue(p.detail().contains("has SHA-256"), p.detail());
    assertTrue(p.detail().contains("the certificate records"), p.detail());
    assertTrue(wrong.toJsonLine().contains("\"complete\":false"), wrong.toJsonLine());
  }

  @Test
  @Order(4)
  void rowsChangedUnderTheRecordedVersionOrAVacuumedVersionAreReported(@TempDir Path tmp) {
    String table = "silver/wine_changed";
    wine().write().format("delta").save(catalog.path(table));
    Path export = export(table, 0);
    // The table is made anew: its version 0 now holds other rows.
    deleteQuietly(Path.of(catalog.path(table)));
    wine().limit(170).write().format("delta").save(catalog.path(table));
    ReproductionReport changed = reproduce(export, settings, null, tmp.resolve("a"));
    assertTrue(changed.failed(), () -> describe(changed));
    ReproductionReport.Part data = part(changed, "data/part-00000.parquet");
    assertEquals(ReproductionReport.Status.MISMATCH, data.status());
    assertEquals("other rows: the manifest records 178 rows, the rebuild has 170", data.detail());
    assertEquals(ReproductionReport.Status.MISMATCH, part(changed, "merkle root").status());

    // Overwritten, then vacuumed: the files of version 0 are gone.
    wine().limit(10).write().format("delta").mode(SaveMode.Overwrite).save(catalog.path(table));
    // Vacuum lists files in as many tasks as this says (10,000 by default): a few are plenty here.
    withConf(
        List.of(
            "spark.databricks.delta.retentionDurationCheck.enabled", "false",
            "spark.sql.sources.parallelPartitionDiscovery.parallelism", "2"),
        () -> DeltaTable.forPath(spark, catalog.path(table)).vacuum(0));
    ReproductionReport gone = reproduce(export, settings, null, tmp.resolve("b"));
    assertTrue(gone.failed(), () -> describe(gone));
    ReproductionReport.Part p = part(gone, "data/part-00000.parquet");
    assertEquals(ReproductionReport.Status.NOT_CHECKED, p.status());
    assertTrue(p.required());
    assertTrue(
        p.detail().contains("silver/wine_changed version 0 can no longer be read"), p.detail());
    assertEquals(ReproductionReport.Status.NOT_CHECKED, part(gone, "merkle root").status());
  }

  /**
   * The command on a published id (fetched from a real arlocal) and on a tampered copy. Runs last:
   * each command stops the SparkSession it shares with this class when it ends.
   */
  @Test
  @Order(9)
  void theCommandReproducesAPublishedIdAndNamesATamperedFile(@TempDir Path tmp) throws Exception {
    CliRun neither = CliRun.of("reproduce");
    assertEquals(2, neither.code(), neither.err());
    assertTrue(neither.err().contains("Give either a dataset folder or --id"), neither.err());
    CliRun notAFolder = CliRun.of("reproduce", tmp.toString());
    assertEquals(2, notAFolder.code(), notAFolder.err());
    assertTrue(notAFolder.err().contains("holds no manifest.json"), notAFolder.err());

    Wallet w = Wallet.generate(new SecureRandom());
    Path wallet = tmp.resolve("key.json");
    w.save(wallet);
    ARLOCAL.mint(w.address(), "1000000000000000");
    String gateway = ARLOCAL.url().toString();
    CliRun published =
        job(
            "publish",
            "silver/wine_parts",
            "0",
            "--wallet",
            wallet.toString(),
            "--gateway",
            gateway);
    assertEquals(0, published.code(), published.out() + published.err());
    Matcher id = Pattern.compile("manifest (\\S+) \\(").matcher(published.out());
    assertTrue(id.find(), published.out());
    ARLOCAL.mine();
    CliRun byId = job("reproduce", "--id", id.group(1), "--gateway", gateway, "--json");
    assertEquals(0, byId.code(), byId.out() + byId.err());
    assertTrue(byId.out().contains("OK: all 5 comparisons match"), byId.out());
    JsonNode ok = new ObjectMapper().readTree(lastLine(byId.out()));
    assertTrue(ok.get("ok").asBoolean() && ok.get("complete").asBoolean(), byId.out());

    Path copy = tmp.resolve("copy");
    copyTree(DatasetExport.folder(catalog, "silver/wine_parts", 0), copy);
    Path victim = copy.resolve("data/part-00000.parquet");
    byte[] b = Files.readAllBytes(victim);
    b[b.length / 2] ^= 0x01;
    Files.write(victim, b);
    CliRun r = job("reproduce", copy.toString(), "--json");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("folder  data/part-00000.parquet"), r.out());
    assertTrue(r.out().contains("SHA256_MISMATCH"), r.out());
    assertTrue(r.out().contains("FAILED"), r.out());
    JsonNode json = new ObjectMapper().readTree(lastLine(r.out()));
    assertFalse(json.get("ok").asBoolean(), r.out());
    // The rebuilt export still equals what the manifest records: the folder's copy is what changed.
    boolean rebuiltSame = false;
    for (JsonNode p : json.get("parts")) {
      if (p.get("level").asText().equals("export")
          && p.get("path").asText().equals("data/part-00000.parquet")) {
        rebuiltSame = p.get("status").asText().equals("match");
      }
    }
    assertTrue(rebuiltSame, r.out());
  }

  private CliRun job(String... args) {
    return CliRun.inWarehouse(warehouse, args);
  }

  private static String lastLine(String out) {
    return out.strip().lines().reduce((x, y) -> y).orElseThrow();
  }

  // ---- helpers ----

  private Dataset<Row> wine() {
    return spark.read().format("delta").load(catalog.path("silver/wine"));
  }

  private Path export(String table, long version) {
    Certificate c =
        DatasetCertification.certificate(
            spark, catalog, settings, table, version, List.of(), false, QUIET);
    String dataset = table.replace('/', '_');
    DatasetExport.exportOrReuse(
        spark,
        catalog,
        table,
        version,
        settings.hash(),
        c,
        PublishDatasetConfig.from(settings, dataset, table, version, null, "CC-BY-4.0", "tester"),
        key,
        QUIET);
    return DatasetExport.folder(catalog, table, version);
  }

  private ReproductionReport reproduce(Path export, Settings s, Path model, Path work) {
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return DatasetReproduction.reproduce(
        spark, catalog, s, export, work, new DatasetReproduction.Options(model), QUIET);
  }

  private <T> T withConf(List<String> keyValues, java.util.function.Supplier<T> body) {
    String[] old = new String[keyValues.size() / 2];
    for (int i = 0; i < old.length; i++) {
      old[i] = spark.conf().getOption(keyValues.get(2 * i)).getOrElse(() -> null);
      spark.conf().set(keyValues.get(2 * i), keyValues.get(2 * i + 1));
    }
    try {
      return body.get();
    } finally {
      for (int i = 0; i < old.length; i++) {
        if (old[i] == null) {
          spark.conf().unset(keyValues.get(2 * i));
        } else {
          spark.conf().set(keyValues.get(2 * i), old[i]);
        }
      }
    }
  }

  private static DatasetManifest manifest(Path export) {
    return DatasetManifest.readFrom(export);
  }

  private static RunSummary summary() {
    return new RunSummary("r", "test", Instant.now());
  }

  private static ReproductionReport.Part part(ReproductionReport r, String path) {
    return r.parts().stream()
        .filter(p -> p.level() == ReproductionReport.Level.EXPORT && p.path().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no export part " + path + ": " + describe(r)));
  }

  private static ReproductionReport.Part recomputed(ReproductionReport r) {
    List<ReproductionReport.Part> ps =
        r.parts().stream().filter(p -> p.level() == ReproductionReport.Level.RECOMPUTE).toList();
    assertEquals(1, ps.size(), () -> describe(r));
    assertNotNull(ps.get(0).path());
    return ps.get(0);
  }

  private static String line(ReproductionReport.Part p) {
    return p.level().label() + " " + p.path() + " " + p.status();
  }

  private static String describe(ReproductionReport r) {
    java.io.StringWriter w = new java.io.StringWriter();
    r.print(new java.io.PrintWriter(w));
    return w.toString();
  }

  private static void deleteQuietly(Path p) {
    try {
      deleteRecursively(p);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
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
