package org.synthweave.verification.checks;

import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.verification.Certificate;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.ManifestVerifier;
import org.synthweave.verification.QualityReport;
import org.synthweave.verification.VerificationReport;
import org.synthweave.verification.VerificationReport.Kind;
import org.synthweave.verification.VerificationReport.Problem;

/**
 * {@code verify --recompute}'s engine on the bundled wine table: the certified checks, recomputed
 * from the exported Parquet file, give the certified values; a certificate that claims other
 * values, or files that are not the certified data, are reported check by check.
 */
class SparkRecomputeTest extends SparkTestBase {
  private static final List<Check> CHECKS =
      List.of(
          new Check.Rows(100, 1000),
          new Check.ColumnType("alcohol", "double"),
          new Check.ColumnType("magnesium", "int"),
          new Check.Complete("alcohol", 0.99),
          new Check.Unique("_row_id"),
          new Check.Range("alcohol", 11, 15),
          new Check.Range("magnesium", 70, Double.NaN),
          new Check.Domain("cultivar", List.of("class_0", "class_1", "class_2")));

  private RSAPrivateCrtKey key;
  private Dataset<Row> wine;

  @BeforeAll
  void load() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), new SecureRandom());
    key = (RSAPrivateCrtKey) gen.generateKeyPair().getPrivate();
    wine =
        spark
            .read()
            .option("header", "true")
            .option("inferSchema", "true")
            .csv(repoRoot().resolve("data/samples/tables/wine.csv").toString())
            .withColumn("_row_id", monotonically_increasing_id())
            .cache();
  }

  /** Exports {@code rows} as one Parquet file under {@code dir/data/} with a certified manifest. */
  private DatasetManifest export(Path dir, Dataset<Row> rows, Certificate.CheckSet set)
      throws IOException {
    Path tmp = dir.resolveSibling(dir.getFileName() + ".spark");
    rows.coalesce(1).write().parquet(tmp.toUri().toString());
    Files.createDirectories(dir.resolve("data"));
    try (Stream<Path> s = Files.list(tmp)) {
      Path part = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().get();
      Files.move(part, dir.resolve("data/part-00000.parquet"));
    }
    deleteRecursively(tmp);
    DatasetManifest m =
        DatasetManifest.create(
                "silver_wine",
                "0",
                0,
                rows.schema().json(),
                List.of(
                    DatasetManifest.FileEntry.describe(
                        dir, "data/part-00000.parquet", rows.count())),
                new DatasetManifest.Provenance("silver/wine", 0, "cafe", "dev", "now"),
                null)
            .withCertificate(
                Certificate.of(
                    List.of(set),
                    !set.passed(),
                    null,
                    new Certificate.Lineage(
                        List.of(), List.of(), List.of(), "cafe", "dev", null, Map.of())))
            .sign(key);
    m.writeTo(dir);
    return m;
  }

  private static Certificate.CheckSet set(List<CheckResult> results) {
    return Certificate.CheckSet.of("wine", "silver/wine", 0, "now", CHECKS, results);
  }

  private List<CheckResult> measured(Dataset<Row> rows) {
    return SparkChecks.run(rows, new DatasetChecks("wine", "silver/wine", CHECKS));
  }

  private SparkRecompute.Result recompute(Path dir) {
    VerificationReport r = ManifestVerifier.verify(dir);
    assertTrue(r.ok(), r.problems().toString());
    return SparkRecompute.recompute(spark, dir, DatasetManifest.readFrom(dir), r.certificate());
  }

  @Test
  void theCertifiedValuesComeBackFromTheFiles(@TempDir Path dir) throws IOException {
    List<CheckResult> results = measured(wine);
    assertEquals(178.0, results.get(0).value());
    export(dir, wine, set(results));
    SparkRecompute.Result res = recompute(dir);
    assertEquals(List.of(), res.problems());
    assertEquals(results.size(), res.compared());
    assertEquals(List.of(), res.skipped());
  }

  @Test
  void aCertificateThatClaimsOtherValuesIsReportedPerCheck(@TempDir Path dir) throws IOException {
    // A seller's certificate, signed by the seller: more rows and a better completeness than the
    // files hold, everything else true.
    List<CheckResult> claimed = new ArrayList<>();
    for (CheckResult r : measured(wine)) {
      if (r.metric().equals("count")) {
        r = new CheckResult(r.check(), r.column(), r.metric(), r.threshold(), 200, "", true);
      } else if (r.check().equals("range")
          && r.column().equals("alcohol")
          && r.metric().equals("max")) {
        r = new CheckResult(r.check(), r.column(), r.metric(), r.threshold(), 14.5, "", true);
      }
      claimed.add(r);
    }
    export(dir, wine, set(claimed));
    List<Problem> p = recompute(dir).problems();
    assertEquals(2, p.size(), p.toString());
    assertTrue(p.stream().allMatch(x -> x.kind() == Kind.RECOMPUTED_MISMATCH), p.toString());
    assertEquals(
        "wine: rows count certified 200.0 (needs in [100, 1000], pass), the files give 178.0"
            + " (needs in [100, 1000], pass) (counts differ)",
        p.get(0).detail());
    assertTrue(
        p.get(1).detail().startsWith("wine: range(alcohol) max certified 14.5"), p.toString());
  }

  @Test
  void filesThatAreNotTheCertifiedDataAreFound(@TempDir Path dir) throws IOException {
    // Certified on the whole table, exported without the class_2 wines and with a new cultivar.
    Certificate.CheckSet certified = set(measured(wine));
    Dataset<Row> other =
        wine.where("cultivar <> 'class_2'")
            .withColumn(
                "cultivar",
                org.apache
                    .spark
                    .sql
                    .functions
                    .when(org.apache.spark.sql.functions.col("_row_id").equalTo(0), "class_9")
                    .otherwise(org.apache.spark.sql.functions.col("cultivar")));
    export(dir, other, certified);
    List<Problem> p = recompute(dir).problems();
    List<String> which =
        p.stream().map(x -> x.detail().substring(0, x.detail().indexOf(" certified"))).toList();
    assertTrue(which.contains("wine: rows count"), p.toString());
    assertTrue(which.contains("wine: domain(cultivar) outside_domain"), p.toString());
    assertTrue(
        p.stream().anyMatch(x -> x.detail().contains("the files give 1.0 (needs = 0")),
        p.toString());
  }

  @Test
  void checksThatAreNotDataChecksAreSkippedByName(@TempDir Path dir) throws IOException {
    Certificate.CheckSet full = set(measured(wine));
    List<Certificate.Declared> declared = new ArrayList<>(full.declared());
    declared.add(new Certificate.Declared("quality_score", "", 0.8, null, null, null));
    List<QualityReport.Entry> results = new ArrayList<>(full.results());
    export(
        dir,
        wine,
        new Certificate.CheckSet(
            full.dataset(),
            full.table(),
            full.tableVersion(),
            full.checkedAt(),
            full.passed(),
            declared,
            results));
    SparkRecompute.Result res = recompute(dir);
    assertEquals(List.of(), res.problems());
    assertEquals(List.of("wine: quality_score"), res.skipped());
  }
}
