package org.synthweave.notebook;

import io.delta.tables.DeltaTable;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.CoreConfig;
import org.synthweave.core.config.Settings;
import org.synthweave.core.spark.Columns;
import org.synthweave.core.spark.SparkSessions;
import org.synthweave.core.spark.WarehouseTables;
import org.synthweave.embedding.EmbeddingConfig;
import org.synthweave.jobs.Indexes;
import org.synthweave.jobs.ListingGet;
import org.synthweave.jobs.Main;
import org.synthweave.jobs.SparkMarketCatalog;
import org.synthweave.market.CatalogSearch;
import org.synthweave.market.Listing;
import org.synthweave.vectors.IndexConfig;
import org.synthweave.vectors.IndexDescriptor;
import org.synthweave.vectors.ShardSearcher;
import org.synthweave.vectors.VectorIndex;
import org.synthweave.verification.Certificate;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.VerificationReport;
import org.synthweave.verification.synthetic.SyntheticConfig;
import org.synthweave.verification.synthetic.SyntheticEvaluator;
import org.synthweave.verification.synthetic.SyntheticReport;

/**
 * The warehouse of a {@code synthweave run}, opened for a notebook: tables by name ({@code
 * silver.documents}), SQL, the run history, Delta time travel, the vector indexes and the market.
 *
 * <pre>{@code
 * Workbench wb = Workbench.open();        // SYNTHWEAVE_WAREHOUSE, else the config's warehouse
 * display("text/html", wb.show(wb.tables(), 50));
 * wb.sql("SELECT language, count(*) n FROM silver.documents GROUP BY language")
 * }</pre>
 *
 * <p>One local SparkSession ({@code local[2]} unless the configuration names a master) on loopback,
 * with Delta, no UI and only errors logged. Close it at the end of a notebook.
 */
public final class Workbench implements AutoCloseable {
  /** The environment variable naming the warehouse to open; else the config's {@code warehouse}. */
  public static final String WAREHOUSE_ENV = "SYNTHWEAVE_WAREHOUSE";

  /** The environment variable naming a job config file (HOCON), as {@code --conf} does. */
  public static final String CONF_ENV = "SYNTHWEAVE_CONF";

  /** Rows a chart helper reads from a table at most (a sample beyond that). */
  public static final int MAX_CHART_ROWS = 20_000;

  /**
   * Janino, which compiles Spark's generated code, traces at FINER through java.util.logging; the
   * rapaio kernel lets every level through, and formatting some of those records throws inside
   * Janino and fails the query. Held here so that the level set stays (loggers are weakly held).
   */
  private static final java.util.logging.Logger JANINO =
      java.util.logging.Logger.getLogger("org.codehaus");

  private final Settings settings;
  private final CoreConfig core;
  private final SparkSession spark;
  private final WarehouseTables tables;

  private Workbench(Settings settings) {
    this.settings = settings;
    this.core = CoreConfig.from(settings);
    // Spark's INFO lines would drown a notebook's output: the CLI's logging (warnings and errors
    // only), unless the kernel set its own; it applies if Spark's logging is not yet started.
    JANINO.setLevel(java.util.logging.Level.WARNING);
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "classpath:synthweave/log4j2.properties");
    }
    this.spark = SparkSessions.create(core);
    spark.sparkContext().setLogLevel("ERROR");
    this.tables = new WarehouseTables(spark, core.warehouse());
  }

  /**
   * Opens the warehouse named by {@code SYNTHWEAVE_WAREHOUSE}, else the one of the configuration
   * ({@code SYNTHWEAVE_CONF}, else the embedded conf/local.conf).
   */
  public static Workbench open() {
    String env = System.getenv(WAREHOUSE_ENV);
    List<String> sets = new ArrayList<>();
    if (env != null && !env.isBlank()) {
      sets.add("warehouse=" + env.strip());
    }
    String conf = System.getenv(CONF_ENV);
    return open(conf == null || conf.isBlank() ? null : Path.of(conf.strip()), sets);
  }

  /** Opens {@code warehouse} with the embedded configuration. */
  public static Workbench open(String warehouse) {
    if (warehouse == null || warehouse.isBlank()) {
      throw new IllegalArgumentException("warehouse must not be blank");
    }
    return open(null, List.of("warehouse=" + warehouse));
  }

  /**
   * Opens the warehouse of {@code confFile} (may be null) with {@code KEY=VALUE} overrides, as the
   * command line's {@code --conf} and {@code --set} do.
   */
  public static Workbench open(Path confFile, List<String> sets) {
    List<String> all = new ArrayList<>();
    // A notebook's own defaults, before the caller's: two cores, loopback, no progress lines.
    Settings plain = Main.settings(confFile, sets);
    if (CoreConfig.from(plain).sparkMaster().isBlank()) {
      all.add("spark.master=local[2]");
    }
    all.add("spark.ui=false");
    all.add("progress.interval-ms=0");
    all.add("spark.app-name=synthweave-notebook");
    all.add("spark.conf.spark.driver.host=127.0.0.1");
    all.add("spark.conf.spark.driver.bindAddress=127.0.0.1");
    all.add(
        CoreConfig.SPARK_CONF_PREFIX
            + "spark.sql.warehouse.dir="
            + WarehouseTables.sessionCatalogDir());
    all.addAll(sets);
    return new Workbench(Main.settings(confFile, all));
  }

  /** The SparkSession, for anything this class does not cover. */
  public SparkSession spark() {
    return spark;
  }

  /** The warehouse root. */
  public String warehouse() {
    return core.warehouse();
  }

  /** The resolved configuration. */
  public Settings settings() {
    return settings;
  }

  // ---- tables ----

  /** The SQL names of every Delta table of the warehouse, e.g. silver.documents, _runs. */
  public List<String> tableNames() {
    return tables.names();
  }

  /** Every table with its latest version, rows, data files and bytes, by name. */
  public Dataset<Row> tables() {
    List<Row> rows = new ArrayList<>();
    for (WarehouseTables.Table t : tables.list()) {
      WarehouseTables.Info i = tables.info(t);
      rows.add(RowFactory.create(i.name(), i.version(), i.rows(), i.files(), i.bytes()));
    }
    StructType schema =
        new StructType()
            .add("name", DataTypes.StringType, false)
            .add("version", DataTypes.LongType, false)
            .add("rows", DataTypes.LongType, false)
            .add("files", DataTypes.LongType, false)
            .add("bytes", DataTypes.LongType, false);
    return spark.createDataFrame(rows, schema);
  }

  /**
   * A table by name ({@code silver.documents} or {@code silver/documents}); a name that does not
   * exist fails with one line listing the tables that do.
   */
  public Dataset<Row> table(String name) {
    return tables.read(name);
  }

  /** A table as of one of its Delta versions (time travel). */
  public Dataset<Row> table(String name, long version) {
    return tables.read(name, version);
  }

  /** One SQL query with every table under its name, e.g. {@code SELECT * FROM _runs}. */
  public Dataset<Row> sql(String query) {
    return tables.sql(query);
  }

  /** The run history ({@code _runs}): one row per stage and source per run, newest first. */
  public Dataset<Row> runs() {
    return table(TableCatalog.RUNS)
        .orderBy(
            functions.col("finished_at").desc(), functions.col("stage"), functions.col("source"));
  }

  /** The Delta history of a table: version, time, operation and its metrics, newest first. */
  public Dataset<Row> history(String name) {
    WarehouseTables.Table t = tables.find(name);
    return DeltaTable.forPath(spark, t.path())
        .history()
        .select("version", "timestamp", "operation", "operationParameters", "operationMetrics")
        .orderBy(functions.col("version").desc());
  }

  /**
   * What changed in a table between two versions: the rows of {@code to} that {@code from} does not
   * hold ({@code _change} = added) and those of {@code from} that {@code to} does not hold
   * (removed). Rows compare by every column; an updated row shows as one removed and one added.
   */
  public Dataset<Row> diff(String name, long from, long to) {
    Dataset<Row> a = keyed(table(name, from));
    Dataset<Row> b = keyed(table(name, to));
    Column key = functions.col("_row_key");
    Dataset<Row> added =
        b.join(a.select(key), b.col("_row_key").equalTo(a.col("_row_key")), "left_anti");
    Dataset<Row> removed =
        a.join(b.select(key), a.col("_row_key").equalTo(b.col("_row_key")), "left_anti");
    return added
        .withColumn("_change", functions.lit("added"))
        .unionByName(removed.withColumn("_change", functions.lit("removed")), true)
        .drop("_row_key")
        .select(changeFirst(added.columns()));
  }

  private static Dataset<Row> keyed(Dataset<Row> rows) {
    Column key =
        functions.sha2(
            functions.to_json(functions.struct(WarehouseTables.printableColumns(rows))), 256);
    return rows.withColumn("_row_key", key);
  }

  private static Column[] changeFirst(String[] columns) {
    List<Column> out = new ArrayList<>();
    out.add(functions.col("_change"));
    for (String c : columns) {
      if (!c.equals("_row_key")) {
        out.add(Columns.col(c));
      }
    }
    return out.toArray(Column[]::new);
  }

  // ---- vector indexes ----

  /** Every vector index of the warehouse: name, kind (text or row), model, vectors and shards. */
  public Dataset<Row> indexes() {
    List<Row> rows = new ArrayList<>();
    Path dir = Path.of(new TableCatalog(warehouse()).path("index"));
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.sorted().toList()) {
          if (Files.isDirectory(p)) {
            IndexDescriptor d = IndexDescriptor.read(p);
            rows.add(
                RowFactory.create(
                    d.name(), d.kind(), d.model(), d.vectors(), d.shards().size(), d.dimensions()));
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot list the indexes in " + dir, e);
      }
    }
    StructType schema =
        new StructType()
            .add("name", DataTypes.StringType)
            .add("kind", DataTypes.StringType)
            .add("model", DataTypes.StringType)
            .add("vectors", DataTypes.LongType)
            .add("shards", DataTypes.IntegerType)
            .add("dimensions", DataTypes.IntegerType);
    return spark.createDataFrame(rows, schema);
  }

  /**
   * The {@code k} passages nearest to {@code query} in the text index of the configured sentence
   * model, as {@code synthweave search} finds them; {@code filters} are {@code FIELD=VALUE} (e.g.
   * {@code language=en}), all must hold.
   */
  public Dataset<Row> search(String query, int k, String... filters) {
    return search(null, query, k, filters);
  }

  /** As {@link #search(String, int, String...)} in the index called {@code index}. */
  public Dataset<Row> search(String index, String query, int k, String... filters) {
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("query must not be blank");
    }
    EmbeddingConfig embed = EmbeddingConfig.from(settings);
    try (VectorIndex vi = openIndex(index)) {
      return hits(vi, Indexes.embedQuery(vi, embed, query), k, filters);
    }
  }

  /**
   * The {@code k} vectors nearest to the indexed vector {@code id} in {@code index} (null: the text
   * index), the first being {@code id} itself: a document's neighbours, or for a row index (e.g.
   * {@code row-silver-telemetry}) the readings most like a given one.
   */
  public Dataset<Row> neighbours(String index, String id, int k, String... filters) {
    try (VectorIndex vi = openIndex(index)) {
      float[] v = vi.vector(id);
      if (v == null) {
        throw NotebookErrors.unknownId(vi.descriptor().name(), id);
      }
      return hits(vi, v, k, filters);
    }
  }

  private VectorIndex openIndex(String index) {
    IndexConfig cfg = IndexConfig.from(settings);
    return VectorIndex.open(
        Indexes.dir(new TableCatalog(warehouse()), EmbeddingConfig.from(settings), index),
        cfg.searchThreads(),
        cfg.searchSpinMicros());
  }

  private Dataset<Row> hits(VectorIndex vi, float[] vector, int k, String... filters) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    IndexConfig cfg = IndexConfig.from(settings);
    List<ShardSearcher.Hit> hits =
        vi.search(
            vector, k, Math.max(k, cfg.searchCandidates()), Indexes.filters(List.of(filters)));
    List<Row> rows = new ArrayList<>();
    int rank = 1;
    for (ShardSearcher.Hit h : hits) {
      Map<String, String> f = h.fields();
      rows.add(
          RowFactory.create(
              rank++,
              h.id(),
              (double) h.score(),
              f.getOrDefault("title", f.get("url")),
              f.get("snippet"),
              scala.jdk.javaapi.CollectionConverters.asScala(new LinkedHashMap<>(f))));
    }
    StructType schema =
        new StructType()
            .add("rank", DataTypes.IntegerType)
            .add("id", DataTypes.StringType)
            .add("score", DataTypes.DoubleType)
            .add("title", DataTypes.StringType)
            .add("snippet", DataTypes.StringType)
            .add("fields", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));
    return spark.createDataFrame(rows, schema);
  }

  // ---- market ----

  /**
   * Searches the market catalog of this warehouse (what market sync stored) as {@code market
   * search} does, hybrid ranking, verified listings only. {@code filters} are {@code FIELD=VALUE}:
   * kind=real|augmented|synthetic|embeddings, owner=, license=, or a license tag.
   */
  public Dataset<Row> marketSearch(String query, int k, String... filters) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    SparkMarketCatalog catalog = new SparkMarketCatalog(spark, new TableCatalog(warehouse()));
    SparkMarketCatalog.Found found =
        catalog.search(
            EmbeddingConfig.from(settings),
            query,
            CatalogSearch.Mode.HYBRID,
            SparkMarketCatalog.filters(List.of(filters), null, null, false),
            CatalogSearch.Sort.RELEVANCE,
            k);
    List<Row> rows = new ArrayList<>();
    int rank = 1;
    for (CatalogSearch.Hit h : found.hits()) {
      Listing l = h.listing();
      rows.add(
          RowFactory.create(
              rank++,
              h.score(),
              l.title(),
              l.dataset(),
              l.version(),
              l.kind().label(),
              l.rows(),
              l.qualityScore(),
              l.license(),
              l.status().label(),
              l.gateway(),
              l.id()));
    }
    StructType schema =
        new StructType()
            .add("rank", DataTypes.IntegerType)
            .add("score", DataTypes.DoubleType)
            .add("title", DataTypes.StringType)
            .add("dataset", DataTypes.StringType)
            .add("version", DataTypes.StringType)
            .add("kind", DataTypes.StringType)
            .add("rows", DataTypes.LongType)
            .add("quality_score", DataTypes.DoubleType)
            .add("license", DataTypes.StringType)
            .add("status", DataTypes.StringType)
            .add("gateway", DataTypes.StringType)
            .add("id", DataTypes.StringType);
    return spark.createDataFrame(rows, schema);
  }

  /**
   * A dataset bought from the market: where it is, what verification found, and its rows.
   *
   * @param id the listing's id
   * @param dir the folder it was downloaded into
   * @param report the verification report (no problems, or get would have failed)
   * @param owner the address that signed it
   * @param rows the dataset's Parquet rows
   */
  public record Purchase(
      String id, Path dir, VerificationReport report, String owner, Dataset<Row> rows) {
    /** The signed certificate of the dataset's checks, or null for a manifest without one. */
    public Certificate certificate() {
      return report.certificate();
    }
  }

  /**
   * Downloads listing {@code id} from {@code gateway} into {@code dir} (new or empty) and verifies
   * it as {@code market get} does: every file against what its owner signed on Arweave, the
   * manifest, the certificate, and that the manifest's signer is the listing's owner. Progress and
   * the outcome are printed; a dataset that does not verify fails with one line and is not loaded.
   */
  public Purchase get(String id, URI gateway, Path dir) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    ListingGet.Result r = ListingGet.get(id, dir, gateway, out, out);
    // The data files the verified manifest signed, not whatever else the folder holds.
    String[] files =
        DatasetManifest.readFrom(r.dir()).dataFiles().stream()
            .map(f -> r.dir().resolve(f.path()).toString())
            .toArray(String[]::new);
    Dataset<Row> rows = spark.read().parquet(files);
    return new Purchase(id, r.dir(), r.report(), r.owner(), rows);
  }

  /** The checks of a certificate as a table: dataset, check, column, metric, value, rule, pass. */
  public Dataset<Row> checks(Certificate certificate) {
    List<Row> rows = new ArrayList<>();
    if (certificate != null) {
      for (Certificate.CheckSet set : certificate.checks()) {
        for (var e : set.results()) {
          rows.add(
              RowFactory.create(
                  set.dataset(),
                  set.table(),
                  set.tableVersion(),
                  e.check(),
                  e.column(),
                  e.metric(),
                  e.value(),
                  e.threshold(),
                  e.pass()));
        }
      }
    }
    StructType schema =
        new StructType()
            .add("dataset", DataTypes.StringType)
            .add("table", DataTypes.StringType)
            .add("table_version", DataTypes.LongType)
            .add("check", DataTypes.StringType)
            .add("column", DataTypes.StringType)
            .add("metric", DataTypes.StringType)
            .add("value", DataTypes.DoubleType)
            .add("threshold", DataTypes.StringType)
            .add("pass", DataTypes.BooleanType);
    return spark.createDataFrame(rows, schema);
  }

  // ---- synthetic data ----

  /**
   * Fidelity and privacy of a synthetic table against the real one, as {@code evaluate-synthetic}
   * computes them (TSTR, detection AUC and the columns that gave the synthetic rows away, DCR,
   * distributions and correlations); {@code overrides} are {@code verify.synthetic.*} settings,
   * e.g. {@code Map.of("verify.synthetic.baseline", false)} to skip the baseline.
   */
  public SyntheticReport evaluateSynthetic(
      String real, String synthetic, String target, Map<String, Object> overrides) {
    Settings s = settings;
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      s = s.with(e.getKey(), e.getValue());
    }
    SyntheticConfig cfg = SyntheticConfig.from(s);
    return new SyntheticEvaluator(cfg.options())
        .evaluate(table(real), null, cfg.holdoutFraction(), table(synthetic), target);
  }

  // ---- columns for charts ----

  /**
   * The values of a numeric column (nulls left out), at most {@link #MAX_CHART_ROWS} of them (a
   * seeded sample of a larger table).
   */
  public double[] doubles(Dataset<Row> rows, String column) {
    List<Row> got =
        capped(rows.select(Columns.col(column).cast(DataTypes.DoubleType)).na().drop())
            .collectAsList();
    double[] out = new double[got.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = got.get(i).getDouble(0);
    }
    return out;
  }

  /** Two numeric columns as {@code {xs, ys}} (rows with a null left out), ordered by x. */
  public double[][] xy(Dataset<Row> rows, String x, String y) {
    List<Row> got =
        capped(
                rows.select(
                        Columns.col(x).cast(DataTypes.DoubleType).as("x"),
                        Columns.col(y).cast(DataTypes.DoubleType).as("y"))
                    .na()
                    .drop())
            .orderBy("x")
            .collectAsList();
    double[][] out = new double[2][got.size()];
    for (int i = 0; i < got.size(); i++) {
      out[0][i] = got.get(i).getDouble(0);
      out[1][i] = got.get(i).getDouble(1);
    }
    return out;
  }

  /**
   * Series of {@code {xs, ys}} per value of {@code key} (e.g. one line per device), at most {@code
   * maxSeries} of them, in key order.
   */
  public Map<String, double[][]> series(
      Dataset<Row> rows, String key, String x, String y, int maxSeries) {
    List<String> keys =
        rows.select(Columns.col(key).cast(DataTypes.StringType).as("k"))
            .na()
            .drop()
            .distinct()
            .orderBy("k")
            .limit(maxSeries)
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    Map<String, double[][]> out = new LinkedHashMap<>();
    for (String k : keys) {
      out.put(k, xy(rows.filter(Columns.col(key).cast(DataTypes.StringType).equalTo(k)), x, y));
    }
    return out;
  }

  private static Dataset<Row> capped(Dataset<Row> rows) {
    return rows.limit(MAX_CHART_ROWS);
  }

  // ---- output ----

  /** The first {@code n} rows as an HTML table: {@code display("text/html", wb.show(rows, 20))}. */
  public String show(Dataset<Row> rows, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, got " + n);
    }
    List<Row> got = WarehouseTables.printable(rows).limit(n + 1).collectAsList();
    List<List<String>> cells = new ArrayList<>();
    for (Row r : got.subList(0, Math.min(n, got.size()))) {
      List<String> line = new ArrayList<>();
      for (int c = 0; c < r.size(); c++) {
        line.add(r.isNullAt(c) ? null : r.getString(c));
      }
      cells.add(line);
    }
    String caption = got.size() > n ? "first " + n + " rows" : got.size() + " rows";
    return Html.table(caption, Arrays.asList(rows.columns()), cells);
  }

  /** Stops the SparkSession. */
  @Override
  public void close() {
    spark.stop();
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }
}
