package org.synthweave.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.synthweave.augmentation.AugmentationConfig;
import org.synthweave.augmentation.spark.SparkAugmentation;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.Versions;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.Settings;
import org.synthweave.core.spark.Columns;
import org.synthweave.synthesis.model.ModelFiles;
import org.synthweave.verification.Certificate;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.synthetic.SyntheticReport;

/**
 * Builds the {@link Certificate} publish puts into a manifest: the gate's check results and the
 * lineage of the exported table version, read from what the stages leave behind. Synthesis and
 * augmentation record their lineage in the rows ({@code generator} and {@code seed}; {@code
 * aug_seed} and {@code aug_ops}) and the model folders, not in Delta commit metadata, so the
 * upstream table's version is the one that was current when the exported version was committed
 * ({@code basis = latest-at-commit}).
 */
final class DatasetCertification {
  static final String SYNTHETIC_SUFFIX = "_synthetic";
  static final String AUGMENTED_SUFFIX = "_augmented";

  private DatasetCertification() {}

  /** The unsigned certificate of {@code table} at {@code version} after the gate's outcomes. */
  static Certificate certificate(
      SparkSession spark,
      TableCatalog catalog,
      Settings settings,
      String table,
      long version,
      List<DatasetChecking.Outcome> outcomes,
      boolean allowFailedChecks,
      PrintStream err) {
    List<Certificate.CheckSet> sets = new ArrayList<>();
    for (DatasetChecking.Outcome o : outcomes) {
      sets.add(
          Certificate.CheckSet.of(
              o.checks().name(),
              o.checks().table(),
              o.version(),
              o.at().toString(),
              o.checks().checks(),
              o.results()));
    }
    DatasetChecking.resolveVersion(spark, catalog, table, version);
    Dataset<Row> df =
        spark.read().format("delta").option("versionAsOf", version).load(catalog.path(table));
    List<Certificate.Upstream> tables = new ArrayList<>();
    tables.add(new Certificate.Upstream("exported", table, version, "exported"));
    List<Certificate.Model> models = List.of();
    List<Certificate.AugmentRun> augment = List.of();
    Certificate.SyntheticSummary synthetic = null;
    List<String> columns = List.of(df.columns());
    String name = table.substring(table.indexOf('/') + 1);
    if (columns.containsAll(List.of("generator", "seed", "origin"))) {
      String dataset =
          name.endsWith(SYNTHETIC_SUFFIX)
              ? name.substring(0, name.length() - SYNTHETIC_SUFFIX.length())
              : name;
      String real = TableCatalog.silver(dataset);
      tables.add(upstream(spark, catalog, "real", real, table, version));
      models = models(catalog, df, dataset);
      synthetic = syntheticSummary(catalog, table, df.count(), err);
    }
    if (columns.containsAll(List.of(SparkAugmentation.SEED, SparkAugmentation.OPS))) {
      String dataset =
          name.endsWith(AUGMENTED_SUFFIX)
              ? name.substring(0, name.length() - AUGMENTED_SUFFIX.length())
              : name;
      String source = augmentSource(settings, dataset);
      if (source != null) {
        tables.add(upstream(spark, catalog, "source", source, table, version));
      }
      augment = augmentRuns(df);
    }
    Certificate.Lineage lineage =
        new Certificate.Lineage(
            tables,
            models,
            augment,
            settings.hash(),
            Versions.codeVersion(),
            Versions.gitCommit(),
            seeds(settings));
    return Certificate.of(sets, allowFailedChecks, synthetic, lineage);
  }

  /**
   * {@code upstream} at the version that was its latest when {@code table} version {@code version}
   * was committed; null version when it did not exist then (or does not now).
   */
  private static Certificate.Upstream upstream(
      SparkSession spark,
      TableCatalog catalog,
      String role,
      String upstream,
      String table,
      long version) {
    String path = catalog.path(upstream);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return new Certificate.Upstream(role, upstream, null, "missing");
    }
    Timestamp committed =
        DeltaTable.forPath(spark, catalog.path(table))
            .history()
            .where(Columns.col("version").equalTo(version))
            .first()
            .getAs("timestamp");
    List<Row> before =
        DeltaTable.forPath(spark, path)
            .history()
            .where(Columns.col("timestamp").leq(committed))
            .orderBy(Columns.col("version").desc())
            .limit(1)
            .collectAsList();
    return before.isEmpty()
        ? new Certificate.Upstream(role, upstream, null, "none-before-commit")
        : new Certificate.Upstream(
            role, upstream, before.get(0).<Long>getAs("version"), "latest-at-commit");
  }

  /** Each model of the {@code generator} column, its seeds and its files' SHA-256. */
  private static List<Certificate.Model> models(
      TableCatalog catalog, Dataset<Row> df, String dataset) {
    Map<String, List<Long>> seeds = new TreeMap<>();
    for (Row r :
        df.select(Columns.col("generator"), Columns.col("seed"))
            .distinct()
            .orderBy(Columns.col("generator"), Columns.col("seed"))
            .collectAsList()) {
      seeds.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getLong(1));
    }
    List<Certificate.Model> out = new ArrayList<>();
    for (Map.Entry<String, List<Long>> e : seeds.entrySet()) {
      String id = e.getKey();
      Path dir = modelDir(catalog, dataset, id);
      Map<String, String> files = new TreeMap<>();
      String note = modelFiles(dir, id, files);
      out.add(new Certificate.Model(id, e.getValue(), files, note));
    }
    return out;
  }

  /**
   * The folder that holds model {@code modelId} (e.g. {@code copula-3f2a...}) of {@code dataset}:
   * {@code <warehouse>/models/synthesis/<dataset>/<kind>}, where synthesize saves it.
   */
  static Path modelDir(TableCatalog catalog, String dataset, String modelId) {
    int dash = modelId.lastIndexOf('-');
    return DatasetExport.localRoot(catalog)
        .resolve("models/synthesis")
        .resolve(dataset)
        .resolve(dash < 0 ? modelId : modelId.substring(0, dash));
  }

  /** Fills {@code files} with the SHA-256 of each file of model {@code id}; else says why not. */
  private static String modelFiles(Path dir, String id, Map<String, String> files) {
    Path json = dir.resolve(ModelFiles.MODEL_JSON);
    if (!Files.isRegularFile(json)) {
      return "no model folder " + dir + " on the publishing machine";
    }
    try {
      JsonNode meta = new ObjectMapper().readTree(json.toFile());
      String held = meta.path("kind").asText() + "-" + meta.path("version").asText();
      if (!held.equals(id)) {
        return "the model folder now holds " + held + " (retrained since these rows were sampled)";
      }
      for (String f : List.of(ModelFiles.MODEL_JSON, ModelFiles.WEIGHTS)) {
        Path p = dir.resolve(f);
        if (Files.isRegularFile(p)) {
          files.put(f, DatasetManifest.FileEntry.describe(dir, f, 0).sha256());
        }
      }
      return null;
    } catch (IOException e) {
      return "cannot read " + json + ": " + e.getMessage();
    }
  }

  /**
   * The headline figures of evaluate-synthetic's report.json beside the table, when it evaluated as
   * many rows as the exported version holds (else it described another version of the table).
   */
  private static Certificate.SyntheticSummary syntheticSummary(
      TableCatalog catalog, String table, long rows, PrintStream err) {
    Path file = DatasetExport.localRoot(catalog).resolve(table).resolve("_report/report.json");
    if (!Files.isRegularFile(file)) {
      err.println("certificate: no evaluate-synthetic report at " + file + "; none recorded");
      return null;
    }
    try {
      JsonNode r = new ObjectMapper().readTree(file.toFile());
      long evaluated = r.path("synthetic_rows").asLong(-1);
      if (evaluated != rows) {
        err.println(
            "certificate: "
                + file
                + " evaluated "
                + evaluated
                + " synthetic rows, the exported version holds "
                + rows
                + "; not recorded (run evaluate-synthetic again)");
        return null;
      }
      Map<String, Object> figures = new LinkedHashMap<>();
      r.fields()
          .forEachRemaining(
              e -> {
                JsonNode v = e.getValue();
                if (v.isNumber()) {
                  figures.put(e.getKey(), v.isIntegralNumber() ? v.asLong() : v.asDouble());
                } else if (v.isTextual()) {
                  figures.put(e.getKey(), v.asText());
                } else if (v.isNull()) {
                  figures.put(e.getKey(), null);
                }
              });
      figures.remove("metrics_version");
      String version =
          r.hasNonNull("metrics_version")
              ? r.get("metrics_version").asText()
              : "unrecorded (report older than " + SyntheticReport.METRICS_VERSION + ")";
      return new Certificate.SyntheticSummary(
          version, table + "/_report/report.json", evaluated, figures);
    } catch (IOException e) {
      err.println("certificate: cannot read " + file + ": " + e.getMessage() + "; none recorded");
      return null;
    }
  }

  private static String augmentSource(Settings settings, String dataset) {
    try {
      return AugmentationConfig.from(settings).spec(dataset).source();
    } catch (SynthweaveException e) {
      return null; // not declared in this configuration: the rows still record seed and ops
    }
  }

  private static List<Certificate.AugmentRun> augmentRuns(Dataset<Row> df) {
    List<Certificate.AugmentRun> out = new ArrayList<>();
    for (Row r :
        df.groupBy(Columns.col(SparkAugmentation.SEED), Columns.col(SparkAugmentation.OPS))
            .count()
            .orderBy(Columns.col(SparkAugmentation.SEED), Columns.col(SparkAugmentation.OPS))
            .collectAsList()) {
      out.add(
          new Certificate.AugmentRun(
              ((Number) r.get(0)).longValue(), String.valueOf(r.get(1)), r.getLong(2)));
    }
    return out;
  }

  /** The explicitly configured seeds ({@code *.seed} keys with a whole-number value). */
  private static Map<String, Long> seeds(Settings settings) {
    Map<String, Long> out = new TreeMap<>();
    settings
        .explicitValues()
        .forEach(
            (k, v) -> {
              if (k.equals("seed") || k.endsWith(".seed")) {
                try {
                  out.put(k, Long.parseLong(String.valueOf(v).trim()));
                } catch (NumberFormatException e) {
                  // not a seed value; the configuration hash still covers it
                }
              }
            });
    return out;
  }
}
