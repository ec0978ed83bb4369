package org.synthweave.ingest.table;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.spark.Columns;
import org.synthweave.core.spark.DeltaWrites;
import org.synthweave.core.spark.InputFiles;
import org.synthweave.core.spark.SparkMaterialized;
import org.synthweave.core.spark.SparkQuarantine;
import org.synthweave.ingest.IngestErrors;
import scala.Option;

/**
 * {@code synthweave ingest-table}: registers a tabular data set (CSV with a header, Parquet, JSON
 * lines) as {@code silver/<name>}, with a declared (Spark DDL) or inferred schema.
 *
 * <p>Every file is read with all columns as strings, then each column is converted with {@code
 * try_cast} to its declared type: built-in SQL, so the RAPIDS Accelerator can run it. A row with a
 * value that does not convert goes to {@code quarantine/table} with reason {@code unparsable_field}
 * naming the column; a malformed line (bad JSON, wrong CSV field count) with {@code malformed_row};
 * all rows of a file that lacks a declared column with {@code schema_mismatch}. Rows are identified
 * by {@code _row_id}, the SHA-256 of their typed values: identical rows are one row, counted as
 * duplicates, and a rerun inserts nothing.
 *
 * <p>Column names are kept exactly as the input has them ({@code b.c}, {@code a`b}, {@code 1st},
 * {@code a b}, unicode): every reference goes through {@link Columns#col} and no name is ever put
 * into SQL text; a table whose names Delta cannot store plainly uses Delta column mapping (see
 * {@link DeltaWrites}). A CSV header that is empty or repeats another (ignoring case) is named by
 * Spark's CSV reader: {@code _c<i>}, or the name followed by its position. Inference is linear in
 * the number of columns: one pass over the cells in long form (column position, value), not one
 * aggregate expression per column and candidate type.
 */
public final class SparkTableIngest {
  public static final String STAGE = "table";
  public static final String ROW_ID = "_row_id";
  public static final String SOURCE_FILE = "_source_file";
  private static final String CORRUPT = "_corrupt_record";

  /** How much of a CSV file's first line tells its header from another file's. */
  private static final int MAX_HEADER_BYTES = 64 << 20;

  /** Columns the table or this reader adds itself; an input column may not have these names. */
  private static final Set<String> RESERVED =
      Set.of(ROW_ID, SOURCE_FILE, CORRUPT, "_ingested_at", "_run_id");

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  /** Candidate types for inference, narrowest first. */
  private static final List<DataType> INFERENCE_ORDER =
      List.of(
          DataTypes.IntegerType,
          DataTypes.LongType,
          DataTypes.DoubleType,
          DataTypes.BooleanType,
          DataTypes.TimestampType);

  /**
   * Session settings while a wide table is ingested. Constraint propagation: the optimizer (and the
   * local checkpoint of the typed rows) derives a set of constraints from every aliased conversion
   * and compares them pairwise, which grows with the square of the columns. Interpreted
   * expressions: the generated code for a projection over thousands of columns takes longer to
   * compile than the interpreted projection takes to run unless the table has very many rows.
   */
  private static final Map<String, String> WIDE_SETTINGS =
      Map.of(
          "spark.sql.constraintPropagation.enabled", "false",
          "spark.sql.codegen.factoryMode", "NO_CODEGEN");

  /** The input formats and the file endings that select them. */
  public enum Format {
    CSV(".csv"),
    PARQUET(".parquet"),
    JSON(".jsonl", ".json", ".ndjson");

    private final List<String> endings;

    Format(String... endings) {
      this.endings = List.of(endings);
    }

    public List<String> endings() {
      return endings;
    }

    static Format of(String path) {
      String p = path.toLowerCase(Locale.ROOT);
      for (Format f : values()) {
        if (f.endings.stream().anyMatch(p::endsWith)) {
          return f;
        }
      }
      throw IngestErrors.unknownFormat(path);
    }
  }

  private final SparkSession spark;
  private final TableCatalog catalog;
  private final int rawMaxBytes;

  public SparkTableIngest(SparkSession spark, TableCatalog catalog, int rawMaxBytes) {
    this.spark = spark;
    this.catalog = catalog;
    this.rawMaxBytes = rawMaxBytes;
  }

  /**
   * Ingests {@code inputs} into {@code silver/<name>}.
   *
   * @param format the format, or null to tell it from each file's ending
   * @param ddlSchema a Spark DDL schema ("a INT, b STRING"), or null to infer one
   * @return the table's path
   */
  public String ingest(
      String name, List<String> inputs, Format format, String ddlSchema, RunSummary summary) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw IngestErrors.badTableName(name);
    }
    List<String> endings = new ArrayList<>();
    for (Format f : Format.values()) {
      if (format == null || f == format) {
        endings.addAll(f.endings());
      }
    }
    List<String> files = InputFiles.list(spark, inputs, endings);
    StructType declared = parseSchema(ddlSchema);
    String table = TableCatalog.silver(name);
    String path = catalog.path(table);
    String runId = summary.runId();

    // 1. Raw string rows of every file, with the file and a malformed-line marker.
    Map<Format, List<String>> byFormat = new LinkedHashMap<>();
    for (String f : files) {
      byFormat
          .computeIfAbsent(format != null ? format : Format.of(f), k -> new ArrayList<>())
          .add(f);
    }
    Dataset<Row> raw = null;
    List<String> columns = null;
    for (Map.Entry<Format, List<String>> e : byFormat.entrySet()) {
      // CSV files are read by position under their own header, one read per distinct header.
      List<List<String>> groups =
          e.getKey() == Format.CSV ? byHeaderLine(e.getValue()) : List.of(e.getValue());
      for (List<String> group : groups) {
        Dataset<Row> part = readAsStrings(e.getKey(), group);
        if (columns == null) {
          columns = dataColumns(part);
          checkNotReserved(table, columns.toArray(String[]::new));
        }
        part = alignColumns(part, columns);
        raw = raw == null ? part : raw.unionByName(part);
      }
    }
    List<String> present = columns;
    Map<String, Option<String>> previous = useWideSettings(present.size());
    try {
      raw = SparkMaterialized.of(raw);
      StructType target = declared != null ? declared : infer(raw, present);
      Set<String> presentSet = new HashSet<>(present);
      checkNotReserved(table, target.fieldNames());
      List<String> missing =
          Arrays.stream(target.fieldNames()).filter(c -> !presentSet.contains(c)).toList();
      if (!missing.isEmpty()) {
        throw IngestErrors.schemaMismatch(table, "the input has no column(s) " + missing);
      }
      return write(typedOnce(raw, present, target), target, table, path, files, runId, summary);
    } finally {
      SparkMaterialized.release(raw);
      restore(previous);
    }
  }

  /**
   * For a table wider than {@code spark.sql.codegen.maxFields} (where Spark itself stops generating
   * whole-stage code), sets {@link #WIDE_SETTINGS} in the session and returns the values they
   * replace; otherwise changes nothing.
   */
  private Map<String, Option<String>> useWideSettings(int columns) {
    int maxFields = Integer.parseInt(spark.conf().get("spark.sql.codegen.maxFields", "100"));
    Map<String, Option<String>> previous = new LinkedHashMap<>();
    if (columns > maxFields) {
      for (Map.Entry<String, String> e : WIDE_SETTINGS.entrySet()) {
        previous.put(e.getKey(), spark.conf().getOption(e.getKey()));
        spark.conf().set(e.getKey(), e.getValue());
      }
    }
    return previous;
  }

  private void restore(Map<String, Option<String>> previous) {
    for (Map.Entry<String, Option<String>> e : previous.entrySet()) {
      if (e.getValue().isDefined()) {
        spark.conf().set(e.getKey(), e.getValue().get());
      } else {
        spark.conf().unset(e.getKey());
      }
    }
  }

  /**
   * The names of the helper columns that travel beside the typed data columns: fixed names, or a
   * variant (one more underscore) where a data column already has that name.
   */
  private record Helpers(String badField, String rawText, String line) {
    static Helpers avoiding(Set<String> taken) {
      return new Helpers(fresh("_bad_field", taken), fresh("_raw", taken), fresh("_line", taken));
    }

    private static String fresh(String base, Set<String> taken) {
      String n = base;
      while (taken.contains(n)) {
        n = n + "_";
      }
      return n;
    }
  }

  /** The typed rows, cached, with the helpers every later step reads instead of the wide data. */
  private record Typed(Dataset<Row> rows, Helpers helpers) {}

  /**
   * Converts every row once and keeps the result ({@link SparkMaterialized}): {@code _row_id},
   * {@code _source_file}, the typed data columns in schema order, then the corrupt-record marker,
   * the first column (in schema order) that failed to convert, the raw values as JSON and a row
   * number. Every later step (quarantine, counts, de-duplication) reads only the narrow helper
   * columns of this cache; only the table write reads the data columns again. Generated code for a
   * projection over thousands of columns takes long to compile, so the wide projections are made
   * once, not once per action.
   */
  private Typed typedOnce(Dataset<Row> raw, List<String> present, StructType target) {
    Set<String> taken = new HashSet<>(present);
    taken.addAll(Arrays.asList(target.fieldNames()));
    Helpers h = Helpers.avoiding(taken);
    // The first failed column is one flat coalesce, not a chain of nested CASE WHENs (whose depth
    // grows with the columns).
    List<Column> typed = new ArrayList<>();
    List<Column> failures = new ArrayList<>();
    for (StructField f : target.fields()) {
      Column value = Columns.col(f.name());
      Column converted = tryCast(value, f.dataType());
      typed.add(converted.as(f.name()));
      if (!f.dataType().equals(DataTypes.StringType)) {
        failures.add(when(value.isNotNull().and(converted.isNull()), lit(f.name())));
      }
    }
    failures.add(lit(null).cast(DataTypes.StringType));
    List<Column> first = new ArrayList<>();
    first.add(col(SOURCE_FILE));
    first.add(col(CORRUPT));
    first.add(coalesce(failures.toArray(Column[]::new)).as(h.badField()));
    first.add(to_json(struct(Columns.cols(present))).as(h.rawText()));
    first.add(monotonically_increasing_id().as(h.line()));
    first.addAll(typed);
    // Columns in name order, so that the id does not depend on the order of a file's columns.
    StructType byName =
        new StructType(
            Arrays.stream(target.fields())
                .sorted(java.util.Comparator.comparing(StructField::name))
                .toArray(StructField[]::new));
    List<Column> second = new ArrayList<>();
    second.add(sha2(to_json(struct(columns(byName))), 256).as(ROW_ID));
    second.add(col(SOURCE_FILE));
    second.addAll(Arrays.asList(columns(target)));
    for (String c : List.of(CORRUPT, h.badField(), h.rawText(), h.line())) {
      second.add(Columns.col(c));
    }
    Dataset<Row> rows =
        SparkMaterialized.of(
            raw.select(first.toArray(Column[]::new)).select(second.toArray(Column[]::new)));
    return new Typed(rows, h);
  }

  private String write(
      Typed typed,
      StructType target,
      String table,
      String path,
      List<String> files,
      String runId,
      RunSummary summary) {
    Dataset<Row> checked = typed.rows();
    Helpers h = typed.helpers();
    try {
      Column badField = Columns.col(h.badField());
      Column malformed = col(CORRUPT).isNotNull();
      Column unparsable = col(CORRUPT).isNull().and(badField.isNotNull());
      Dataset<Row> rejected =
          checked
              .where(malformed.or(unparsable))
              .select(
                  col(SOURCE_FILE).as("source_file"),
                  lit(-1L).as("position"),
                  lit(null).cast(DataTypes.StringType).as("record_id"),
                  when(malformed, lit("malformed_row"))
                      .otherwise(lit("unparsable_field"))
                      .as("reason"),
                  badField.as("field"),
                  when(malformed, lit("the line is not a well-formed record"))
                      .otherwise(
                          concat_ws(
                              "",
                              lit("value does not convert to the declared type of column "),
                              badField))
                      .as("detail"),
                  coalesce(col(CORRUPT), Columns.col(h.rawText())).as("raw_text"));
      Map<String, Long> quarantined =
          SparkQuarantine.write(spark, catalog, STAGE, rejected, rawMaxBytes, runId);

      Dataset<Row> good = checked.where(col(CORRUPT).isNull().and(badField.isNull()));
      Map<String, Long> goodPerFile = InputFiles.countPerFile(good, SOURCE_FILE);
      // Identical rows are one row; the first file (in sorted order) is its source. Which row
      // stays is decided on the narrow columns (id, file, row number), then the wide rows are
      // filtered by row number: no aggregate or sort over the data columns.
      Dataset<Row> keep =
          good.groupBy(col(ROW_ID))
              .agg(min(struct(col(SOURCE_FILE), Columns.col(h.line()))).as("_first"))
              .select(Columns.field("_first", h.line()).as(h.line()));
      List<Column> out = new ArrayList<>();
      out.add(col(ROW_ID));
      out.add(col(SOURCE_FILE));
      out.addAll(Arrays.asList(columns(target)));
      out.add(current_timestamp().as("_ingested_at"));
      out.add(lit(runId).as("_run_id"));
      Dataset<Row> rows =
          good.join(keep, toSeq(h.line()), "left_semi").select(out.toArray(Column[]::new));
      Map<String, Long> inserted =
          InputFiles.normalizeKeys(
              DeltaWrites.insertNewCounting(
                  spark, rows, path, List.of(ROW_ID), List.of(), SOURCE_FILE));

      Map<String, Long> inPerFile = InputFiles.countPerFile(checked, SOURCE_FILE);
      for (String f : files) {
        long in = inPerFile.getOrDefault(f, 0L);
        long q = quarantined.getOrDefault(f, 0L);
        long o = inserted.getOrDefault(f, 0L);
        long dup = goodPerFile.getOrDefault(f, 0L) - o;
        summary.add(new SourceCounts(STAGE + ":" + table, f, in, o, q, dup, 0));
      }
      summary.note(table, path);
      return path;
    } finally {
      SparkMaterialized.release(checked);
    }
  }

  private static scala.collection.immutable.Seq<String> toSeq(String name) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(name)).toList();
  }

  private Dataset<Row> readAsStrings(Format format, List<String> files) {
    String[] paths = files.toArray(String[]::new);
    Dataset<Row> df =
        switch (format) {
          case CSV -> {
            // The names Spark gives the header (an empty cell becomes _c<i>, a repeated one its
            // name and position); all files of a group share the header line, so the names apply
            // by position (enforceSchema: Spark's header check would reject those very names).
            StructType header =
                spark
                    .read()
                    .option("header", "true")
                    .option("inferSchema", "false")
                    .option("escape", "\"")
                    .csv(paths[0])
                    .schema();
            yield spark
                .read()
                .option("header", "true")
                .option("mode", "PERMISSIVE")
                .option("escape", "\"")
                .option("columnNameOfCorruptRecord", CORRUPT)
                .option("enforceSchema", "true")
                .schema(header.add(CORRUPT, DataTypes.StringType))
                .csv(paths);
          }
          case JSON -> {
            StructType inferred =
                spark
                    .read()
                    .option("primitivesAsString", "true")
                    .option("columnNameOfCorruptRecord", CORRUPT)
                    .json(paths)
                    .schema();
            List<StructField> strings = new ArrayList<>();
            boolean hasCorrupt = false;
            for (StructField f : inferred.fields()) {
              strings.add(DataTypes.createStructField(f.name(), DataTypes.StringType, true));
              hasCorrupt |= f.name().equals(CORRUPT);
            }
            if (!hasCorrupt) {
              strings.add(DataTypes.createStructField(CORRUPT, DataTypes.StringType, true));
            }
            yield spark
                .read()
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT)
                .schema(DataTypes.createStructType(strings))
                .json(paths);
          }
          case PARQUET -> {
            Dataset<Row> p = spark.read().parquet(paths);
            List<Column> cols = new ArrayList<>();
            for (StructField f : p.schema().fields()) {
              cols.add(Columns.col(f.name()).cast(DataTypes.StringType).as(f.name()));
            }
            cols.add(lit(null).cast(DataTypes.StringType).as(CORRUPT));
            yield p.select(cols.toArray(Column[]::new));
          }
        };
    // metadataColumn finds the file's path even when the data has a column named _metadata. The
    // caller caches the union of all parts: the corrupt-record column must be materialized before
    // filtering on it (Spark rule), and each part is read once, not once per action.
    return df.withColumn(SOURCE_FILE, df.metadataColumn("_metadata").getField("file_path"));
  }

  /** {@code files} grouped by their first line (the header), in order of first appearance. */
  private List<List<String>> byHeaderLine(List<String> files) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (String f : files) {
      groups.computeIfAbsent(firstLine(hadoop, f), k -> new ArrayList<>()).add(f);
    }
    return new ArrayList<>(groups.values());
  }

  private static String firstLine(Configuration hadoop, String file) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file);
    try (InputStream in = new BufferedInputStream(p.getFileSystem(hadoop).open(p))) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read();
          b >= 0 && b != '\n' && line.size() < MAX_HEADER_BYTES;
          b = in.read()) {
        line.write(b);
      }
      return line.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the header of " + file, e);
    }
  }

  private static List<String> dataColumns(Dataset<Row> df) {
    return Arrays.stream(df.columns())
        .filter(c -> !c.equals(CORRUPT) && !c.equals(SOURCE_FILE))
        .toList();
  }

  private static Dataset<Row> alignColumns(Dataset<Row> df, List<String> columns) {
    List<String> aligned = new ArrayList<>(columns);
    aligned.add(CORRUPT);
    aligned.add(SOURCE_FILE);
    if (aligned.equals(Arrays.asList(df.columns()))) {
      return df; // a projection over thousands of columns costs a code compilation per action
    }
    List<Column> cols = new ArrayList<>();
    Set<String> have = new HashSet<>(Arrays.asList(df.columns()));
    for (String c : columns) {
      cols.add(have.contains(c) ? Columns.col(c) : lit(null).cast(DataTypes.StringType).as(c));
    }
    cols.add(col(CORRUPT));
    cols.add(col(SOURCE_FILE));
    return df.select(cols.toArray(Column[]::new));
  }

  /**
   * For each column, the narrowest type that every non-null value converts to. The cells are
   * counted in long form, one row per (column position, value), grouped by position: the plan has a
   * fixed number of aggregates whatever the width, so inference is linear in the columns.
   */
  StructType infer(Dataset<Row> raw, List<String> columns) {
    if (columns.isEmpty()) {
      return new StructType();
    }
    Dataset<Row> cells =
        raw.where(col(CORRUPT).isNull())
            .select(posexplode(array(Columns.cols(columns))).as(new String[] {"_pos", "_v"}));
    List<Column> aggs = new ArrayList<>();
    for (DataType t : INFERENCE_ORDER) {
      aggs.add(count(col("_v").try_cast(t)));
    }
    Map<Integer, long[]> counts = new HashMap<>();
    for (Row r :
        cells
            .groupBy(col("_pos"))
            .agg(count(col("_v")), aggs.toArray(Column[]::new))
            .collectAsList()) {
      long[] c = new long[1 + INFERENCE_ORDER.size()];
      for (int k = 0; k < c.length; k++) {
        c[k] = r.getLong(1 + k);
      }
      counts.put(r.getInt(0), c);
    }
    StructField[] fields = new StructField[columns.size()];
    for (int i = 0; i < fields.length; i++) {
      long[] c = counts.getOrDefault(i, new long[1 + INFERENCE_ORDER.size()]);
      DataType chosen = DataTypes.StringType;
      for (int k = 0; k < INFERENCE_ORDER.size(); k++) {
        if (c[0] > 0 && c[1 + k] == c[0]) {
          chosen = INFERENCE_ORDER.get(k);
          break;
        }
      }
      fields[i] = DataTypes.createStructField(columns.get(i), chosen, true);
    }
    return DataTypes.createStructType(fields);
  }

  private static void checkNotReserved(String table, String[] names) {
    for (String n : names) {
      if (RESERVED.contains(n)) {
        throw IngestErrors.reservedColumn(table, n);
      }
    }
  }

  private static Column tryCast(Column c, DataType t) {
    if (t.equals(DataTypes.StringType)) {
      return c;
    }
    // Empty strings are missing values, not conversion failures.
    return when(length(c).equalTo(0), lit(null).cast(t)).otherwise(c.try_cast(t));
  }

  private static StructType parseSchema(String ddl) {
    if (ddl == null || ddl.isBlank()) {
      return null;
    }
    try {
      return StructType.fromDDL(ddl);
    } catch (RuntimeException e) {
      throw IngestErrors.badSchema(ddl, e);
    }
  }

  private static Column[] columns(StructType t) {
    return Columns.cols(Arrays.asList(t.fieldNames()));
  }
}
