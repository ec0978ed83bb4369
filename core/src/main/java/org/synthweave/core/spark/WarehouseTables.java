package org.synthweave.core.spark;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.synthweave.core.CoreErrors;

/**
 * The Delta tables of a warehouse under SQL names: {@code silver/documents} is {@code
 * silver.documents}, {@code _runs} is {@code _runs}. Tables are found on disk (every folder with a
 * {@code _delta_log} up to three levels down), so a table a stage added since is found too. Both
 * {@code synthweave sql} and the notebooks' {@code Workbench} go through here, so a name means the
 * same table in both.
 *
 * <p>{@link #sql} registers the tables a query names in the session catalog as external Delta
 * tables (the first segment is the database), which reads each one's log once; the databases live
 * in a temporary folder, never in the warehouse.
 */
public final class WarehouseTables {
  private static final int MAX_DEPTH = 3;
  private static final String DELTA_LOG = "_delta_log";

  /**
   * A table of the warehouse.
   *
   * @param name the SQL name, e.g. {@code silver.documents} or {@code _runs}
   * @param table the catalog name, e.g. {@code silver/documents}
   * @param path where it is stored
   */
  public record Table(String name, String table, String path) {
    /** The database part of the name, or null for a table at the warehouse's top level. */
    String database() {
      int dot = name.indexOf('.');
      return dot < 0 ? null : name.substring(0, dot);
    }

    /** The name quoted for SQL, e.g. {@code `silver`.`documents`}. */
    String quoted() {
      int dot = name.indexOf('.');
      return dot < 0
          ? Columns.quote(name)
          : Columns.quote(name.substring(0, dot)) + "." + Columns.quote(name.substring(dot + 1));
    }
  }

  /**
   * What a table holds now.
   *
   * @param name the SQL name
   * @param version the latest Delta version
   * @param rows rows at that version
   * @param files data files at that version
   * @param bytes bytes of those files
   */
  public record Info(String name, long version, long rows, long files, long bytes) {}

  private final SparkSession spark;
  private final String root;
  private final Set<String> registered = new HashSet<>();
  private static java.nio.file.Path catalogDir;

  public WarehouseTables(SparkSession spark, String root) {
    if (spark == null) {
      throw new IllegalArgumentException("spark must not be null");
    }
    if (root == null || root.isBlank()) {
      throw new IllegalArgumentException("root must not be blank");
    }
    this.spark = spark;
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
  }

  /** The warehouse root. */
  public String root() {
    return root;
  }

  /** Every Delta table of the warehouse now, sorted by name; empty if the root does not exist. */
  public List<Table> list() {
    List<Table> found = new ArrayList<>();
    try {
      Path base = new Path(root);
      FileSystem fs = base.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(base)) {
        String prefix = fs.getFileStatus(base).getPath().toString();
        walk(fs, base, prefix, 1, found);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the warehouse " + root, e);
    }
    found.sort(Comparator.comparing(Table::name));
    return found;
  }

  private static void walk(FileSystem fs, Path dir, String prefix, int depth, List<Table> out)
      throws IOException {
    for (FileStatus s : fs.listStatus(dir)) {
      String child = s.getPath().getName();
      if (!s.isDirectory() || child.startsWith(".") || child.equals(DELTA_LOG)) {
        continue;
      }
      if (fs.exists(new Path(s.getPath(), DELTA_LOG))) {
        String rel = s.getPath().toString().substring(prefix.length() + 1);
        out.add(new Table(sqlName(rel), rel, s.getPath().toString()));
      } else if (depth < MAX_DEPTH && !child.startsWith("_")) {
        walk(fs, s.getPath(), prefix, depth + 1, out);
      }
    }
  }

  /** {@code silver/documents} → {@code silver.documents}; deeper parts are joined with '_'. */
  static String sqlName(String table) {
    String[] parts = table.split("/");
    if (parts.length == 1) {
      return parts[0];
    }
    return parts[0] + "." + String.join("_", java.util.Arrays.copyOfRange(parts, 1, parts.length));
  }

  /** The SQL names of every table, sorted. */
  public List<String> names() {
    return list().stream().map(Table::name).toList();
  }

  /**
   * The table called {@code name} (its SQL name {@code silver.documents} or its catalog name {@code
   * silver/documents}); a name that is not there fails with one line listing the tables that are.
   */
  public Table find(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    List<Table> all = list();
    String n = name.strip();
    for (Table t : all) {
      if (t.name().equalsIgnoreCase(n) || t.table().equalsIgnoreCase(n)) {
        return t;
      }
    }
    throw CoreErrors.noSuchWarehouseTable(n, root, all.stream().map(Table::name).toList());
  }

  /** The rows of a table at its latest version. */
  public Dataset<Row> read(String name) {
    return spark.read().format("delta").load(find(name).path());
  }

  /** The rows of a table as of {@code version} (Delta time travel). */
  public Dataset<Row> read(String name, long version) {
    Table t = find(name);
    long latest = DeltaReads.latestVersion(spark, t.path());
    if (version < 0 || version > latest) {
      throw CoreErrors.noSuchTableVersion(t.name(), version, latest);
    }
    return DeltaReads.at(spark, t.path(), version);
  }

  /** Version, rows, files and bytes of a table now. */
  public Info info(Table t) {
    DeltaTable delta = DeltaTable.forPath(spark, t.path());
    long version = delta.history(1).first().<Long>getAs("version");
    Row detail = delta.detail().select("numFiles", "sizeInBytes").first();
    long rows = spark.read().format("delta").load(t.path()).count();
    return new Info(t.name(), version, rows, detail.getLong(0), detail.getLong(1));
  }

  /**
   * Runs one SQL query with the warehouse's tables under their names. Only the tables the query
   * mentions are registered (each costs a read of its log). A query Spark cannot parse or resolve
   * fails with one line: Spark's reason and the tables that exist.
   */
  public Dataset<Row> sql(String query) {
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("query must not be blank");
    }
    List<Table> all = list();
    for (Table t : all) {
      if (mentions(query, t.name())) {
        register(t);
      }
    }
    try {
      return spark.sql(query);
    } catch (Exception e) {
      // AnalysisException (a parse error, an unknown table or column) is checked to javac.
      if (e instanceof AnalysisException) {
        throw CoreErrors.badQuery(firstLine(e), root, all.stream().map(Table::name).toList(), e);
      }
      throw e;
    }
  }

  /**
   * The one-line reason of a failure Spark reports while a query runs (a cast that fails, a
   * division by zero), or null if {@code e} is not such a failure.
   */
  public static String queryFailure(Throwable e) {
    for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof SparkThrowable && t.getMessage() != null) {
        return firstLine(t);
      }
    }
    return null;
  }

  /**
   * {@code rows} with every column as text, for printing: arrays, maps and structs as JSON, binary
   * as Base64, the rest cast to string; nulls stay null.
   */
  public static Dataset<Row> printable(Dataset<Row> rows) {
    return rows.select(printableColumns(rows));
  }

  /** The columns of {@link #printable}, e.g. to hash whole rows. */
  public static Column[] printableColumns(Dataset<Row> rows) {
    StructField[] fields = rows.schema().fields();
    Column[] cols = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      Column c = rows.col(Columns.quote(fields[i].name()));
      DataType t = fields[i].dataType();
      if (t instanceof ArrayType || t instanceof MapType || t instanceof StructType) {
        c = functions.to_json(c);
      } else if (t instanceof BinaryType) {
        c = functions.base64(c);
      } else {
        c = c.cast(DataTypes.StringType);
      }
      cols[i] = c.as(fields[i].name());
    }
    return cols;
  }

  static boolean mentions(String query, String name) {
    Pattern p =
        Pattern.compile(
            "(?<![\\w.`])`?" + Pattern.quote(name).replace(".", "\\E`?\\.`?\\Q") + "`?(?![\\w`])",
            Pattern.CASE_INSENSITIVE);
    Matcher m = p.matcher(query);
    return m.find();
  }

  private synchronized void register(Table t) {
    if (registered.contains(t.name())) {
      return;
    }
    String db = t.database();
    if (db != null) {
      spark.sql(
          "CREATE DATABASE IF NOT EXISTS "
              + Columns.quote(db)
              + " LOCATION '"
              + escape(databaseDir().resolve(db).toUri().toString())
              + "'");
    }
    if (spark.catalog().tableExists(t.name())) {
      // Registered before on this session (another warehouse opened in the same notebook): if it
      // is another location, drop the entry, which for a table with a LOCATION leaves the data.
      String at = spark.sql("DESCRIBE DETAIL " + t.quoted()).first().getAs("location");
      if (new Path(at).toUri().getPath().equals(new Path(t.path()).toUri().getPath())) {
        registered.add(t.name());
        return;
      }
      spark.sql("DROP TABLE " + t.quoted());
    }
    spark.sql("CREATE TABLE " + t.quoted() + " USING delta LOCATION '" + escape(t.path()) + "'");
    registered.add(t.name());
  }

  private java.nio.file.Path databaseDir() {
    return java.nio.file.Path.of(sessionCatalogDir());
  }

  /**
   * A temporary folder of this JVM for the session catalog: pass it as {@code
   * spark.sql.warehouse.dir} to a session that runs {@link #sql}, else Spark creates a {@code
   * spark-warehouse} folder in the working directory when the catalog is first used.
   */
  public static synchronized String sessionCatalogDir() {
    if (catalogDir == null) {
      try {
        catalogDir = Files.createTempDirectory("synthweave-sql-catalog");
        catalogDir.toFile().deleteOnExit();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary folder for SQL databases", e);
      }
    }
    return catalogDir.toString();
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'");
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    int nl = m.indexOf('\n');
    String line = (nl < 0 ? m : m.substring(0, nl)).strip();
    return line;
  }
}
