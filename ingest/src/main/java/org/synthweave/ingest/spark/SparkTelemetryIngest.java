package org.synthweave.ingest.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_json;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.catalog.Warehouse;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.spark.DeltaWrites;
import org.synthweave.core.spark.InputFiles;
import org.synthweave.core.spark.SparkPhases;
import org.synthweave.core.spark.SparkQuarantine;
import org.synthweave.ingest.IngestConfig;
import org.synthweave.ingest.telemetry.CanonicalReadingEncoding;
import org.synthweave.ingest.telemetry.DeviceRegistry;
import org.synthweave.ingest.telemetry.ParquetPageClaims;
import org.synthweave.ingest.telemetry.TelemetryField;
import org.synthweave.ingest.telemetry.TelemetryJsonLine;
import org.synthweave.ingest.telemetry.TelemetryRejectReason;
import org.synthweave.ingest.telemetry.TelemetrySchema;
import org.synthweave.ingest.telemetry.TelemetryValidator;
import org.synthweave.ingest.telemetry.TypedReading;
import org.synthweave.ingest.telemetry.ValidationResult;

/**
 * The telemetry half of {@code synthweave ingest}: DePIN readings from JSON lines, CSV and Parquet
 * become {@code bronze/telemetry} (every reading as received, all values as text), {@code
 * silver/telemetry} (typed, validated, signature-checked, one reading per device and timestamp,
 * partitioned by {@code reading_date}) and {@code quarantine/telemetry}.
 *
 * <p>Files are read by Spark with every column as a string (Parquet timestamps as epoch
 * milliseconds), so that one Spark-free {@link TelemetryValidator} decides every rule in the
 * executors. Of several valid readings with the same device and timestamp the one with the smallest
 * canonical-encoding hash is kept, so the choice does not depend on input order.
 */
public final class SparkTelemetryIngest {
  public static final String STAGE = "telemetry";
  public static final List<String> ENDINGS = List.of(".jsonl", ".json", ".csv", ".parquet");
  private static final String CORRUPT = "_corrupt_record";

  private final SparkSession spark;
  private final TableCatalog catalog;
  private final IngestConfig config;
  private final int maxRecordChars;

  /** Rows each readable Parquet input's footer lists, by normalized path (set while reading). */
  private final Map<String, Long> parquetRows = new TreeMap<>();

  public SparkTelemetryIngest(SparkSession spark, TableCatalog catalog, IngestConfig config) {
    this(spark, catalog, config, TelemetryJsonLine.MAX_RECORD_CHARS);
  }

  /** With another maximum record size, so tests can cross it with small lines. */
  SparkTelemetryIngest(
      SparkSession spark, TableCatalog catalog, IngestConfig config, int maxRecordChars) {
    this.spark = spark;
    this.catalog = catalog;
    this.config = config;
    this.maxRecordChars = maxRecordChars;
  }

  public void ingest(RunSummary summary) {
    ingest(InputFiles.list(spark, config.telemetryInputs(), ENDINGS), summary);
  }

  public void ingest(List<String> inputFiles, RunSummary summary) {
    parquetRows.clear();
    List<String> files = inputFiles.stream().map(InputFiles::normalize).toList();
    TelemetrySchema schema =
        TelemetrySchema.parse(readText(config.telemetrySchema()), config.telemetrySchema());
    DeviceRegistry registry =
        DeviceRegistry.parse(
            Arrays.asList(readText(config.telemetryDevices()).split("\\R")),
            config.telemetryDevices());
    // One clock for the whole run, so every executor applies the same future-timestamp rule.
    Clock clock = Clock.fixed(summary.startedAt(), ZoneOffset.UTC);
    TelemetryValidator validator = new TelemetryValidator(schema, registry, clock);
    List<String> rawColumns = new ArrayList<>();
    for (TelemetryField f : schema.fields()) {
      rawColumns.add(f.name());
    }
    rawColumns.add(schema.signatureField());

    SparkPhases phases = new SparkPhases(spark, "ingest telemetry");
    phases.phase("read");
    Dataset<Row> raw = null;
    for (Map.Entry<String, List<String>> group : readGroups(files, rawColumns).entrySet()) {
      Dataset<Row> one = readAsStrings(group.getKey(), group.getValue(), rawColumns);
      raw = raw == null ? one : raw.unionByName(one);
    }
    raw =
        raw.withColumn(
                "_raw",
                to_json(
                    struct(
                        rawColumns.stream().map(c -> col("`" + c + "`")).toArray(Column[]::new))))
            .persist(StorageLevel.MEMORY_AND_DISK());
    StructType typed = typedSchema(schema);
    StructType outcome =
        typed
            .add("signature", DataTypes.StringType)
            .add("reading_hash", DataTypes.StringType)
            .add("source_file", DataTypes.StringType, false)
            .add("_raw", DataTypes.StringType)
            .add("reason", DataTypes.StringType)
            .add("field", DataTypes.StringType)
            .add("detail", DataTypes.StringType);
    try {
      phases.phase("validate");
      Dataset<Row> outcomes =
          raw.mapPartitions(
                  new Validate(validator, rawColumns, schema.fields().size(), maxRecordChars),
                  Encoders.row(outcome))
              .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        outcomes.count(); // materialize once: the later phases read the cached outcomes
        write(raw, outcomes, schema, files, summary, phases);
      } finally {
        outcomes.unpersist();
      }
    } finally {
      raw.unpersist();
      phases.end();
    }
    summary.note("telemetry phases", phases.describe());
  }

  private void write(
      Dataset<Row> raw,
      Dataset<Row> outcomes,
      TelemetrySchema schema,
      List<String> files,
      RunSummary summary,
      SparkPhases phases) {
    String runId = summary.runId();
    phases.phase("bronze");
    Dataset<Row> bronze =
        raw.select(
                sha2(expr("concat_ws('|', _source_file, _raw)"), 256).as("record_key"),
                col("_source_file").as("source_file"),
                col("_raw").as("raw_json"),
                col(CORRUPT).as("malformed_line"),
                current_timestamp().as("ingested_at"),
                lit(runId).as("run_id"))
            .dropDuplicates("record_key");
    // Each commit names its table if another job committed to it first (a rerun is then safe).
    Warehouse.committing(
        catalog,
        TableCatalog.BRONZE_TELEMETRY,
        () ->
            DeltaWrites.insertNew(
                spark,
                bronze,
                catalog.path(TableCatalog.BRONZE_TELEMETRY),
                List.of("record_key"),
                List.of()));

    phases.phase("quarantine");
    Dataset<Row> rejected =
        outcomes
            .where("reason IS NOT NULL")
            .select(
                col("source_file"),
                lit(-1L).as("position"),
                expr("concat_ws('@', device_id, CAST(timestamp AS STRING))").as("record_id"),
                col("reason"),
                col("field"),
                col("detail"),
                col("_raw").as("raw_text"));
    Map<String, Long> quarantined = new TreeMap<>();
    quarantined.putAll(
        Warehouse.committing(
            catalog,
            TableCatalog.quarantine(STAGE),
            () ->
                SparkQuarantine.write(
                    spark, catalog, STAGE, rejected, config.rawMaxBytes(), runId)));
    Map<String, Long> in = new TreeMap<>(InputFiles.countPerFile(raw, "_source_file"));
    quarantineUndecodedParquetRows(in, quarantined, runId);

    phases.phase("deduplicate and silver");
    List<Column> silverCols = new ArrayList<>();
    for (TelemetryField f : schema.fields()) {
      silverCols.add(col("`" + f.name() + "`"));
    }
    silverCols.add(col("signature"));
    silverCols.add(col("reading_hash"));
    silverCols.add(col("source_file"));
    silverCols.add(to_date(col(TelemetrySchema.TIMESTAMP)).as("reading_date"));
    silverCols.add(current_timestamp().as("ingested_at"));
    silverCols.add(lit(runId).as("run_id"));
    Dataset<Row> valid = outcomes.where("reason IS NULL");
    Dataset<Row> unique =
        valid
            .withColumn(
                "_rank",
                row_number()
                    .over(
                        Window.partitionBy(TelemetrySchema.DEVICE_ID, TelemetrySchema.TIMESTAMP)
                            .orderBy(
                                col("reading_hash"),
                                col("signature").asc_nulls_last(),
                                col("source_file"))))
            .where("_rank = 1")
            .select(silverCols.toArray(Column[]::new));
    String silverPath = catalog.path(TableCatalog.SILVER_TELEMETRY);
    Map<String, Long> inserted =
        InputFiles.normalizeKeys(
            Warehouse.committing(
                catalog,
                TableCatalog.SILVER_TELEMETRY,
                () ->
                    DeltaWrites.insertNewCounting(
                        spark,
                        unique,
                        silverPath,
                        List.of(TelemetrySchema.DEVICE_ID, TelemetrySchema.TIMESTAMP),
                        List.of("reading_date"),
                        "source_file")));

    Map<String, Long> validPerFile = InputFiles.countPerFile(valid, "source_file");
    for (String f : files) {
      long out = inserted.getOrDefault(f, 0L);
      summary.add(
          new SourceCounts(
              STAGE,
              f,
              in.getOrDefault(f, 0L),
              out,
              quarantined.getOrDefault(f, 0L),
              validPerFile.getOrDefault(f, 0L) - out,
              0));
    }
    summary.note(TableCatalog.SILVER_TELEMETRY, silverPath);
  }

  /**
   * Rows a Parquet footer promises but Spark could not decode (a damaged page: the read skips the
   * rest of that file rather than abort the run) are quarantined one by one, by row position, so
   * the file's records in = what its footer says and the run still balances.
   */
  private void quarantineUndecodedParquetRows(
      Map<String, Long> in, Map<String, Long> quarantined, String runId) {
    Dataset<Row> lost = null;
    for (Map.Entry<String, Long> e : parquetRows.entrySet()) {
      String file = e.getKey();
      long read = in.getOrDefault(file, 0L);
      long footer = e.getValue();
      if (footer <= read) {
        continue;
      }
      Dataset<Row> rows =
          spark
              .range(read, footer)
              .select(
                  lit(file).as("source_file"),
                  col("id").as("position"),
                  lit(null).cast(DataTypes.StringType).as("record_id"),
                  lit(TelemetryRejectReason.MALFORMED_ROW.code()).as("reason"),
                  lit(null).cast(DataTypes.StringType).as("field"),
                  concat(
                          lit("row "),
                          col("id").cast(DataTypes.StringType),
                          lit(
                              " of "
                                  + footer
                                  + ", which the Parquet footer lists, could not be decoded (a"
                                  + " damaged page: the rest of the file was skipped)"))
                      .as("detail"),
                  lit(null).cast(DataTypes.StringType).as("raw_text"));
      lost = lost == null ? rows : lost.unionByName(rows);
      in.put(file, footer);
    }
    if (lost != null) {
      Dataset<Row> undecoded = lost;
      Warehouse.committing(
              catalog,
              TableCatalog.quarantine(STAGE),
              () ->
                  SparkQuarantine.write(
                      spark, catalog, STAGE, undecoded, config.rawMaxBytes(), runId))
          .forEach((f, n) -> quarantined.merge(InputFiles.normalize(f), n, Long::sum));
    }
  }

  /** The typed silver columns in schema order (timestamps as Spark timestamps). */
  static StructType typedSchema(TelemetrySchema schema) {
    StructType t = new StructType();
    for (TelemetryField f : schema.fields()) {
      t = t.add(f.name(), sparkType(f), true);
    }
    return t;
  }

  private static DataType sparkType(TelemetryField f) {
    return switch (f.type()) {
      case DOUBLE -> DataTypes.DoubleType;
      case LONG -> DataTypes.LongType;
      case INT -> DataTypes.IntegerType;
      case BOOLEAN -> DataTypes.BooleanType;
      case STRING -> DataTypes.StringType;
      case TIMESTAMP -> DataTypes.TimestampType;
    };
  }

  /**
   * Files that one Spark read can take together, by a key saying how to read them: all JSON lines,
   * CSV files with the same header line, Parquet files whose INT64 timestamp columns have the same
   * units, and each Parquet file whose footer cannot be read on its own ({@code damaged:...}).
   */
  private Map<String, List<String>> readGroups(List<String> files, List<String> columns) {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (String f : files) {
      String lower = f.toLowerCase(Locale.ROOT);
      String key =
          lower.endsWith(".parquet")
              ? parquetKey(f, columns)
              : lower.endsWith(".csv") ? "csv:" + firstLine(f) : "json";
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
    }
    return groups;
  }

  /**
   * {@code parquet:} plus the requested columns stored as INT64 timestamps and their units (e.g.
   * {@code {timestamp=MILLIS}}) and the file's schema, read from the footer; {@code damaged:<why>}
   * if it cannot be read.
   */
  private String parquetKey(String file, List<String> columns) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file);
    try {
      HadoopInputFile input =
          HadoopInputFile.fromPath(p, spark.sparkContext().hadoopConfiguration());
      try (ParquetFileReader reader = ParquetFileReader.open(input)) {
        // A forged page size would make each task reading the file allocate it: refused whole.
        String refused = ParquetPageClaims.check(input, reader.getFooter());
        if (refused != null) {
          return "damaged:" + file + ": " + refused;
        }
        return parquetKey(file, columns, reader);
      }
    } catch (IOException | RuntimeException e) {
      // A damaged file must not abort the run: it becomes one quarantined record of its own.
      return "damaged:" + file + ": " + e;
    }
  }

  /** The read key of a Parquet file whose footer and page claims were read without fault. */
  private String parquetKey(String file, List<String> columns, ParquetFileReader reader) {
    MessageType schema = reader.getFooter().getFileMetaData().getSchema();
    parquetRows.put(InputFiles.normalize(file), reader.getRecordCount());
    Map<String, String> units = new TreeMap<>();
    for (String c : columns) {
      if (schema.containsField(c)
          && schema.getType(c).isPrimitive()
          && schema.getType(c).asPrimitiveType().getPrimitiveTypeName()
              == PrimitiveType.PrimitiveTypeName.INT64
          && schema.getType(c).getLogicalTypeAnnotation()
              instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
        units.put(c, ts.getUnit().name());
      }
    }
    // Files of one schema are read together, so a file whose schema differs (or was damaged)
    // cannot fail the schema merge of the others.
    return "parquet:" + units + ":" + schema;
  }

  private String firstLine(String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (java.io.BufferedReader r =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
        String line = r.readLine();
        return line == null ? "" : line;
      }
    } catch (IOException e) {
      throw new SynthweaveException("Cannot read '" + path + "': " + e.getMessage(), e);
    }
  }

  private Dataset<Row> readAsStrings(String key, List<String> group, List<String> columns) {
    String file = group.get(0);
    String[] paths = group.toArray(String[]::new);
    String lower = file.toLowerCase(Locale.ROOT);
    StructType strings = new StructType();
    for (String c : columns) {
      strings = strings.add(c, DataTypes.StringType);
    }
    Dataset<Row> df;
    if (key.startsWith("damaged:")) {
      Object[] values = new Object[columns.size() + 2];
      values[columns.size()] = "the Parquet file cannot be read: " + key.substring(8);
      values[columns.size() + 1] = file;
      df =
          spark.createDataFrame(
              List.of(RowFactory.create(values)),
              strings.add(CORRUPT, DataTypes.StringType).add("_source_file", DataTypes.StringType));
    } else if (lower.endsWith(".parquet")) {
      // A damaged page ends the read of its file instead of the run; the rows it cost are
      // quarantined by position afterwards (quarantineUndecodedParquetRows).
      Dataset<Row> p =
          spark
              .read()
              .option("mergeSchema", "true")
              .option("ignoreCorruptFiles", "true")
              .parquet(paths);
      Map<String, String> units = parseUnits(key);
      if (!units.isEmpty()) {
        // INT64 timestamps are read as the longs they are: Spark's own conversion to microseconds
        // overflows (and aborts the job) for millisecond values beyond year 294247.
        StructType asLongs = new StructType();
        for (StructField f : p.schema().fields()) {
          asLongs =
              asLongs.add(
                  units.containsKey(f.name())
                      ? f.copy(f.name(), DataTypes.LongType, true, f.metadata())
                      : f);
        }
        p = spark.read().option("ignoreCorruptFiles", "true").schema(asLongs).parquet(paths);
      }
      List<String> have = Arrays.asList(p.columns());
      List<Column> cols = new ArrayList<>();
      for (String c : columns) {
        if (!have.contains(c)) {
          cols.add(lit(null).cast(DataTypes.StringType).as(c));
        } else if (units.containsKey(c)) {
          cols.add(expr(epochMillis("`" + c + "`", units.get(c))).as(c));
        } else if (p.schema().apply(c).dataType()
            instanceof org.apache.spark.sql.types.TimestampType) {
          // Epoch milliseconds: a form the validator accepts, with no zone ambiguity.
          cols.add(expr("CAST(unix_millis(`" + c + "`) AS STRING)").as(c));
        } else {
          cols.add(col("`" + c + "`").cast(DataTypes.StringType).as(c));
        }
      }
      cols.add(lit(null).cast(DataTypes.StringType).as(CORRUPT));
      cols.add(expr("_metadata.file_path").as("_source_file"));
      df = p.select(cols.toArray(Column[]::new));
    } else {
      StructType withCorrupt = strings.add(CORRUPT, DataTypes.StringType);
      if (lower.endsWith(".csv")) {
        df =
            spark
                .read()
                .option("header", "true")
                .option("mode", "PERMISSIVE")
                .option("enforceSchema", "false")
                .option("columnNameOfCorruptRecord", CORRUPT)
                .schema(headerSchema(file))
                .csv(paths);
        List<String> have = Arrays.asList(df.columns());
        List<Column> cols = new ArrayList<>();
        for (String c : columns) {
          cols.add(
              have.contains(c) ? col("`" + c + "`") : lit(null).cast(DataTypes.StringType).as(c));
        }
        cols.add(col(CORRUPT));
        cols.add(expr("_metadata.file_path").as("_source_file"));
        df = df.select(cols.toArray(Column[]::new));
      } else {
        df =
            spark
                .read()
                .option("mode", "PERMISSIVE")
                .option("primitivesAsString", "true")
                // Jackson's defaults (20 M characters per string, 1000 per number) would turn a
                // long value into a malformed line; the record size limit decides instead.
                .option("maxStringLen", Integer.toString(maxRecordChars))
                .option("maxNumLen", Integer.toString(maxRecordChars))
                .option("columnNameOfCorruptRecord", CORRUPT)
                .schema(withCorrupt)
                .json(paths)
                .withColumn("_source_file", expr("_metadata.file_path"));
      }
    }
    return df;
  }

  private static Map<String, String> parseUnits(String key) {
    Map<String, String> units = new TreeMap<>();
    String body = key.substring(key.indexOf('{') + 1, key.indexOf('}'));
    for (String entry : body.split(", ")) {
      if (!entry.isEmpty()) {
        units.put(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
      }
    }
    return units;
  }

  /** SQL for epoch milliseconds (as text) of an INT64 timestamp in {@code unit}, floored. */
  private static String epochMillis(String column, String unit) {
    long per =
        switch (unit) {
          case "MILLIS" -> 1L;
          case "MICROS" -> 1_000L;
          default -> 1_000_000L; // NANOS
        };
    if (per == 1) {
      return "CAST(" + column + " AS STRING)";
    }
    // floor division without overflow at Long.MIN_VALUE (x - pmod(x, n) could overflow)
    return "CAST("
        + column
        + " div "
        + per
        + " - CASE WHEN "
        + column
        + " < 0 AND "
        + column
        + " % "
        + per
        + " != 0 THEN 1 ELSE 0 END AS STRING)";
  }

  /** The CSV's own header as string columns plus the corrupt-record column. */
  private StructType headerSchema(String file) {
    StructType header = spark.read().option("header", "true").csv(file).schema();
    StructType s = new StructType();
    for (StructField f : header.fields()) {
      s = s.add(f.name(), DataTypes.StringType);
    }
    return s.add(CORRUPT, DataTypes.StringType);
  }

  private String readText(String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (InputStream in = fs.open(p)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new SynthweaveException(
          "Cannot read '"
              + path
              + "': "
              + e.getMessage()
              + ". Check ingest.telemetry.schema and ingest.telemetry.devices.",
          e);
    }
  }

  /** Validates raw string rows in a task; emits typed rows or rejections. */
  static final class Validate implements MapPartitionsFunction<Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private final TelemetryValidator validator;
    private final List<String> columns;
    private final int typedWidth;
    private final int maxRecordChars;

    Validate(
        TelemetryValidator validator, List<String> columns, int typedWidth, int maxRecordChars) {
      this.validator = validator;
      this.columns = columns;
      this.typedWidth = typedWidth;
      this.maxRecordChars = maxRecordChars;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      // One row out per row in, produced as the task pulls them: memory does not grow with input.
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          return validate(rows.next());
        }
      };
    }

    private Row validate(Row r) {
      String source = r.getAs("_source_file");
      String rawJson = r.getAs("_raw");
      String corrupt = r.getAs(CORRUPT);
      Object[] values = new Object[typedWidth + 7];
      values[typedWidth + 2] = source;
      if (corrupt != null) {
        values[typedWidth + 3] = corrupt;
        TelemetryJsonLine.Bad bad = whyMalformed(source, corrupt);
        values[typedWidth + 4] = bad.reason().code();
        values[typedWidth + 6] = bad.detail();
        return RowFactory.create(values);
      }
      values[typedWidth + 3] = rawJson;
      Map<String, String> raw = new LinkedHashMap<>();
      for (String c : columns) {
        raw.put(c, r.getAs(c));
      }
      ValidationResult result = validator.validate(raw, source, -1L);
      if (result instanceof ValidationResult.ValidReading v) {
        TypedReading reading = v.reading();
        List<Object> typed = reading.rowValues();
        for (int i = 0; i < typedWidth; i++) {
          Object o = typed.get(i);
          values[i] = o instanceof Instant t ? Timestamp.from(t) : o;
        }
        values[typedWidth] = reading.signature();
        values[typedWidth + 1] = CanonicalReadingEncoding.readingHash(reading);
      } else {
        ValidationResult.Rejection rej = (ValidationResult.Rejection) result;
        values[0] = raw.get(TelemetrySchema.DEVICE_ID);
        values[typedWidth + 4] = rej.reasonCode();
        values[typedWidth + 5] = rej.field();
        values[typedWidth + 6] = rej.detail();
      }
      return RowFactory.create(values);
    }

    /** Why Spark's reader could not make a record of {@code line}: the real reason and limit. */
    private TelemetryJsonLine.Bad whyMalformed(String source, String line) {
      String lower = source == null ? "" : source.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".parquet")) {
        return new TelemetryJsonLine.Bad(TelemetryRejectReason.MALFORMED_ROW, line);
      }
      if (lower.endsWith(".csv")) {
        return line.length() > maxRecordChars
            ? new TelemetryJsonLine.Bad(
                TelemetryRejectReason.RECORD_TOO_LARGE,
                TelemetryJsonLine.tooLargeDetail(line.length(), maxRecordChars))
            : new TelemetryJsonLine.Bad(
                TelemetryRejectReason.MALFORMED_ROW,
                "the CSV row does not match the file's header (other number of cells, or a"
                    + " broken quoted cell)");
      }
      // The same Jackson limits as Spark's reader: a value over the limit, or the JSON error.
      if (TelemetryJsonLine.parse(line, maxRecordChars) instanceof TelemetryJsonLine.Bad bad) {
        return bad;
      }
      // Spark read bytes this class reads as text (e.g. invalid UTF-8): still malformed.
      return new TelemetryJsonLine.Bad(
          TelemetryRejectReason.MALFORMED_ROW, "the line is not a well-formed JSON record");
    }
  }
}
