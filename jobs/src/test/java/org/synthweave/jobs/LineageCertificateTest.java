package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.wallet.Wallet;
import org.synthweave.augmentation.AugmentationConfig;
import org.synthweave.augmentation.spark.SparkAugmentation;
import org.synthweave.core.config.Settings;
import org.synthweave.core.config.SettingsLoader;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.spark.DeltaReads;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.ingest.table.SparkTableIngest;
import org.synthweave.synthesis.SynthesisConfig;
import org.synthweave.synthesis.spark.SparkSynthesis;
import org.synthweave.verification.Certificate;

/**
 * Provenance from what the stages record in their Delta commits: after the wine sample gains new
 * versions, a synthetic table certifies the version its model learned from and an augmented table
 * the version it read (basis {@code recorded}), not the latest; {@code reproduce} rebuilds the
 * augmented rows from that version; a table written without lineage still certifies with {@code
 * latest-at-commit}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LineageCertificateTest extends SparkTestBase {
  private static final PrintStream QUIET =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  private Settings settings;
  private Path more;

  @BeforeAll
  void ingestWine(@TempDir Path tmp) throws IOException {
    settings =
        new SettingsLoader(JobContext.registry())
            .load(null, List.of("warehouse=" + warehouse, "synth.seed=11"));
    ingest(repoRoot().resolve("data/samples/tables/wine.csv"));
    more = tmp;
  }

  @Test
  @Order(1)
  void aSyntheticTableCertifiesTheVersionItsModelLearnedFrom() throws IOException {
    SynthesisConfig cfg = SynthesisConfig.from(settings).withSynthesizer("copula");
    new SparkSynthesis(spark, catalog, cfg, QUIET).synthesize("silver/wine", false, summary("s1"));
    // silver/wine gains version 1; the saved model (learned from version 0) is sampled again.
    ingest(moreWine("wine-more.csv", 0.001));
    assertEquals(1, DeltaReads.latestVersion(spark, catalog.path("silver/wine")));
    SynthesisConfig again =
        SynthesisConfig.from(settings.with("synth.seed", "12")).withSynthesizer("copula");
    long inserted =
        new SparkSynthesis(spark, catalog, again, QUIET)
            .synthesize("silver/wine", false, summary("s2"));
    assertEquals(178 + 20, inserted, "as many rows as silver/wine version 1 holds");

    Certificate c = certificate("gold/wine_synthetic", 1);
    assertEquals(
        List.of(
            "exported gold/wine_synthetic 1 exported",
            "real silver/wine 0 recorded commit 0 run s1",
            "real silver/wine 0 recorded commit 1 run s2"),
        describe(c),
        c.toJson());
  }

  @Test
  @Order(2)
  void anAugmentedTableCertifiesAndIsRebuiltFromTheVersionItRead(@TempDir Path tmp)
      throws IOException {
    // Read version 1, then version 2 is committed before the augmented rows are.
    DeltaReads.Pinned read = DeltaReads.latest(spark, catalog.path("silver/wine"));
    assertEquals(1, read.version());
    ingest(moreWine("wine-third.csv", 0.002));
    AugmentationConfig cfg = AugmentationConfig.from(settings);
    new SparkAugmentation(spark, catalog, cfg, "a1")
        .augment(cfg.spec("wine"), read.rows(), read.version(), summary("a1"));

    Certificate c = certificate("gold/wine_augmented", 0);
    assertEquals(
        List.of(
            "exported gold/wine_augmented 0 exported",
            "source silver/wine 1 recorded commit 0 run a1"),
        describe(c),
        c.toJson());

    Path export = export("gold/wine_augmented", 0, c);
    ReproductionReport r =
        DatasetReproduction.reproduce(
            spark, catalog, settings, export, tmp, new DatasetReproduction.Options(null), QUIET);
    ReproductionReport.Part recomputed =
        r.parts().stream()
            .filter(p -> p.level() == ReproductionReport.Level.RECOMPUTE)
            .findFirst()
            .orElseThrow();
    assertEquals(ReproductionReport.Status.MATCH, recomputed.status(), r.notes()::toString);
    assertFalse(r.failed(), r.notes()::toString);
    assertTrue(
        r.notes().stream().anyMatch(n -> n.contains("silver/wine version 1 (recorded")),
        r.notes()::toString);
  }

  @Test
  @Order(3)
  void aTableWrittenWithoutLineageStillCertifiesWithLatestAtCommit() {
    // Written as before stages recorded lineage: a plain Delta write, no commit metadata.
    spark
        .read()
        .format("delta")
        .load(catalog.path("silver/wine"))
        .write()
        .format("delta")
        .save(catalog.path("silver/red"));
    spark
        .read()
        .format("delta")
        .load(catalog.path("gold/wine_synthetic"))
        .write()
        .format("delta")
        .save(catalog.path("gold/red_synthetic"));

    Certificate c = certificate("gold/red_synthetic", 0);
    assertEquals(
        List.of(
            "exported gold/red_synthetic 0 exported",
            "real silver/red 0 latest-at-commit commit 0"),
        describe(c),
        c.toJson());
  }

  // ---- helpers ----

  private void ingest(Path file) {
    new SparkTableIngest(spark, catalog, 1 << 20)
        .ingest("wine", List.of(file.toString()), null, null, summary("ingest"));
  }

  /** The first 20 rows of the wine sample with alcohol raised by {@code delta}: new rows. */
  private Path moreWine(String name, double delta) throws IOException {
    List<String> lines =
        Files.readAllLines(
            repoRoot().resolve("data/samples/tables/wine.csv"), StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>(List.of(lines.get(0)));
    for (String line : lines.subList(1, 21)) {
      int comma = line.indexOf(',');
      double alcohol = Double.parseDouble(line.substring(0, comma)) + delta;
      out.add(String.format(Locale.ROOT, "%.3f", alcohol) + line.substring(comma));
    }
    Path file = more.resolve(name);
    Files.write(file, out, StandardCharsets.UTF_8);
    return file;
  }

  private Certificate certificate(String table, long version) {
    return DatasetCertification.certificate(
        spark, catalog, settings, table, version, List.of(), false, QUIET);
  }

  private Path export(String table, long version, Certificate c) {
    RSAPrivateCrtKey key = Wallet.generate(new SecureRandom()).privateKey();
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

  private static List<String> describe(Certificate c) {
    return c.provenance().tables().stream()
        .map(
            t ->
                t.role()
                    + " "
                    + t.table()
                    + " "
                    + t.version()
                    + " "
                    + t.basis()
                    + (t.commit() == null ? "" : " commit " + t.commit())
                    + (t.runId() == null ? "" : " run " + t.runId()))
        .toList();
  }

  private static RunSummary summary(String runId) {
    return new RunSummary(runId, "test", Instant.now());
  }
}
