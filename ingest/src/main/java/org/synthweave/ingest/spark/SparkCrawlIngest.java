package org.synthweave.ingest.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.apache.spark.util.TaskCompletionListener;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.spark.DeltaWrites;
import org.synthweave.core.spark.InputFiles;
import org.synthweave.core.spark.SparkMaterialized;
import org.synthweave.core.spark.SparkPhases;
import org.synthweave.core.spark.SparkQuarantine;
import org.synthweave.ingest.IngestConfig;
import org.synthweave.ingest.crawl.CrawlDocument;
import org.synthweave.ingest.crawl.CrawlDocuments;
import org.synthweave.ingest.crawl.CrawlEntry;
import org.synthweave.ingest.crawl.CrawlFileReader;
import org.synthweave.ingest.crawl.CrawlRecord;
import org.synthweave.ingest.crawl.CrawlRejection;
import org.synthweave.ingest.crawl.DocumentOutcome;
import org.synthweave.ingest.crawl.MinHasher;

/**
 * The crawl half of {@code synthweave ingest}: WARC, HTML and JSONL files become {@code
 * bronze/crawl} (one row per record, with its place in the source file), {@code silver/documents}
 * (clean text, exact and near duplicates removed) and {@code quarantine/crawl}.
 *
 * <p>Each Spark task reads whole files with the Spark-free {@link CrawlFileReader} and extracts
 * documents with {@link CrawlDocuments}; a file on a non-local file system is first copied to the
 * executor's local disk. Exact duplicates share an id (SHA-256 of the normalized text) and the
 * earliest record (by source file, then offset) is kept. Near duplicates are found with MinHash
 * LSH: documents sharing any band key are compared by the fraction of equal signature positions (a
 * built-in SQL expression), and a document whose estimated Jaccard with an earlier document (or one
 * already in the table) is at least the threshold is dropped as a duplicate.
 */
public final class SparkCrawlIngest {
  public static final String STAGE = "crawl";
  public static final List<String> ENDINGS =
      List.of(".warc", ".warc.gz", ".html", ".htm", ".jsonl", ".jsonl.gz", ".json");

  /** One row per read outcome: a document, a rejection, or the per-file totals. */
  static final StructType OUTCOME =
      new StructType()
          .add("kind", DataTypes.StringType, false)
          .add("source_file", DataTypes.StringType, false)
          .add("offset", DataTypes.LongType, false)
          .add("record_id", DataTypes.StringType)
          .add("record_type", DataTypes.StringType)
          .add("url", DataTypes.StringType)
          .add("fetch_time", DataTypes.TimestampType)
          .add("http_status", DataTypes.IntegerType)
          .add("content_type", DataTypes.StringType)
          .add("content_length", DataTypes.LongType)
          .add("id", DataTypes.StringType)
          .add("title", DataTypes.StringType)
          .add("text", DataTypes.StringType)
          .add("language", DataTypes.StringType)
          .add("char_count", DataTypes.IntegerType)
          .add("word_count", DataTypes.IntegerType)
          .add("minhash", DataTypes.createArrayType(DataTypes.IntegerType, false))
          .add("reason", DataTypes.StringType)
          .add("field", DataTypes.StringType)
          .add("detail", DataTypes.StringType)
          .add("raw", DataTypes.BinaryType)
          .add("records_in", DataTypes.LongType)
          .add("skipped", DataTypes.LongType);

  private final SparkSession spark;
  private final TableCatalog catalog;
  private final IngestConfig config;

  public SparkCrawlIngest(SparkSession spark, TableCatalog catalog, IngestConfig config) {
    this.spark = spark;
    this.catalog = catalog;
    this.config = config;
  }

  /** Ingests the configured crawl inputs and adds per-file counts to {@code summary}. */
  public void ingest(RunSummary summary) {
    ingest(InputFiles.list(spark, config.crawlInputs(), ENDINGS), summary);
  }

  public void ingest(List<String> inputFiles, RunSummary summary) {
    List<String> files = inputFiles.stream().map(InputFiles::normalize).toList();
    String runId = summary.runId();
    Broadcast<SerializableConfiguration> hadoop =
        spark
            .sparkContext()
            .broadcast(
                new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()),
                scala.reflect.ClassTag$.MODULE$.apply(SerializableConfiguration.class));
    Reader reader = new Reader(hadoop, config.shingleWords(), config.minhashHashes());
    SparkPhases phases = new SparkPhases(spark, "ingest crawl");
    phases.phase("read and extract");
    // Whole files per task, grouped by size and handed out without a shuffle.
    int cores = spark.sparkContext().defaultParallelism();
    List<List<String>> groups = InputFiles.balance(spark, files, cores * config.tasksPerCore());
    // Read once, and kept on disk: every later phase reads these rows, and a small .warc.gz can
    // expand to hundreds of records of megabytes each, more than any executor heap.
    Dataset<Row> outcomes =
        SparkMaterialized.of(
            spark
                .createDataset(
                    JavaSparkContext.fromSparkContext(spark.sparkContext())
                        .parallelize(groups, groups.size())
                        .flatMap(List::iterator)
                        .rdd(),
                    Encoders.STRING())
                .mapPartitions(reader, Encoders.row(OUTCOME)),
            SparkMaterialized.LARGE_ROWS);
    try {
      write(outcomes, files, runId, summary, phases);
    } finally {
      SparkMaterialized.release(outcomes);
      phases.end();
    }
    summary.note("crawl phases", phases.describe());
  }

  private void write(
      Dataset<Row> outcomes,
      List<String> files,
      String runId,
      RunSummary summary,
      SparkPhases phases) {
    Dataset<Row> records = outcomes.where("kind IN ('doc', 'reject')");
    // bronze/crawl: every record read, accepted or not, with its place in the source file.
    phases.phase("bronze");
    Dataset<Row> bronze =
        records.select(
            sha2(
                    concat_ws(
                        "|",
                        col("source_file"),
                        col("offset").cast("string"),
                        expr("coalesce(record_id, '')")),
                    256)
                .as("record_key"),
            col("source_file"),
            col("offset"),
            col("record_id"),
            col("record_type"),
            col("url"),
            col("fetch_time"),
            col("http_status"),
            col("content_type"),
            col("content_length"),
            col("id").as("doc_id"),
            current_timestamp().as("ingested_at"),
            lit(runId).as("run_id"));
    DeltaWrites.insertNew(
        spark,
        TableCatalog.conform(
            bronze,
            TableCatalog
                .BRONZE_CRAWL_SCHEMA), // unique already: a file is read once and offsets differ
        // within it
        catalog.path(TableCatalog.BRONZE_CRAWL),
        List.of("record_key"),
        List.of());

    phases.phase("quarantine");
    Map<String, Long> quarantined =
        SparkQuarantine.write(
            spark,
            catalog,
            STAGE,
            outcomes
                .where("kind = 'reject'")
                .select(
                    col("source_file"),
                    col("offset").as("position"),
                    col("record_id"),
                    col("reason"),
                    col("field"),
                    col("detail"),
                    col("raw"),
                    col("content_length").as("raw_length")),
            config.rawMaxBytes(),
            runId);

    phases.phase("deduplicate");
    String silverPath = catalog.path(TableCatalog.SILVER_DOCUMENTS);
    Dataset<Row> docs = outcomes.where("kind = 'doc'");
    Dataset<Row> firstOfId =
        docs.withColumn(
                "_rank",
                row_number()
                    .over(Window.partitionBy("id").orderBy(col("source_file"), col("offset"))))
            .where("_rank = 1")
            .drop("_rank");
    boolean silverExists = io.delta.tables.DeltaTable.isDeltaTable(spark, silverPath);
    Dataset<Row> existing =
        silverExists
            ? spark.read().format("delta").load(silverPath).select("id", "minhash")
            : spark.createDataFrame(
                List.of(),
                new StructType()
                    .add("id", DataTypes.StringType)
                    .add("minhash", DataTypes.createArrayType(DataTypes.IntegerType, false)));
    Dataset<Row> fresh =
        SparkMaterialized.of(
            firstOfId.join(
                existing.select("id"),
                firstOfId.col("id").equalTo(existing.col("id")),
                "left_anti"),
            SparkMaterialized.LARGE_ROWS);
    try {
      Dataset<Row> kept = fresh.join(nearDuplicates(fresh, existing), "id", "left_anti");
      Dataset<Row> silver =
          kept.select(
              col("id"),
              col("url"),
              col("title"),
              col("text"),
              col("language"),
              col("char_count"),
              col("word_count"),
              col("minhash"),
              col("source_file"),
              col("offset"),
              col("record_id"),
              col("fetch_time"),
              current_timestamp().as("ingested_at"),
              lit(runId).as("run_id"));
      phases.phase("silver");
      Map<String, Long> inserted =
          DeltaWrites.insertNewCounting(
              spark,
              TableCatalog.conform(silver, TableCatalog.SILVER_DOCUMENTS_SCHEMA),
              silverPath,
              List.of("id"),
              List.of(),
              "source_file");

      Map<String, long[]> perFile = perFileCounts(outcomes);
      for (String f : files) {
        long[] c = perFile.getOrDefault(f, new long[4]);
        long in = c[0];
        long docCount = c[1];
        long rejects = c[2];
        long skipped = c[3];
        long out = inserted.getOrDefault(f, 0L);
        long q = quarantined.getOrDefault(f, 0L);
        assert q == rejects : "quarantine count differs for " + f;
        // Records in come from the reader's own count; docs + rejects must add up to it, so a
        // record the reader saw but never emitted shows up as an unbalanced row.
        summary.add(new SourceCounts(STAGE, f, in, out, q, docCount - out, skipped));
      }
      summary.note(TableCatalog.SILVER_DOCUMENTS, silverPath);
    } finally {
      SparkMaterialized.release(fresh);
    }
  }

  /**
   * Ids of fresh documents that are near duplicates of an earlier fresh document or of one already
   * in the table.
   */
  private Dataset<Row> nearDuplicates(Dataset<Row> fresh, Dataset<Row> existing) {
    int bands = config.minhashBands();
    int rows = config.minhashHashes() / bands;
    // Band keys as SQL: the band's slice of the signature, hashed with its band number.
    String bandKeys =
        "transform(sequence(0, "
            + (bands - 1)
            + "), b -> xxhash64(b, slice(minhash, b * "
            + rows
            + " + 1, "
            + rows
            + ")))";
    Dataset<Row> a =
        fresh.select(
            col("id").as("a_id"),
            col("minhash").as("a_sig"),
            struct(lit(1).as("fresh"), col("source_file"), col("offset")).as("a_pos"),
            explode(expr(bandKeys)).as("band"));
    Dataset<Row> candidatesB =
        fresh
            .select(
                col("id"),
                col("minhash"),
                struct(lit(1).as("fresh"), col("source_file"), col("offset")).as("pos"))
            .unionByName(
                existing.select(
                    col("id"),
                    col("minhash"),
                    // Documents already in the table come before every fresh one.
                    struct(lit(0).as("fresh"), lit("").as("source_file"), lit(0L).as("offset"))
                        .as("pos")));
    Dataset<Row> b =
        candidatesB.select(
            col("id").as("b_id"),
            col("minhash").as("b_sig"),
            col("pos").as("b_pos"),
            explode(expr(bandKeys)).as("band"));
    return a.join(b, "band")
        .where("a_id <> b_id AND b_pos < a_pos")
        .dropDuplicates("a_id", "b_id")
        .where(
            "aggregate(zip_with(a_sig, b_sig, (x, y) -> IF(x = y, 1, 0)), 0, (acc, v) -> acc + v)"
                + " / size(a_sig) >= "
                + config.nearDuplicateThreshold())
        .select(col("a_id").as("id"))
        .distinct();
  }

  /** Per file: {records in (reader's count), documents, rejections, skipped}. */
  private static Map<String, long[]> perFileCounts(Dataset<Row> outcomes) {
    Map<String, long[]> out = new LinkedHashMap<>();
    List<Row> rows =
        outcomes
            .groupBy("source_file")
            .agg(
                expr("sum(IF(kind = 'file', records_in, 0))"),
                expr("count_if(kind = 'doc')"),
                expr("count_if(kind = 'reject')"),
                expr("sum(IF(kind = 'file', skipped, 0))"))
            .collectAsList();
    for (Row r : rows) {
      out.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)});
    }
    return out;
  }

  /** Reads whole files in a Spark task and turns every entry into an outcome row. */
  static final class Reader implements MapPartitionsFunction<String, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private final Broadcast<SerializableConfiguration> hadoop;
    private final int shingleWords;
    private final int hashes;

    Reader(Broadcast<SerializableConfiguration> hadoop, int shingleWords, int hashes) {
      this.hadoop = hadoop;
      this.shingleWords = shingleWords;
      this.hashes = hashes;
    }

    /**
     * Rows of the files in this partition, pulled from the readers one record at a time: at most
     * one record and its row are held, so a task's memory does not grow with its files.
     */
    @Override
    public Iterator<Row> call(Iterator<String> files) {
      PartitionRows rows = new PartitionRows(files, new MinHasher(shingleWords, hashes), hadoop);
      TaskContext task = TaskContext.get();
      if (task != null) {
        // A task that fails or is cut short (limit, kill) still closes its file and temp copy.
        task.addTaskCompletionListener((TaskCompletionListener) context -> rows.close());
      }
      return rows;
    }
  }

  /** The lazy row iterator of one partition: files in order, each read entry by entry. */
  static final class PartitionRows implements Iterator<Row>, java.io.Closeable {
    private final Iterator<String> files;
    private final MinHasher hasher;
    private final Broadcast<SerializableConfiguration> hadoop;
    private String file;
    private CrawlFileReader reader;
    private Path temp;
    private Row next;

    PartitionRows(
        Iterator<String> files, MinHasher hasher, Broadcast<SerializableConfiguration> hadoop) {
      this.files = files;
      this.hasher = hasher;
      this.hadoop = hadoop;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (reader == null) {
          if (!files.hasNext()) {
            return false;
          }
          open(files.next());
        }
        next = step();
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException("no more rows in this partition");
      }
      Row row = next;
      next = null;
      return row;
    }

    /** The row of the reader's next entry, the file's totals row at its end, or null for a skip. */
    private Row step() {
      if (reader.hasNext()) {
        CrawlEntry e = reader.next();
        if (e instanceof CrawlRecord r) {
          DocumentOutcome o = CrawlDocuments.toDocument(r);
          return o instanceof CrawlDocument d
              ? docRow(file, r, d, hasher)
              : rejectRow(file, (CrawlRejection) o, r);
        }
        return e instanceof CrawlRejection rej ? rejectRow(file, rej, null) : null;
      }
      Row totals = fileRow(file, reader.stats().recordsIn(), reader.stats().skipped());
      close();
      return totals;
    }

    private void open(String name) {
      file = name;
      URI uri = URI.create(name);
      Path local;
      if (uri.getScheme() == null || "file".equals(uri.getScheme())) {
        local = uri.getScheme() == null ? Paths.get(name) : Paths.get(uri);
      } else {
        // Remote file systems: copy to local disk once, then read with the Spark-free reader.
        try {
          Configuration conf = hadoop.value().value();
          org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(name);
          FileSystem fs = p.getFileSystem(conf);
          temp = Files.createTempFile("synthweave-crawl-", "-" + p.getName());
          try (InputStream in = fs.open(p)) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
          }
        } catch (IOException e) {
          close();
          throw new UncheckedIOException("cannot copy crawl input " + name + " to local disk", e);
        }
        local = temp;
      }
      reader = CrawlFileReader.open(local);
    }

    @Override
    public void close() {
      if (reader != null) {
        reader.close();
        reader = null;
      }
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // A temp file left behind is harmless; the task's result is not.
        }
        temp = null;
      }
    }

    private static Row fileRow(String file, long recordsIn, long skipped) {
      return RowFactory.create(
          "file", file, -1L, null, null, null, null, null, null, null, null, null, null, null, null,
          null, null, null, null, null, null, recordsIn, skipped);
    }

    private static Row docRow(String file, CrawlRecord r, CrawlDocument d, MinHasher hasher) {
      return RowFactory.create(
          "doc",
          file,
          r.offset(),
          r.recordId(),
          r.recordType(),
          r.url(),
          r.fetchTime() == null ? null : Timestamp.from(r.fetchTime()),
          r.httpStatus(),
          r.contentType(),
          r.contentLength(),
          d.id(),
          d.title(),
          d.text(),
          d.language(),
          d.charCount(),
          d.wordCount(),
          toList(hasher.signature(d.text())),
          null,
          null,
          null,
          null,
          null,
          null);
    }

    private static Row rejectRow(String file, CrawlRejection rej, CrawlRecord r) {
      return RowFactory.create(
          "reject",
          file,
          rej.offset(),
          rej.recordId(),
          r == null ? null : r.recordType(),
          rej.url(),
          r == null || r.fetchTime() == null ? null : Timestamp.from(r.fetchTime()),
          r == null ? null : r.httpStatus(),
          r == null ? null : r.contentType(),
          rej.rawLength(),
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          rej.reason().code(),
          rej.field(),
          rej.detail(),
          rej.raw(),
          null,
          null);
    }

    /** Spark rows hold arrays as Scala sequences. */
    private static scala.collection.immutable.Seq<Object> toList(int[] sig) {
      return scala.collection.immutable.ArraySeq.unsafeWrapArray(sig);
    }
  }
}
