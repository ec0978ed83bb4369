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
import org.synthweave.core.run.CommitLineage;
import org.synthweave.core.spark.Columns;
import org.synthweave.synthesis.model.ModelFiles;
import org.synthweave.verification.Certificate;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.synthetic.SyntheticReport;

/**
 * Builds the {@link Certificate} publish puts into a manifest: the gate's check results and the
 * lineage of the exported table version, read from what the stages leave behind. Synthesis and
 * augmentation record their runs in the rows ({@code generator} and {@code seed}; {@code aug_seed}
 * and {@code aug_ops}) and the model folders, and the upstream table versions they read in the
 * commit that added the rows ({@link CommitLineage} as Delta {@code userMetadata}): every commit up
 * to the exported version that added rows gives its recorded sources ({@code basis = recorded}). A
 * commit without them (written before stages recorded it) falls back to the upstream version that
 * was current when it was committed ({@code basis = latest-at-commit}).
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
    // The upstream tables whose version is inferred for a commit that records none.
    List<Inferred> inferred = new ArrayList<>();
    if (columns.containsAll(List.of("generator", "seed", "origin"))) {
      String dataset =
          name.endsWith(SYNTHETIC_SUFFIX)
              ? name.substring(0, name.length() - SYNTHETIC_SUFFIX.length())
              : name;
      inferred.add(new Inferred(ROLE_REAL, TableCatalog.silver(dataset)));
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
        inferred.add(new Inferred(ROLE_SOURCE, source));
      }
      augment = augmentRuns(df);
    }
    tables.addAll(upstreams(spark, catalog, table, version, inferred));
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

  static final String ROLE_REAL = "real";
  static final String ROLE_SOURCE = "source";

  /** An upstream table known from the table's name or configuration, in {@code role}. */
  private record Inferred(String role, String table) {}

  /** A commit of the exported table: its version, time, whether it added rows, its lineage. */
  private record Commit(
      long version, Timestamp at, boolean addsRows, boolean replaces, String userMetadata) {}

  /**
   * The upstream tables of {@code table} up to {@code version}: for every commit since the table's
   * rows were last replaced that added rows, the sources it recorded, else each {@code inferred}
   * table at its version current at that commit. A table no commit added rows to (created empty)
   * gives the {@code inferred} tables as of {@code version}'s commit.
   */
  private static List<Certificate.Upstream> upstreams(
      SparkSession spark,
      TableCatalog catalog,
      String table,
      long version,
      List<Inferred> inferred) {
    List<Commit> commits = commits(spark, catalog.path(table), version);
    int from = 0;
    for (int i = 0; i < commits.size(); i++) {
      if (commits.get(i).replaces()) {
        from = i;
      }
    }
    List<Certificate.Upstream> out = new ArrayList<>();
    for (Commit c : commits.subList(from, commits.size())) {
      if (!c.addsRows()) {
        continue;
      }
      CommitLineage lineage = CommitLineage.parse(c.userMetadata()).orElse(null);
      if (lineage != null && !lineage.sources().isEmpty()) {
        String role = lineage.stage().equals("synthesize") ? ROLE_REAL : ROLE_SOURCE;
        for (CommitLineage.Source s : lineage.sources()) {
          out.add(
              new Certificate.Upstream(
                  role,
                  s.table(),
                  s.version(),
                  Certificate.Upstream.RECORDED,
                  c.version(),
                  lineage.runId()));
        }
      } else {
        for (Inferred i : inferred) {
          out.add(latestAt(spark, catalog, i, c.at(), c.version()));
        }
      }
    }
    if (out.isEmpty() && !commits.isEmpty()) {
      Commit last = commits.get(commits.size() - 1);
      for (Inferred i : inferred) {
        out.add(latestAt(spark, catalog, i, last.at(), null));
      }
    }
    return out;
  }

  /** The commits of the Delta table at {@code path} up to {@code version}, oldest first. */
  private static List<Commit> commits(SparkSession spark, String path, long version) {
    List<Commit> out = new ArrayList<>();
    for (Row r :
        DeltaTable.forPath(spark, path)
            .history()
            .where(Columns.col("version").leq(version))
            .orderBy(Columns.col("version"))
            .collectAsList()) {
      String operation = r.getAs("operation");
      Map<String, String> params = map(r, "operationParameters");
      Map<String, String> metrics = map(r, "operationMetrics");
      out.add(
          new Commit(
              r.<Long>getAs("version"),
              r.getAs("timestamp"),
              addsRows(operation, metrics),
              replaces(operation, params),
              r.getAs("userMetadata")));
    }
    return out;
  }

  private static Map<String, String> map(Row r, String field) {
    int i = r.fieldIndex(field);
    return r.isNullAt(i) ? Map.of() : r.getJavaMap(i);
  }

  /** Whether a commit inserted rows, by its metrics (by its kind where it has none). */
  private static boolean addsRows(String operation, Map<String, String> metrics) {
    String inserted = metrics.get("numTargetRowsInserted"); // MERGE
    if (inserted == null) {
      inserted = metrics.get("numOutputRows"); // WRITE, CREATE TABLE AS SELECT, ...
    }
    if (inserted != null) {
      try {
        return Long.parseLong(inserted) > 0;
      } catch (NumberFormatException e) {
        return true;
      }
    }
    return metrics.isEmpty()
        && (operation.equals("WRITE")
            || operation.equals("MERGE")
            || operation.equals("STREAMING UPDATE")
            || operation.endsWith("TABLE AS SELECT"));
  }

  /** Whether a commit replaced every row of the table (an overwrite or a replace). */
  private static boolean replaces(String operation, Map<String, String> params) {
    return "Overwrite".equals(params.get("mode"))
        || operation.startsWith("REPLACE")
        || operation.startsWith("CREATE OR REPLACE");
  }

  /**
   * {@code upstream} at the version that was its latest at {@code committed}, the time of {@code
   * commit}; null version when it did not exist then (or does not now).
   */
  private static Certificate.Upstream latestAt(
      SparkSession spark,
      TableCatalog catalog,
      Inferred upstream,
      Timestamp committed,
      Long commit) {
    String path = catalog.path(upstream.table());
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return new Certificate.Upstream(
          upstream.role(), upstream.table(), null, "missing", commit, null);
    }
    List<Row> before =
        DeltaTable.forPath(spark, path)
            .history()
            .where(Columns.col("timestamp").leq(committed))
            .orderBy(Columns.col("version").desc())
            .limit(1)
            .collectAsList();
    return before.isEmpty()
        ? new Certificate.Upstream(
            upstream.role(), upstream.table(), null, "none-before-commit", commit, null)
        : new Certificate.Upstream(
            upstream.role(),
            upstream.table(),
            before.get(0).<Long>getAs("version"),
            Certificate.Upstream.LATEST_AT_COMMIT,
            commit,
            null);
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
