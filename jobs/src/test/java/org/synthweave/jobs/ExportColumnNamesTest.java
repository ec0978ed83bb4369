package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.wallet.Wallet;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.Settings;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.spark.Columns;
import org.synthweave.core.testing.HostileColumns;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.ingest.table.SparkTableIngest;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.ManifestVerifier;
import org.synthweave.verification.VerificationReport;

/**
 * The dataset export that gets published (Parquet files + signed manifest) of a table ingested from
 * the real wine CSV with hostile headers (issue 17, item 6): every name is kept exactly, and
 * Delta's column mapping stays inside Delta.
 */
class ExportColumnNamesTest extends SparkTestBase {
  @Test
  void anIngestedTableWithHostileNamesExportsAndVerifies(@TempDir Path dir) throws Exception {
    Path csv = HostileColumns.writeCsv(dir);
    RunSummary summary = new RunSummary("r", "ingest-table", Instant.now());
    new SparkTableIngest(spark, catalog, 1 << 20)
        .ingest("wine_hostile", List.of(csv.toString()), null, null, summary);
    String table = TableCatalog.silver("wine_hostile");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    DatasetManifest m =
        DatasetExport.exportOrReuse(
            spark,
            catalog,
            table,
            0,
            "config-hash",
            null,
            card(table),
            Wallet.generate(new SecureRandom()).privateKey(),
            quiet);
    Path export = DatasetExport.folder(catalog, table, 0);
    VerificationReport report = ManifestVerifier.verify(export);
    assertTrue(report.ok(), report.toString());

    StructType schema = (StructType) StructType.fromJson(m.schema());
    assertTrue(List.of(schema.fieldNames()).containsAll(HostileColumns.NAMES), m.schema());
    assertFalse(m.schema().contains("delta.columnMapping"), m.schema());
    Dataset<Row> parquet = spark.read().parquet(export.resolve("data").toString());
    assertEquals(178, parquet.count());
    assertEquals(List.of(schema.fieldNames()), List.of(parquet.columns()));
    assertFalse(parquet.schema().json().contains("delta.columnMapping"), parquet.schema().json());
    assertEquals(71, parquet.where(Columns.col("*").equalTo("class_1")).count());
    assertEquals(
        spark
            .read()
            .option("header", "true")
            .option("inferSchema", "true")
            .csv(HostileColumns.wineCsv().toString())
            .agg(org.apache.spark.sql.functions.sum(Columns.col("proline")))
            .first()
            .getLong(0),
        parquet.agg(org.apache.spark.sql.functions.sum(Columns.col("`"))).first().getLong(0));
    // A second export of the same version reuses the intact one.
    DatasetManifest reused =
        DatasetExport.exportOrReuse(
            spark,
            catalog,
            table,
            0,
            "config-hash",
            null,
            card(table),
            Wallet.generate(new SecureRandom()).privateKey(),
            quiet);
    assertEquals(m.merkleRoot(), reused.merkleRoot());
    assertEquals(m.signature(), reused.signature());
    // The card describes the hostile names too, and verify held it against the schema above.
    assertTrue(
        m.files().stream().anyMatch(f -> f.path().equals("croissant.json")), m.files().toString());
    String croissant = Files.readString(export.resolve("croissant.json"), StandardCharsets.UTF_8);
    assertTrue(croissant.contains("\"conformsTo\" : \"http://mlcommons.org/croissant/1.0\""));
  }

  private static PublishDatasetConfig card(String table) {
    return PublishDatasetConfig.from(
        Settings.defaults(), table.replace('/', '_'), table, 0, null, "CC-BY-4.0", "tester");
  }
}
