package org.synthweave.vectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.spark.SparkQuarantine;

/**
 * The index stage: keeps one index per model in {@code index/} in step with {@code
 * gold/embeddings}. Text passages of a model go to {@code index/text-<model>} (key {@code <document
 * id>#<passage>}, with the document's url, title, language and a snippet of the passage when the
 * source table has them); row vectors of a table go to {@code index/rows-<table>}. Only the newest
 * model version of each is indexed; a new version rebuilds the index (old and new vectors are not
 * comparable).
 */
public final class SparkEmbeddingIndex {
  public static final String STAGE = "index";
  static final int SNIPPET_CHARS = 300;
  static final List<String> TEXT_FILTERABLE =
      List.of("kind", "source_table", "model", "doc_id", "language");
  static final List<String> TEXT_STORED =
      List.of("url", "title", "passage_no", "char_start", "char_end", "snippet");
  static final List<String> ROW_FILTERABLE = List.of("kind", "source_table", "model");

  private final SparkSession spark;
  private final TableCatalog catalog;
  private final IndexConfig config;

  public SparkEmbeddingIndex(SparkSession spark, TableCatalog catalog, IndexConfig config) {
    this.spark = spark;
    this.catalog = catalog;
    this.config = config;
  }

  /** Index name for a text model's passages. */
  public static String textIndexName(String model) {
    return "text-" + model.toLowerCase(Locale.ROOT);
  }

  /** Index name for a table's row vectors. */
  public static String rowIndexName(String table) {
    return "rows-" + table.replace('/', '-');
  }

  /** Where the index {@code name} lives. */
  public String indexPath(String name) {
    return catalog.path("index/" + name);
  }

  /**
   * Updates every index (or only {@code only}, by name) to the current version of gold/embeddings.
   *
   * @return the updates, by index name
   */
  public Map<String, SparkVectorIndex.Update> update(
      String only, boolean rebuild, boolean compact, int rawMaxBytes, RunSummary summary) {
    String goldPath = catalog.path(TableCatalog.GOLD_EMBEDDINGS);
    if (!DeltaTable.isDeltaTable(spark, goldPath)) {
      throw VectorStoreErrors.noEmbeddings(TableCatalog.GOLD_EMBEDDINGS);
    }
    long version = DeltaTable.forPath(spark, goldPath).history(1).first().getAs("version");
    Dataset<Row> gold = spark.read().format("delta").option("versionAsOf", version).load(goldPath);
    // One small row per (kind, model, model_version, source_table): which indexes exist.
    List<Row> groups =
        gold.groupBy("kind", "model", "model_version", "source_table")
            .agg(max("embedded_at").as("latest"), first("dims").as("dims"), count("*").as("n"))
            .collectAsList();
    Map<String, Target> targets = new LinkedHashMap<>();
    for (Row g : groups) {
      String kind = g.getAs("kind");
      String model = g.getAs("model");
      String table = g.getAs("source_table");
      String name = "text".equals(kind) ? textIndexName(model) : rowIndexName(table);
      Target t =
          new Target(
              name,
              kind,
              model,
              g.getAs("model_version"),
              g.getAs("dims"),
              g.getAs("latest"),
              new ArrayList<>(List.of(table)));
      Target prior = targets.get(name);
      if (prior == null || t.latest.after(prior.latest)) {
        targets.put(name, t);
      } else if (prior.modelVersion.equals(t.modelVersion)) {
        prior.tables.add(table);
      }
    }
    if (only != null && !targets.containsKey(only)) {
      throw VectorStoreErrors.unknownIndex(only, targets.keySet());
    }
    if (targets.isEmpty()) {
      throw VectorStoreErrors.noEmbeddings(TableCatalog.GOLD_EMBEDDINGS);
    }
    Map<String, SparkVectorIndex.Update> done = new LinkedHashMap<>();
    SparkVectorIndex index = new SparkVectorIndex(spark);
    int cores = spark.sparkContext().defaultParallelism();
    SparkVectorIndex.Options o = config.shards();
    SparkVectorIndex.Options options =
        new SparkVectorIndex.Options(
            o.maxShardVectors(),
            cores,
            o.compactBelow(),
            o.compactSmallShards(),
            o.compactDeletedRatio());
    for (Target t : targets.values()) {
      if (only != null && !only.equals(t.name)) {
        continue;
      }
      boolean text = "text".equals(t.kind);
      Dataset<Row> vectors =
          gold.where(
              col("kind")
                  .equalTo(t.kind)
                  .and(col("model").equalTo(t.model))
                  .and(col("model_version").equalTo(t.modelVersion))
                  .and(col("source_table").isin(t.tables.toArray())));
      Dataset<Row> wanted = text ? textRows(vectors, t.tables) : rowRows(vectors);
      HnswParams params = config.params(text ? config.textSimilarity() : config.rowSimilarity());
      IndexDescriptor template =
          new IndexDescriptor(
              t.name,
              t.dims,
              params,
              t.kind,
              t.model,
              t.modelVersion,
              TableCatalog.GOLD_EMBEDDINGS,
              version,
              text ? TEXT_FILTERABLE : ROW_FILTERABLE,
              text ? TEXT_STORED : List.of(),
              0,
              List.of(),
              null);
      SparkVectorIndex.Update u =
          index.update(
              wanted,
              indexPath(t.name),
              template,
              options,
              rebuild,
              compact,
              rejected ->
                  SparkQuarantine.write(
                      spark,
                      catalog,
                      STAGE,
                      rejected.select(
                          lit(TableCatalog.GOLD_EMBEDDINGS).as("source_file"),
                          lit(0L).as("position"),
                          col(SparkVectorIndex.KEY).as("record_id"),
                          col("reason"),
                          lit("vector").as("field"),
                          col("detail"),
                          col(SparkVectorIndex.KEY).as("raw_text")),
                      rawMaxBytes,
                      summary.runId()));
      summary.add(
          new SourceCounts(
              STAGE + ":" + t.name,
              TableCatalog.GOLD_EMBEDDINGS + "@v" + version,
              u.in(),
              u.added(),
              u.quarantined(),
              u.unchanged() + u.duplicateKeys(),
              0));
      summary.note(
          "index " + t.name,
          String.format(
              Locale.ROOT,
              "%s@%s, %d-d %s: +%d vectors, -%d removed, %d unchanged%s; %d shards, %d live"
                  + " vectors, %d deleted; %s%s",
              t.model,
              t.modelVersion,
              t.dims,
              params.similarity().name().toLowerCase(Locale.ROOT),
              u.added(),
              u.removed(),
              u.unchanged(),
              u.rebuiltBecause() == null ? "" : " (rebuilt: " + u.rebuiltBecause() + ")",
              u.descriptor().shards().size(),
              u.descriptor().vectors(),
              u.descriptor().deleted(),
              u.phases(),
              u.shardsCompacted() == 0
                  ? ""
                  : ", compacted " + u.shardsCompacted() + " shards in " + u.compactMs() + " ms"));
      done.put(t.name, u);
    }
    return done;
  }

  private Dataset<Row> textRows(Dataset<Row> vectors, List<String> tables) {
    Dataset<Row> docs = null;
    for (String table : tables) {
      String path = catalog.path(table);
      if (!DeltaTable.isDeltaTable(spark, path)) {
        continue;
      }
      Dataset<Row> d = spark.read().format("delta").load(path);
      List<String> cols = Arrays.asList(d.columns());
      if (!cols.contains("id") || !cols.contains("text")) {
        continue;
      }
      Dataset<Row> part =
          d.select(
              col("id").as("doc_id"),
              optional(cols, "url"),
              optional(cols, "title"),
              optional(cols, "language"),
              col("text"),
              lit(table).as("doc_table"));
      docs = docs == null ? part : docs.unionByName(part);
    }
    Dataset<Row> v = vectors.withColumnRenamed("id", "doc_id");
    Column snippet = lit(null).cast("string");
    if (docs != null) {
      v =
          v.join(
              docs,
              v.col("doc_id")
                  .equalTo(docs.col("doc_id"))
                  .and(v.col("source_table").equalTo(docs.col("doc_table"))),
              "left");
      v = v.drop(docs.col("doc_id"));
      // Java char offsets; Spark's substring counts characters from 1.
      Column start = greatest(col("char_start"), lit(0));
      snippet =
          org.apache.spark.sql.functions.substring(
              col("text"), start.plus(1), least(col("char_end").minus(start), lit(SNIPPET_CHARS)));
    } else {
      v =
          v.withColumn("url", lit(null).cast("string"))
              .withColumn("title", lit(null).cast("string"))
              .withColumn("language", lit(null).cast("string"));
    }
    return v.select(
        concat(col("doc_id"), lit("#"), col("passage_no").cast("string")).as(SparkVectorIndex.KEY),
        col("vector"),
        col("kind"),
        col("source_table"),
        col("model"),
        col("doc_id"),
        col("language"),
        col("url"),
        col("title"),
        col("passage_no").cast("string").as("passage_no"),
        col("char_start").cast("string").as("char_start"),
        col("char_end").cast("string").as("char_end"),
        snippet.as("snippet"));
  }

  private static Dataset<Row> rowRows(Dataset<Row> vectors) {
    return vectors.select(
        col("id").as(SparkVectorIndex.KEY),
        col("vector"),
        col("kind"),
        col("source_table"),
        col("model"));
  }

  private static Column optional(List<String> cols, String name) {
    return cols.contains(name)
        ? col(name).cast("string").as(name)
        : lit(null).cast("string").as(name);
  }

  private static final class Target {
    final String name;
    final String kind;
    final String model;
    final String modelVersion;
    final int dims;
    final java.sql.Timestamp latest;
    final List<String> tables;

    Target(
        String name,
        String kind,
        String model,
        String modelVersion,
        int dims,
        java.sql.Timestamp latest,
        List<String> tables) {
      this.name = name;
      this.kind = kind;
      this.model = model;
      this.modelVersion = modelVersion;
      this.dims = dims;
      this.latest = latest;
      this.tables = tables;
    }
  }
}
