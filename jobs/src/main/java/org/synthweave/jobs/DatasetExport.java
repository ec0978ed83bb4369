package org.synthweave.jobs;

import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.synthweave.core.Versions;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.spark.Columns;
import org.synthweave.verification.Certificate;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.ManifestVerifier;
import org.synthweave.verification.QualityReport;
import org.synthweave.verification.VerificationErrors;
import org.synthweave.verification.VerificationReport;
import org.synthweave.verification.card.CardInfo;
import org.synthweave.verification.card.CroissantCard;
import org.synthweave.verification.card.DatasetCardReadme;
import org.synthweave.verification.synthetic.SyntheticReport;

/**
 * Exports one Delta table version to {@code <warehouse>/datasets/<name>/<version>/}: Parquet files
 * under {@code data/} with stable names, the dataset card ({@code croissant.json}, {@code
 * README.md}), for an evaluated synthetic table the fidelity plots ({@code report/fidelity.json}),
 * and a signed {@code manifest.json} over all of them. A table version never changes, so an
 * existing intact export is reused as it is; this keeps re-publishing idempotent (same files, same
 * Merkle root). The Parquet bytes are a function of the rows alone ({@link #writeData}), so {@code
 * reproduce} can write a table version again and compare SHA-256s.
 */
final class DatasetExport {
  private static final String COLUMN_MAPPING_ID = "delta.columnMapping.id";
  private static final String COLUMN_MAPPING_PHYSICAL_NAME = "delta.columnMapping.physicalName";

  /** Rows per Parquet file of an export; a fixed number, so the layout depends on the rows only. */
  static final long ROWS_PER_FILE = 1_000_000L;

  private static final long MAX_FILES = 10_000L;

  private DatasetExport() {}

  /** The export folder of {@code table} at {@code version}. */
  static Path folder(TableCatalog catalog, String table, long version) {
    return localRoot(catalog)
        .resolve("datasets")
        .resolve(table.replace('/', '_'))
        .resolve(Long.toString(version));
  }

  /** The existing export if intact, else a new one; returns its manifest. */
  static DatasetManifest exportOrReuse(
      SparkSession spark,
      TableCatalog catalog,
      String table,
      long version,
      String configHash,
      Certificate certificate,
      PublishDatasetConfig card,
      RSAPrivateCrtKey key,
      java.io.PrintStream progress) {
    Path dir = folder(catalog, table, version);
    if (Files.isRegularFile(dir.resolve(DatasetManifest.FILE_NAME))) {
      // quality.json is rewritten from the new certificate below; only the data must be intact.
      deleteQuality(dir);
      VerificationReport r = ManifestVerifier.verify(dir);
      if (!r.ok()) {
        throw JobErrors.exportDamaged(dir, r.problems());
      }
      progress.println("reusing the intact export " + dir);
      return recertified(dir, DatasetManifest.readFrom(dir), certificate, key, progress);
    }
    String source = catalog.path(table);
    if (!DeltaTable.isDeltaTable(spark, source)) {
      throw JobErrors.noTable(table, source);
    }
    long latest = DeltaTable.forPath(spark, source).history(1).first().getAs("version");
    if (version < 0 || version > latest) {
      throw JobErrors.noTableVersion(table, version, latest);
    }
    Dataset<Row> df =
        withoutColumnMapping(
            spark.read().format("delta").option("versionAsOf", version).load(source));
    Path partial = dir.resolveSibling(dir.getFileName() + ".partial");
    try {
      deleteTree(partial);
      Files.createDirectories(partial);
      Instant now = Instant.now();
      CardInfo info =
          card.card(
              table.replace('/', '_'),
              Long.toString(version),
              table,
              LocalDate.ofInstant(now, ZoneOffset.UTC).toString());
      Written w = writeFiles(spark, df, partial, info);
      List<DatasetManifest.FileEntry> files = new ArrayList<>(w.files());
      files.addAll(writeFidelity(catalog, table, certificate, partial, progress));
      DatasetManifest m =
          DatasetManifest.create(
                  table.replace('/', '_'),
                  Long.toString(version),
                  version,
                  w.schema(),
                  files,
                  new DatasetManifest.Provenance(
                      table, version, configHash, Versions.codeVersion(), now.toString()),
                  w.quality())
              .withCertificate(certificate)
              .sign(key);
      m.writeTo(partial);
      Files.createDirectories(dir.getParent());
      Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
      progress.println("exported " + table + " version " + version + " to " + dir);
      return m;
    } catch (IOException e) {
      throw VerificationErrors.unwritable(dir, e);
    }
  }

  /**
   * What {@link #writeFiles} wrote: every file's entry (the Parquet files, then the card), the
   * schema as JSON and the quality summary the manifest carries.
   */
  record Written(
      List<DatasetManifest.FileEntry> files, String schema, Map<String, Object> quality) {
    Written {
      files = List.copyOf(files);
    }

    /** The Parquet files' entries. */
    List<DatasetManifest.FileEntry> data() {
      return files.stream().filter(f -> f.path().endsWith(".parquet")).toList();
    }
  }

  /**
   * Writes every file of an export of {@code df} into {@code dir} but the manifest: the Parquet
   * files ({@link #writeData}) and the dataset card of {@code info}. Publish and reproduce both
   * call this, so a reproduction is written by the very code that wrote the export.
   */
  static Written writeFiles(SparkSession spark, Dataset<Row> df, Path dir, CardInfo info) {
    List<DatasetManifest.FileEntry> files = new ArrayList<>(writeData(spark, df, dir));
    String schema = df.schema().json();
    Map<String, Object> quality = quality(df);
    files.addAll(writeCard(dir, info, schema, files, quality));
    return new Written(files, schema, quality);
  }

  /**
   * Writes {@code df} as {@code dir/data/part-NNNNN.parquet} and returns the files' entries. The
   * bytes depend on the rows only, not on how Spark happened to split the input (core count, file
   * sizes, shuffle settings): rows go to {@code ceil(rows / }{@link #ROWS_PER_FILE}{@code )} files
   * by a hash of their content, each file sorted by that hash and then by every orderable column,
   * with a fixed codec. So the same rows always give the same files, which is what {@code
   * reproduce} compares.
   */
  static List<DatasetManifest.FileEntry> writeData(SparkSession spark, Dataset<Row> df, Path dir) {
    Path data = dir.resolve("data");
    try {
      long rows = df.count();
      int fileCount =
          (int) Math.max(1, Math.min(MAX_FILES, (rows + ROWS_PER_FILE - 1) / ROWS_PER_FILE));
      ExportOrder order = ExportOrder.of(df.schema());
      Dataset<Row> laid =
          df.withColumn(ExportOrder.KEY, order.hash())
              .repartition(fileCount, Columns.col(ExportOrder.KEY))
              .sortWithinPartitions(order.sortColumns())
              .drop(ExportOrder.KEY);
      laid.write().option("compression", "snappy").parquet(data.toUri().toString());
      Map<String, Long> rowsByFile = rowsPerFile(spark, data);
      List<DatasetManifest.FileEntry> files = new ArrayList<>();
      List<Path> parts;
      try (Stream<Path> s = Files.list(data)) {
        parts = s.sorted().toList();
      }
      int i = 0;
      for (Path p : parts) {
        String name = p.getFileName().toString();
        if (!name.endsWith(".parquet") || name.startsWith(".") || name.startsWith("_")) {
          Files.delete(p); // _SUCCESS and .crc files are not part of the dataset
          continue;
        }
        // Stable names: Spark's carry a random UUID, which would change the manifest on re-export.
        String stable = String.format(java.util.Locale.ROOT, "part-%05d.parquet", i++);
        Files.move(p, data.resolve(stable));
        files.add(
            DatasetManifest.FileEntry.describe(
                dir, "data/" + stable, rowsByFile.getOrDefault(name, 0L)));
      }
      return files;
    } catch (IOException e) {
      throw VerificationErrors.unwritable(data, e);
    }
  }

  /**
   * Copies evaluate-synthetic's {@code fidelity.json} of {@code table} (the per-column
   * distributions, real against synthetic) into {@code dir} as {@link
   * SyntheticReport#FIDELITY_PATH} when {@code certificate} records that evaluation: one of the
   * same number of synthetic rows, the test the certificate's summary passed. Returns its entry, or
   * none when there is nothing of that evaluation to copy (then the dataset carries no plots, and
   * says so on {@code progress}).
   */
  static List<DatasetManifest.FileEntry> writeFidelity(
      TableCatalog catalog,
      String table,
      Certificate certificate,
      Path dir,
      java.io.PrintStream progress) {
    if (certificate == null || certificate.synthetic() == null) {
      return List.of();
    }
    Path source =
        localRoot(catalog)
            .resolve(table)
            .resolve("_report")
            .resolve(SyntheticReport.FIDELITY_FILE_NAME);
    if (!Files.isRegularFile(source)) {
      progress.println(
          "export: no "
              + source
              + " (written by evaluate-synthetic since it carries plots); the dataset carries no"
              + " fidelity plots");
      return List.of();
    }
    try {
      long rows =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(source.toFile())
              .path("synthetic_rows")
              .asLong(-1);
      if (rows != certificate.synthetic().syntheticRows()) {
        progress.println(
            "export: "
                + source
                + " describes "
                + rows
                + " synthetic rows, the certified evaluation "
                + certificate.synthetic().syntheticRows()
                + "; the dataset carries no fidelity plots (run evaluate-synthetic again)");
        return List.of();
      }
      Path target = dir.resolve(SyntheticReport.FIDELITY_PATH);
      Files.createDirectories(target.getParent());
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw VerificationErrors.unwritable(dir.resolve(SyntheticReport.FIDELITY_PATH), e);
    }
    return List.of(DatasetManifest.FileEntry.describe(dir, SyntheticReport.FIDELITY_PATH, 0));
  }

  /**
   * The reused export's manifest, signed again with {@code certificate} when its own records other
   * check results (the checks or thresholds changed since it was made); the data files and their
   * Merkle root stay as they are.
   */
  private static DatasetManifest recertified(
      Path dir,
      DatasetManifest m,
      Certificate certificate,
      RSAPrivateCrtKey key,
      java.io.PrintStream progress) {
    if (certificate == null || certificate.sameResults(m.certificate())) {
      return m;
    }
    DatasetManifest signed = m.withCertificate(certificate).sign(key);
    signed.writeTo(dir);
    progress.println(
        "certified the export "
            + dir
            + " anew: "
            + (m.certificate() == null
                ? "it had no certificate"
                : "its checks or their results changed"));
    return signed;
  }

  private static void deleteQuality(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve(QualityReport.FILE_NAME));
    } catch (IOException e) {
      throw VerificationErrors.unwritable(dir.resolve(QualityReport.FILE_NAME), e);
    }
  }

  /**
   * Writes the dataset card (croissant.json and README.md) of the Parquet files {@code parquet}
   * into {@code dir}; returns their entries, so the manifest made next covers them.
   */
  private static List<DatasetManifest.FileEntry> writeCard(
      Path dir,
      CardInfo info,
      String schema,
      List<DatasetManifest.FileEntry> parquet,
      Map<String, Object> quality) {
    CroissantCard.writeTo(dir, CroissantCard.build(info, schema, parquet));
    Map<String, Long> nulls = new LinkedHashMap<>();
    if (quality.get("null_counts") instanceof Map<?, ?> counts) {
      counts.forEach((k, v) -> nulls.put(String.valueOf(k), ((Number) v).longValue()));
    }
    DatasetCardReadme.writeTo(dir, DatasetCardReadme.render(info, schema, parquet, nulls));
    return List.of(
        DatasetManifest.FileEntry.describe(dir, CroissantCard.FILE_NAME, 0),
        DatasetManifest.FileEntry.describe(dir, DatasetCardReadme.FILE_NAME, 0));
  }

  /** Rows of each Parquet file in {@code data}, from the files' footers (no Spark job). */
  private static Map<String, Long> rowsPerFile(SparkSession spark, Path data) throws IOException {
    Map<String, Long> rows = new HashMap<>();
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    try (Stream<Path> s = Files.list(data)) {
      for (Path p : s.filter(x -> x.getFileName().toString().endsWith(".parquet")).toList()) {
        try (org.apache.parquet.hadoop.ParquetFileReader r =
            org.apache.parquet.hadoop.ParquetFileReader.open(
                org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(p.toUri()), conf))) {
          rows.put(p.getFileName().toString(), r.getRecordCount());
        }
      }
    }
    return rows;
  }

  /** Null counts per column: a cheap summary a buyer can hold against the files. */
  private static Map<String, Object> quality(Dataset<Row> df) {
    String[] columns = df.columns();
    Map<String, Object> q = new LinkedHashMap<>();
    if (columns.length == 0) {
      return q;
    }
    Column[] aggs = new Column[columns.length];
    for (int i = 0; i < columns.length; i++) {
      aggs[i] = sum(when(Columns.col(columns[i]).isNull(), 1L).otherwise(0L));
    }
    Row r = df.agg(aggs[0], java.util.Arrays.copyOfRange(aggs, 1, aggs.length)).first();
    Map<String, Long> nulls = new LinkedHashMap<>();
    for (int i = 0; i < columns.length; i++) {
      nulls.put(columns[i], r.isNullAt(i) ? 0L : r.getLong(i));
    }
    q.put("null_counts", nulls);
    return q;
  }

  /**
   * {@code df} without Delta's column-mapping field metadata (ids and physical names of a table
   * whose column names need mapping): the Parquet files and the manifest's schema carry the
   * columns' real names only, as a buyer's reader expects.
   */
  static Dataset<Row> withoutColumnMapping(Dataset<Row> df) {
    Column[] cols = new Column[df.schema().size()];
    for (int i = 0; i < cols.length; i++) {
      StructField f = df.schema().fields()[i];
      MetadataBuilder m = new MetadataBuilder().withMetadata(f.metadata());
      for (String key : List.of(COLUMN_MAPPING_ID, COLUMN_MAPPING_PHYSICAL_NAME)) {
        m.remove(key);
      }
      cols[i] = Columns.col(f.name()).as(f.name(), m.build());
    }
    return df.select(cols);
  }

  static Path localRoot(TableCatalog catalog) {
    String root = catalog.root();
    if (root.startsWith("file:")) {
      return Paths.get(URI.create(root));
    }
    if (root.contains("://")) {
      throw JobErrors.publishNeedsLocalWarehouse(root);
    }
    return Paths.get(root);
  }

  /** Deletes {@code p} and everything under it; nothing when it does not exist. */
  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
