package org.synthweave.embedding.spark;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.unix_micros;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.FeatureHasher;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.synthweave.core.ContentIds;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.run.CommitLineage;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.spark.Columns;
import org.synthweave.core.spark.DeltaReads;
import org.synthweave.core.spark.SparkPhases;
import org.synthweave.embedding.EmbeddingConfig;
import org.synthweave.embedding.EmbeddingErrors;

/**
 * Row feature vectors for tabular and telemetry tables, so rows are searchable by similar rows.
 *
 * <p>A Spark ML pipeline is fitted once per table and saved under {@link
 * TableCatalog#featureModelPath}: numbers, booleans and timestamps (as epoch seconds) are
 * median-imputed and standardized; strings with at most {@code embed.rows.max-one-hot} distinct
 * values are one-hot encoded (unseen values and nulls get their own slot), others hashed into
 * {@code embed.rows.hash-buckets} buckets. Ids, provenance columns ({@code source_file}, {@code
 * run_id}, ...), {@code _}-prefixed columns, binary and nested columns are left out. Later runs
 * reuse the saved pipeline, so vectors of old and new rows stay comparable; {@code --refit} fits
 * anew (a new model version).
 *
 * <p>A row's id is its {@code _row_id} (ingest-table), {@code id}, or {@code reading_hash}
 * (telemetry), whichever the table has first, else the SHA-256 of the row as JSON.
 */
public final class SparkRowFeatures {
  public static final String STAGE = "embed";
  public static final String KIND = "row";
  public static final String MODEL = "row-features";
  static final String DESCRIPTOR = "synthweave-features.json";

  private static final String NUMERIC_INPUT = "__fn";
  private static final String ONE_HOT_INPUT = "__fs";
  private static final String HASHED_INPUT = "__fh";
  private static final List<String> ID_COLUMNS = List.of("_row_id", "id", "reading_hash");
  private static final Set<String> PROVENANCE =
      Set.of(
          "source_file",
          "offset",
          "position",
          "record_id",
          "record_key",
          "ingested_at",
          "run_id",
          "signature",
          "reading_hash",
          "reading_date",
          "embedded_at");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;
  private final TableCatalog catalog;
  private final EmbeddingConfig config;

  public SparkRowFeatures(SparkSession spark, TableCatalog catalog, EmbeddingConfig config) {
    this.spark = spark;
    this.catalog = catalog;
    this.config = config;
  }

  /** The fitted pipeline of a table and what it was fitted on. */
  public record Fitted(PipelineModel model, String version, int dims, List<String> columns) {}

  /** Embeds the rows of {@code table} not yet embedded with its feature pipeline. */
  public Fitted embed(String table, boolean refit, RunSummary summary) {
    String path = catalog.path(table);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      throw EmbeddingErrors.noSourceTable(table, path);
    }
    SparkPhases phases = new SparkPhases(spark, "embed rows " + table);
    phases.phase("fit or load features");
    DeltaReads.Pinned read = DeltaReads.latest(spark, path);
    Dataset<Row> source = read.rows();
    String idColumn =
        ID_COLUMNS.stream().filter(List.of(source.columns())::contains).findFirst().orElse(null);
    Column id =
        idColumn != null
            ? Columns.col(idColumn).cast("string")
            : sha2(to_json(struct(col("*"))), 256);
    Dataset<Row> rows = source.withColumn("__id", id);
    Fitted fitted = refit ? null : load(table);
    if (fitted == null) {
      fitted = fit(table, rows, idColumn, DeltaTable.forPath(spark, path).history(1));
    }

    phases.phase("select new rows");
    long in = rows.count();
    String goldPath = catalog.path(TableCatalog.GOLD_EMBEDDINGS);
    Dataset<Row> fresh = rows;
    if (DeltaTable.isDeltaTable(spark, goldPath)) {
      Dataset<Row> done =
          GoldEmbeddings.embeddedIds(spark, goldPath, KIND, table, MODEL, fitted.version());
      fresh = rows.join(done, rows.col("__id").equalTo(done.col("__done")), "left_anti");
    }

    phases.phase("transform and write gold/embeddings");
    Dataset<Row> vectors =
        fitted
            .model()
            .transform(featureInputs(fitted.model(), fresh, fitted.columns()))
            .select(
                col("__id").as("id"),
                lit(KIND).as("kind"),
                lit(table).as("source_table"),
                lit(MODEL).as("model"),
                lit(fitted.version()).as("model_version"),
                lit(0).as("passage_no"),
                lit(null).cast("int").as("char_start"),
                lit(null).cast("int").as("char_end"),
                lit(null).cast("int").as("tokens"),
                lit(fitted.dims()).as("dims"),
                functions.vector_to_array(col("__features"), "float32").as("vector"),
                current_timestamp().as("embedded_at"),
                lit(summary.runId()).as("run_id"))
            .dropDuplicates("id")
            .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    long out;
    try {
      out = vectors.count();
      GoldEmbeddings.append(
          spark,
          vectors,
          goldPath,
          out,
          CommitLineage.of(STAGE, table, read.version(), summary.runId()));
    } finally {
      vectors.unpersist();
    }
    phases.end();
    // Identical rows share an id (their content hash) and so one vector: count them as duplicates.
    summary.add(new SourceCounts(STAGE + ":" + KIND, table, in, out, 0, in - out, 0));
    summary.note(
        "embed rows " + table,
        fitted.dims()
            + "-d features "
            + fitted.version()
            + " from "
            + String.join(", ", fitted.columns())
            + "; "
            + phases.describe());
    return fitted;
  }

  private Fitted fit(String table, Dataset<Row> rows, String idColumn, Dataset<Row> history) {
    // Candidate columns: numeric ones (their type tells how to make a double of them), strings.
    Map<String, DataType> numeric = new LinkedHashMap<>();
    List<String> strings = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      String name = f.name();
      if (name.equals("__id")
          || name.equals(idColumn)
          || name.startsWith("_")
          || PROVENANCE.contains(name)
          || config.rowExcludeColumns().contains(name)) {
        continue;
      }
      DataType t = f.dataType();
      if (asDouble(Columns.col(name), t) != null) {
        numeric.put(name, t);
      } else if (t instanceof StringType) {
        strings.add(name);
      }
    }
    // One pass over the table: values per numeric column (imputation needs at least one; an
    // all-null column carries no information) and distinct values per string column.
    List<Column> stats = new ArrayList<>();
    numeric.keySet().forEach(n -> stats.add(count(Columns.col(n))));
    strings.forEach(n -> stats.add(approx_count_distinct(Columns.col(n))));
    List<String> usable = new ArrayList<>();
    List<String> oneHot = new ArrayList<>();
    List<String> hashed = new ArrayList<>();
    if (!stats.isEmpty()) {
      Row r = rows.agg(stats.get(0), stats.subList(1, stats.size()).toArray(Column[]::new)).first();
      int i = 0;
      for (String n : numeric.keySet()) {
        if (r.getLong(i++) > 0) {
          usable.add(n);
        }
      }
      for (String n : strings) {
        (r.getLong(i++) <= config.rowMaxOneHot() ? oneHot : hashed).add(n);
      }
    }
    if (usable.isEmpty() && oneHot.isEmpty() && hashed.isEmpty()) {
      throw EmbeddingErrors.noFeatureColumns(table, rows.columns());
    }

    List<String> described = new ArrayList<>();
    usable.forEach(n -> described.add(n + ":scaled"));
    oneHot.forEach(n -> described.add(n + ":one-hot"));
    hashed.forEach(n -> described.add(n + ":hashed"));
    // The pipeline sees positional names only (__fn0, __fs0, __fh0, made by featureInputs): Spark
    // ML's stages parse the column names they are given, and a table's names can be anything.
    List<PipelineStage> stages = new ArrayList<>();
    List<String> assembled = new ArrayList<>();
    if (!usable.isEmpty()) {
      String[] raw = positional(NUMERIC_INPUT, usable.size());
      String[] imputed = positional("__i", usable.size());
      stages.add(new Imputer().setStrategy("median").setInputCols(raw).setOutputCols(imputed));
      stages.add(new VectorAssembler().setInputCols(imputed).setOutputCol("__numeric"));
      stages.add(
          new StandardScaler()
              .setWithMean(true)
              .setWithStd(true)
              .setInputCol("__numeric")
              .setOutputCol("__scaled"));
      assembled.add("__scaled");
    }
    if (!oneHot.isEmpty()) {
      String[] in = positional(ONE_HOT_INPUT, oneHot.size());
      String[] idx = positional("__x", oneHot.size());
      String[] vec = positional("__o", oneHot.size());
      stages.add(
          new StringIndexer()
              .setInputCols(in)
              .setOutputCols(idx)
              .setHandleInvalid("keep")
              .setStringOrderType("alphabetAsc"));
      stages.add(
          new OneHotEncoder()
              .setInputCols(idx)
              .setOutputCols(vec)
              .setHandleInvalid("keep")
              .setDropLast(false));
      assembled.addAll(List.of(vec));
    }
    if (!hashed.isEmpty()) {
      stages.add(
          new FeatureHasher()
              .setInputCols(positional(HASHED_INPUT, hashed.size()))
              .setNumFeatures(config.rowHashBuckets())
              .setOutputCol("__hashed"));
      assembled.add("__hashed");
    }
    stages.add(
        new VectorAssembler()
            .setInputCols(assembled.toArray(String[]::new))
            .setOutputCol("__features"));
    Dataset<Row> inputs = featureInputs(null, rows, described);
    PipelineModel model =
        new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(inputs);
    Row probe = model.transform(inputs.limit(1)).select("__features").first();
    int dims = ((org.apache.spark.ml.linalg.Vector) probe.get(0)).size();
    long tableVersion = history.select("version").first().getLong(0);
    String version =
        ContentIds.sha256Hex(
                table + "|" + tableVersion + "|" + String.join(",", described) + "|" + dims)
            .substring(0, 12);
    save(table, model, version, dims, described, tableVersion);
    return new Fitted(model, version, dims, described);
  }

  /**
   * The pipeline's input columns, by position, from the described feature columns ({@code
   * name:scaled|one-hot|hashed}): {@code __id} and {@code __fn<i>} (a double), {@code __fs<i>},
   * {@code __fh<i>}. A pipeline saved before these (its first stage a SQLTransformer over the
   * table's own names) gets the rows as they are.
   */
  static Dataset<Row> featureInputs(
      PipelineModel model, Dataset<Row> rows, List<String> described) {
    if (model != null && model.stages().length > 0 && model.stages()[0] instanceof SQLTransformer) {
      return rows;
    }
    List<Column> cols = new ArrayList<>();
    cols.add(col("__id"));
    int numeric = 0;
    int oneHot = 0;
    int hashed = 0;
    for (String d : described) {
      int at = d.lastIndexOf(':');
      String name = d.substring(0, at);
      Column c = Columns.col(name);
      switch (d.substring(at + 1)) {
        case "scaled" ->
            cols.add(
                asDouble(c, rows.schema().apply(name).dataType()).as(NUMERIC_INPUT + numeric++));
        case "one-hot" -> cols.add(c.as(ONE_HOT_INPUT + oneHot++));
        case "hashed" -> cols.add(c.as(HASHED_INPUT + hashed++));
        default -> throw new IllegalStateException("unknown feature kind in " + d);
      }
    }
    return rows.select(cols.toArray(Column[]::new));
  }

  /** {@code c} (of type {@code t}) as a double, or null when {@code t} is not numeric-like. */
  private static Column asDouble(Column c, DataType t) {
    if (t instanceof NumericType || t instanceof BooleanType) {
      return c.cast("double");
    } else if (t instanceof TimestampType || t instanceof TimestampNTZType) {
      return unix_micros(c).divide(1e6).cast("double");
    } else if (t instanceof DateType) {
      return unix_date(c).cast("double");
    }
    return null;
  }

  private static String[] positional(String prefix, int n) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = prefix + i;
    }
    return out;
  }

  private void save(
      String table,
      PipelineModel model,
      String version,
      int dims,
      List<String> columns,
      long tableVersion) {
    String dir = catalog.featureModelPath(table);
    try {
      model.write().overwrite().save(dir + "/pipeline");
      ObjectNode d = JSON.createObjectNode();
      d.put("table", table);
      d.put("table_version", tableVersion);
      d.put("model_version", version);
      d.put("dims", dims);
      d.putPOJO("columns", columns);
      Path p = new Path(dir, DESCRIPTOR);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (FSDataOutputStream out = fs.create(p, true)) {
        out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(d));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the feature pipeline to " + dir, e);
    }
  }

  private Fitted load(String table) {
    String dir = catalog.featureModelPath(table);
    Path p = new Path(dir, DESCRIPTOR);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        return null;
      }
      JsonNode d;
      try (FSDataInputStream in = fs.open(p)) {
        d = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      List<String> columns = new ArrayList<>();
      d.get("columns").forEach(c -> columns.add(c.asText()));
      return new Fitted(
          PipelineModel.load(dir + "/pipeline"),
          d.get("model_version").asText(),
          d.get("dims").asInt(),
          columns);
    } catch (IOException e) {
      throw EmbeddingErrors.badFeatureModel(dir, e);
    }
  }
}
