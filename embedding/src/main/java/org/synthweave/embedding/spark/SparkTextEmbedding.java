package org.synthweave.embedding.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.delta.tables.DeltaTable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.run.CommitLineage;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.spark.DeltaReads;
import org.synthweave.core.spark.SparkPhases;
import org.synthweave.core.spark.SparkQuarantine;
import org.synthweave.embedding.EmbeddingConfig;
import org.synthweave.embedding.EmbeddingErrors;
import org.synthweave.embedding.text.DocumentEmbedder;
import org.synthweave.embedding.text.EncoderOptions;
import org.synthweave.embedding.text.TextEncoder;
import org.synthweave.embedding.text.TextEncoders;
import org.synthweave.embedding.text.TextModel;

/**
 * {@code synthweave embed} for text: the documents of {@code embed.text.table} (default {@code
 * silver/documents}) into {@code gold/embeddings}, one row per passage, with kind {@code text}.
 *
 * <p>Incremental: documents that already have vectors of this model and model version are left
 * alone (counted as duplicates), so a rerun computes nothing. Documents are spread over {@code
 * cores x embed.tasks-per-core} tasks; each executor loads the model once ({@link TextEncoders})
 * and every task streams its documents through a {@link DocumentEmbedder}. Unusable texts go to
 * {@code quarantine/embed} with the reason. Vectors never pass through the driver.
 */
public final class SparkTextEmbedding {
  public static final String STAGE = "embed";
  public static final String KIND = "text";

  /** What a task returns per passage (or per rejected document). */
  static final StructType PASSAGE_ROWS =
      new StructType()
          .add("id", DataTypes.StringType, false)
          .add("passage_no", DataTypes.IntegerType, false)
          .add("char_start", DataTypes.IntegerType, false)
          .add("char_end", DataTypes.IntegerType, false)
          .add("tokens", DataTypes.IntegerType, false)
          .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), true)
          .add("reason", DataTypes.StringType, true)
          .add("detail", DataTypes.StringType, true)
          .add("raw_text", DataTypes.StringType, true);

  private final SparkSession spark;
  private final TableCatalog catalog;
  private final EmbeddingConfig config;
  private final int rawMaxBytes;

  public SparkTextEmbedding(
      SparkSession spark, TableCatalog catalog, EmbeddingConfig config, int rawMaxBytes) {
    this.spark = spark;
    this.catalog = catalog;
    this.config = config;
    this.rawMaxBytes = rawMaxBytes;
  }

  /** Embeds the documents not yet embedded with the configured model; returns the model version. */
  public String embed(RunSummary summary) {
    String table = config.textTable();
    String sourcePath = catalog.path(table);
    if (!DeltaTable.isDeltaTable(spark, sourcePath)) {
      throw EmbeddingErrors.noSourceTable(table, sourcePath);
    }
    TextModel model = config.textModel();
    EncoderOptions options = config.encoder();
    // The driver opens the model too: to learn its version before any task runs (and to fail early
    // on a broken model). In local mode the tasks then share this very instance.
    TextEncoder local = TextEncoders.shared(model, options);
    String version = local.modelVersion();
    String goldPath = catalog.path(TableCatalog.GOLD_EMBEDDINGS);
    SparkPhases phases = new SparkPhases(spark, "embed text");

    phases.phase("select new documents");
    DeltaReads.Pinned read = DeltaReads.latest(spark, sourcePath);
    Dataset<Row> docs = read.rows();
    if (!List.of(docs.columns()).containsAll(List.of("id", "text"))) {
      throw EmbeddingErrors.notADocumentTable(table, docs.columns());
    }
    docs = docs.select(col("id"), col("text"));
    long in = docs.count();
    Dataset<Row> fresh = docs;
    if (DeltaTable.isDeltaTable(spark, goldPath)) {
      Dataset<Row> done =
          GoldEmbeddings.embeddedIds(spark, goldPath, KIND, table, model.id(), version);
      fresh = docs.join(done, docs.col("id").equalTo(done.col("__done")), "left_anti");
    }
    int tasks = Math.max(1, spark.sparkContext().defaultParallelism() * config.tasksPerCore());
    // One shuffle spreads the documents over the tasks and makes ids unique within the run (so
    // the new passages can be appended without a merge).
    fresh = fresh.repartition(tasks, col("id")).dropDuplicates("id");

    phases.phase("encode");
    Dataset<Row> passages =
        fresh
            .mapPartitions(
                (MapPartitionsFunction<Row, Row>) rows -> encode(model, options, rows),
                Encoders.row(PASSAGE_ROWS))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> good = passages.where(col("reason").isNull());
      Dataset<Row> bad = passages.where(col("reason").isNotNull());
      Row stats =
          passages
              .agg(
                  count_distinct(col("id")).as("docs"),
                  count(col("vector")).as("passages"),
                  sum(when(col("reason").isNotNull(), 1).otherwise(0)).as("rejected"))
              .first();
      long rejected = stats.isNullAt(2) ? 0 : stats.getLong(2);
      long embeddedDocs = stats.getLong(0) - rejected;
      long passageCount = stats.getLong(1);

      phases.phase("write gold/embeddings");
      Dataset<Row> rows =
          good.select(
              col("id"),
              lit(KIND).as("kind"),
              lit(table).as("source_table"),
              lit(model.id()).as("model"),
              lit(version).as("model_version"),
              col("passage_no"),
              col("char_start"),
              col("char_end"),
              col("tokens"),
              lit(TextModel.DIMENSIONS).as("dims"),
              col("vector"),
              current_timestamp().as("embedded_at"),
              lit(summary.runId()).as("run_id"));
      GoldEmbeddings.append(
          spark,
          rows,
          goldPath,
          passageCount,
          CommitLineage.of(STAGE, table, read.version(), summary.runId()));

      phases.phase("quarantine");
      if (rejected > 0) {
        SparkQuarantine.write(
            spark,
            catalog,
            STAGE,
            bad.select(
                lit(table).as("source_file"),
                lit(0L).as("position"),
                col("id").as("record_id"),
                col("reason"),
                lit("text").as("field"),
                col("detail"),
                col("raw_text")),
            rawMaxBytes,
            summary.runId());
      }
      phases.end();
      summary.add(
          new SourceCounts(
              STAGE + ":" + KIND,
              table,
              in,
              embeddedDocs,
              rejected,
              in - embeddedDocs - rejected,
              0));
      summary.note(
          "embed text",
          model.id()
              + " "
              + version
              + " on "
              + local.executionProvider()
              + ": "
              + embeddedDocs
              + " documents, "
              + passageCount
              + " passages; "
              + phases.describe());
      return version;
    } finally {
      passages.unpersist();
    }
  }

  private static Iterator<Row> encode(TextModel model, EncoderOptions options, Iterator<Row> rows) {
    TextEncoder encoder = TextEncoders.shared(model, options);
    Iterator<DocumentEmbedder.Document<String>> docs =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return rows.hasNext();
          }

          @Override
          public DocumentEmbedder.Document<String> next() {
            Row r = rows.next();
            return new DocumentEmbedder.Document<>(r.getString(0), r.getString(1));
          }
        };
    DocumentEmbedder<String> embedder = new DocumentEmbedder<>(encoder, docs);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return embedder.hasNext();
      }

      @Override
      public Row next() {
        DocumentEmbedder.Result<String> r = embedder.next();
        if (r.rejected()) {
          return RowFactory.create(
              r.key(), -1, 0, 0, 0, null, r.reason(), r.detail(), r.rejectedText());
        }
        return RowFactory.create(
            r.key(),
            r.passageNo(),
            r.charStart(),
            r.charEnd(),
            r.tokens(),
            r.vector(),
            null,
            null,
            null);
      }
    };
  }
}
