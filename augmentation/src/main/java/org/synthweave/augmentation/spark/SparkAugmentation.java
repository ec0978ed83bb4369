package org.synthweave.augmentation.spark;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.synthweave.augmentation.spark.SparkConstraints.q;

import io.delta.tables.DeltaTable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import org.synthweave.augmentation.AugmentOp;
import org.synthweave.augmentation.AugmentationConfig;
import org.synthweave.augmentation.AugmentationErrors;
import org.synthweave.augmentation.DatasetKind;
import org.synthweave.augmentation.DatasetSpec;
import org.synthweave.augmentation.OpSpec;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.run.CommitLineage;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.spark.DeltaReads;
import org.synthweave.core.spark.DeltaWrites;
import org.synthweave.core.spark.SparkQuarantine;

/**
 * The augment stage on Spark: reads a dataset's source table, makes the configured number of copies
 * of every row (per class), runs the op list over them, checks the constraints after every op,
 * writes valid rows with provenance to {@code gold/<dataset>_augmented} (merged by {@link #AUG_ID},
 * so a rerun adds nothing) and rejected ones to {@code quarantine/augment}.
 *
 * <p>The output holds augmented rows only ({@code origin = augmented}); the real rows stay in the
 * source table. Every value is a function of (run seed, source id, op index, copy, draw), see
 * {@link SparkDraws}.
 */
public final class SparkAugmentation {
  public static final String STAGE = "augment";

  /** Provenance: always {@code augmented} in this stage's output. */
  public static final String ORIGIN = "origin";

  /** Provenance: SHA-256 of (source table, source id, seed, copy, op list); the merge key. */
  public static final String AUG_ID = "aug_id";

  /** Provenance: the id of the real row this row was made from. */
  public static final String SOURCE_ID = "aug_source_id";

  /** Provenance: ids of the real rows mixed in (mixup, SMOTE partners), in op order. */
  public static final String PARTNERS = "aug_partner_ids";

  /**
   * With a {@code mixup labels = mix} op: the weight of the row's label in its soft label, lambda
   * where the partner was of another class, else 1 (the rest goes to {@link #MIX_LABEL}).
   */
  public static final String LABEL_WEIGHT = "aug_label_weight";

  /** With a {@code mixup labels = mix} op: the partner's label (the row's own if not mixed). */
  public static final String MIX_LABEL = "aug_mix_label";

  /** Provenance: 0, 1, ... among the copies of one source row. */
  public static final String COPY = "aug_copy";

  /** Provenance: the op list with every parameter, as JSON. */
  public static final String OPS = "aug_ops";

  /** Provenance: the run seed. */
  public static final String SEED = "aug_seed";

  /** Provenance: the table the real rows came from. */
  public static final String SOURCE_TABLE = "aug_source_table";

  /** Provenance: the run that wrote the row. */
  public static final String RUN_ID = "aug_run_id";

  private final SparkSession spark;
  private final TableCatalog catalog;
  private final AugmentationConfig cfg;
  private final String runId;

  public SparkAugmentation(
      SparkSession spark, TableCatalog catalog, AugmentationConfig cfg, String runId) {
    this.spark = spark;
    this.catalog = catalog;
    this.cfg = cfg;
    this.runId = runId;
  }

  /** What {@link #plan} made: the rows (valid and rejected) and the rows expected before cuts. */
  public record Plan(Dataset<Row> rows, long expected, Dataset<Row> real) {
    /** Frees the cached real rows once the plan's rows are written or no longer needed. */
    public void release() {
      real.unpersist();
    }

    /** The rows that passed every constraint, without the internal violation columns. */
    public Dataset<Row> valid() {
      return rows.where(col(SparkConstraints.VIOLATION).isNull()).drop(SparkConstraints.VIOLATION);
    }
  }

  /**
   * Augments the configured dataset {@code name} from its source table, read at its latest version,
   * which the output's commit records.
   */
  public void augment(String name, RunSummary summary) {
    DatasetSpec spec = cfg.spec(name);
    String path = catalog.path(spec.source());
    if (!DeltaTable.isDeltaTable(spark, path)) {
      throw AugmentationErrors.noSourceTable(name, spec.source(), path);
    }
    DeltaReads.Pinned source = DeltaReads.latest(spark, path);
    augment(spec, source.rows(), source.version(), summary);
  }

  /**
   * Augments {@code source} as {@code spec} says, recording no source version; see {@link
   * #augment(DatasetSpec, Dataset, Long, RunSummary)}.
   */
  public void augment(DatasetSpec spec, Dataset<Row> source, RunSummary summary) {
    augment(spec, source, null, summary);
  }

  /**
   * Augments {@code source} as {@code spec} says, writes the output and quarantine and adds the
   * counts to {@code summary}: rows in (augmented candidates) = out + quarantined + duplicates
   * (already in the output table); rows cut away by slice/crop are reported as skipped. The
   * output's commit records {@code spec.source()} at {@code sourceVersion}, the Delta version
   * {@code source} holds (null: unknown, nothing recorded).
   */
  public void augment(
      DatasetSpec spec, Dataset<Row> source, Long sourceVersion, RunSummary summary) {
    spark.sparkContext().setJobDescription("augment " + spec.name());
    Plan plan = plan(spec, source);
    Dataset<Row> all = plan.rows().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long total = all.count();
      Dataset<Row> bad = all.where(col(SparkConstraints.VIOLATION).isNotNull());
      Column violation = col(SparkConstraints.VIOLATION);
      Dataset<Row> rejected =
          bad.select(
              lit(spec.source()).as("source_file"),
              col(COPY).cast("long").as("position"),
              col(SOURCE_ID).as("record_id"),
              split(violation, ":", 3).getItem(0).as("reason"),
              split(violation, ":", 3).getItem(1).as("field"),
              split(violation, ":", 3).getItem(2).as("detail"),
              to_json(struct(outputColumns(bad))).as("raw_text"));
      long quarantined =
          SparkQuarantine.write(spark, catalog, STAGE, rejected, cfg.rawMaxBytes(), runId)
              .values()
              .stream()
              .mapToLong(Long::longValue)
              .sum();
      long inserted =
          DeltaWrites.insertNew(
              spark,
              plan.valid(),
              catalog.path(spec.target()),
              List.of(AUG_ID),
              List.of(),
              CommitLineage.of(STAGE, spec.source(), sourceVersion, runId));
      long valid = total - quarantined;
      summary.add(
          new SourceCounts(
              STAGE,
              spec.source(),
              total,
              inserted,
              quarantined,
              valid - inserted,
              Math.max(0, plan.expected() - total)));
      summary.note("augment " + spec.name(), spec.source() + " -> " + spec.target());
    } finally {
      all.unpersist();
      plan.release();
      spark.sparkContext().setJobDescription(null);
    }
  }

  private static Column[] outputColumns(Dataset<Row> rows) {
    List<Column> out = new ArrayList<>();
    for (String c : rows.columns()) {
      if (!c.startsWith("_aug_")) {
        out.add(col(q(c)));
      }
    }
    return out.toArray(Column[]::new);
  }

  /**
   * The augmented rows of {@code source} without writing anything: the output columns, provenance
   * and the internal violation columns ({@link Plan#valid()} drops them).
   */
  public Plan plan(DatasetSpec spec, Dataset<Row> source) {
    Map<String, DataType> types = new LinkedHashMap<>();
    for (StructField f : source.schema().fields()) {
      types.put(f.name(), f.dataType());
    }
    String idCol = idColumn(spec, types.keySet());
    for (String role : List.of("label", "series", "time", "lat", "lon", "column")) {
      String c =
          switch (role) {
            case "label" -> spec.label();
            case "series" -> spec.series();
            case "time" -> spec.time();
            case "lat" -> spec.lat();
            case "lon" -> spec.lon();
            default -> spec.column();
          };
      if (!c.isEmpty() && !types.containsKey(c)) {
        throw AugmentationErrors.missingColumn(spec.name(), role, c, types.keySet());
      }
    }
    Set<String> reserved = new HashSet<>();
    reserved.add(idCol);
    for (String c : List.of(spec.label(), spec.series(), spec.time(), spec.column())) {
      if (!c.isEmpty()) {
        reserved.add(c);
      }
    }
    reserved.addAll(spec.drop());
    // Positions move only by gps-perturb (which keeps speeds plausible), unless named in columns.
    for (String c : List.of(spec.lat(), spec.lon())) {
      if (!c.isEmpty() && !spec.columns().contains(c)) {
        reserved.add(c);
      }
    }
    List<String> numeric = new ArrayList<>();
    List<String> categorical = new ArrayList<>();
    for (Map.Entry<String, DataType> e : types.entrySet()) {
      String c = e.getKey();
      if (c.startsWith("_") || reserved.contains(c)) {
        continue;
      }
      if (isNumeric(e.getValue()) && (spec.columns().isEmpty() || spec.columns().contains(c))) {
        numeric.add(c);
      } else if (e.getValue().equals(DataTypes.StringType)
          && (spec.categorical().isEmpty() || spec.categorical().contains(c))) {
        categorical.add(c);
      }
    }
    for (String c : spec.columns()) {
      if (!types.containsKey(c)) {
        throw AugmentationErrors.missingColumn(spec.name(), "columns", c, types.keySet());
      }
      if (!numeric.contains(c)) {
        throw AugmentationErrors.wrongColumnType(
            spec.name(), "columns", c, types.get(c).simpleString(), "numeric");
      }
    }
    Column sid =
        idCol.isEmpty()
            ? contentId(source)
            : coalesce(col(q(idCol)).cast("string"), contentId(source));
    // Rows sharing an id (identical rows under a content id) are one source row; which one is
    // kept is fixed by content, not by partitioning.
    Dataset<Row> real =
        source
            .withColumn(SOURCE_ID, sid)
            .withColumn(
                "_aug_dup",
                row_number()
                    .over(Window.partitionBy(col(SOURCE_ID)).orderBy(to_json(struct(col("*"))))))
            .where(col("_aug_dup").equalTo(1))
            .drop("_aug_dup");
    real = real.persist(StorageLevel.MEMORY_AND_DISK());

    Map<String, Double> mean = new HashMap<>();
    Map<String, Double> std = new HashMap<>();
    Map<String, double[]> bounds = new HashMap<>();
    Set<String> integral = new HashSet<>();
    if (!numeric.isEmpty()) {
      List<Column> aggs = new ArrayList<>();
      for (String c : numeric) {
        Column x = col(q(c)).cast("double");
        aggs.add(avg(x));
        aggs.add(stddev_pop(x));
        aggs.add(min(x));
      }
      Row stats =
          real.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
      for (int i = 0; i < numeric.size(); i++) {
        String c = numeric.get(i);
        mean.put(c, rounded(stats.get(3 * i)));
        std.put(c, rounded(stats.get(3 * i + 1)));
        double[] declared = spec.constraints().get(c);
        double[] mm = declared == null ? new double[] {Double.NaN, Double.NaN} : declared.clone();
        Object observedMin = stats.get(3 * i + 2);
        double validDegrees = c.equals(spec.lat()) ? 90 : c.equals(spec.lon()) ? 180 : Double.NaN;
        if (!Double.isNaN(validDegrees)) {
          // A position is valid on the globe, wherever the real rows happen to lie.
          mm[0] = Double.isNaN(mm[0]) ? -validDegrees : Math.max(mm[0], -validDegrees);
          mm[1] = Double.isNaN(mm[1]) ? validDegrees : Math.min(mm[1], validDegrees);
        } else if (Double.isNaN(mm[0])
            && observedMin != null
            && ((Number) observedMin).doubleValue() >= 0) {
          // A column that is never negative in the real rows stays so (counts, amounts, sizes).
          mm[0] = 0;
        }
        bounds.put(c, mm);
        if (isIntegral(types.get(c))) {
          integral.add(c);
        }
      }
    }
    for (String c : List.of(spec.lat(), spec.lon())) {
      if (c.isEmpty()) {
        continue;
      }
      if (!isNumeric(types.get(c))) {
        throw AugmentationErrors.wrongColumnType(
            spec.name(),
            c.equals(spec.lat()) ? "lat" : "lon",
            c,
            types.get(c).simpleString(),
            "numeric (degrees)");
      }
      if (!bounds.containsKey(c)) {
        double d = c.equals(spec.lat()) ? 90 : 180;
        bounds.put(c, new double[] {-d, d});
      }
    }
    for (String c : spec.constraints().keySet()) {
      if (!numeric.contains(c)) {
        throw AugmentationErrors.missingColumn(
            spec.name(), "constraints", c, numeric.isEmpty() ? List.of("(none)") : numeric);
      }
    }
    Map<String, List<String>> domains = domains(real, categorical);
    SparkConstraints constraints = new SparkConstraints(bounds, integral, domains);
    AugmentContext ctx =
        new AugmentContext(spec, cfg.seed(), real, numeric, categorical, mean, std, constraints);

    // Copies per class (or per row when there is no label).
    Map<String, Long> classCounts = new LinkedHashMap<>();
    if (!spec.label().isEmpty() && spec.kind() != DatasetKind.TIME_SERIES) {
      for (Row r : real.groupBy(col(q(spec.label())).cast("string")).count().collectAsList()) {
        classCounts.put(r.getString(0), r.getLong(1));
      }
    } else {
      classCounts.put(null, real.count());
    }
    long largest = classCounts.values().stream().mapToLong(Long::longValue).max().orElse(0);
    Column copies = null;
    long expected = 0;
    for (Map.Entry<String, Long> e : classCounts.entrySet()) {
      int k = copiesFor(spec, e.getKey(), e.getValue(), largest);
      expected += k * e.getValue();
      Column isClass =
          e.getKey() == null
              ? (spec.label().isEmpty() || spec.kind() == DatasetKind.TIME_SERIES
                  ? lit(true)
                  : col(q(spec.label())).isNull())
              : col(q(spec.label())).cast("string").equalTo(lit(e.getKey()));
      copies = copies == null ? when(isClass, lit(k)) : copies.when(isClass, lit(k));
    }
    copies = copies == null ? lit(0) : copies.otherwise(lit(0));
    Dataset<Row> rows =
        real.select(
                col("*"),
                posexplode(array_repeat(lit(true), copies)).as(new String[] {COPY, "_aug_rep"}))
            .drop("_aug_rep")
            .withColumn(PARTNERS, array().cast("array<string>"))
            .withColumn(SparkConstraints.VIOLATION, lit(null).cast("string"));

    long mixing =
        spec.ops().stream()
            .filter(o -> o.op() == AugmentOp.MIXUP && SparkTabularOps.mixesLabels(spec.name(), o))
            .count();
    if (mixing > 1) {
      throw AugmentationErrors.badOption(
          DatasetSpec.PREFIX + spec.name() + ".ops",
          OpSpec.describe(spec.ops()),
          "only one mixup may mix labels (labels = mix): a second would mix three labels,"
              + " which aug_label_weight and aug_mix_label cannot hold");
    }
    if (mixing == 1) {
      if (spec.label().isEmpty()) {
        throw AugmentationErrors.needsLabel(spec.name(), AugmentOp.MIXUP.id());
      }
      rows = rows.withColumn(LABEL_WEIGHT, lit(1.0)).withColumn(MIX_LABEL, col(q(spec.label())));
    }
    for (OpSpec op : spec.ops()) {
      rows =
          switch (op.op().kind()) {
            case TABULAR ->
                stageBoundary(SparkTabularOps.apply(ctx, op, rows), spec.name(), op.index());
            case TIME_SERIES ->
                stageBoundary(SparkTimeSeriesOps.apply(ctx, op, rows), spec.name(), op.index());
            case TEXT -> SparkTextOps.apply(ctx, op, rows, cfg.wordnetDir());
            case IMAGE -> SparkImageOps.apply(ctx, op, rows);
          };
    }
    if (spec.kind() == DatasetKind.IMAGE) {
      rows = SparkImageOps.checkSize(ctx, rows);
    } else if (spec.kind() == DatasetKind.TEXT) {
      rows = SparkTextOps.checkNotEmpty(ctx, rows);
    }

    String opsJson = OpSpec.describe(spec.ops());
    List<Column> out = new ArrayList<>();
    for (Map.Entry<String, DataType> e : types.entrySet()) {
      String c = e.getKey();
      if (c.startsWith("_") || c.equals(idCol) || spec.drop().contains(c)) {
        continue;
      }
      Column x = col(q(c));
      if (integral.contains(c)) {
        x = org.apache.spark.sql.functions.round(x);
      }
      out.add(x.cast(e.getValue()).as(c));
    }
    out.add(lit("augmented").as(ORIGIN));
    out.add(
        sha2(
                concat_ws(
                    "|",
                    lit(spec.source()),
                    col(SOURCE_ID),
                    lit(cfg.seed()).cast("string"),
                    col(COPY).cast("string"),
                    lit(opsJson)),
                256)
            .as(AUG_ID));
    out.add(col(SOURCE_ID));
    out.add(col(PARTNERS));
    if (mixing == 1) {
      out.add(col(LABEL_WEIGHT));
      out.add(col(MIX_LABEL));
    }
    out.add(col(COPY));
    out.add(lit(opsJson).as(OPS));
    out.add(lit(cfg.seed()).as(SEED));
    out.add(lit(spec.source()).as(SOURCE_TABLE));
    out.add(lit(runId).as(RUN_ID));
    out.add(col(SparkConstraints.VIOLATION));
    return new Plan(rows.select(out.toArray(Column[]::new)), expected, real);
  }

  private static final AtomicLong BARRIERS = new AtomicLong();

  /**
   * Ends a whole-stage-codegen stage after an op. Spark fuses the projections of consecutive ops
   * into one generated method; for a few tabular ops over a wide table it exceeds the JVM's 64 KB
   * method limit, Janino fails after seconds of compiling and Spark runs the stage without
   * whole-stage codegen. An observed metric (a row count, {@code CollectMetricsExec}) is an
   * operator without codegen that passes rows through and keeps their partitioning, so every op is
   * compiled as its own, small stage. On Telco churn (4 copies, noise, scale, mixup,
   * categorical-resample) this cut the CPU time of the chain by about a third.
   */
  static Dataset<Row> stageBoundary(Dataset<Row> rows, String dataset, int op) {
    return rows.observe(
        "augment_" + dataset.replaceAll("\\W", "_") + "_op" + op + "_" + BARRIERS.incrementAndGet(),
        count(lit(1)));
  }

  private static int copiesFor(DatasetSpec spec, String cls, long n, long largest) {
    if (cls != null && spec.copiesPerClass().containsKey(cls)) {
      return spec.copiesPerClass().get(cls);
    }
    if (spec.balance() && cls != null && n > 0) {
      return (int) Math.min(1000, (largest + n - 1) / n - 1);
    }
    return spec.copies();
  }

  /** The source id column: the configured one, else _row_id or id when present, else none. */
  private static String idColumn(DatasetSpec spec, Set<String> have) {
    if (!spec.id().isEmpty()) {
      if (!have.contains(spec.id())) {
        throw AugmentationErrors.missingColumn(spec.name(), "id", spec.id(), have);
      }
      return spec.id();
    }
    for (String c : List.of("_row_id", "id")) {
      if (have.contains(c)) {
        return c;
      }
    }
    return "";
  }

  /** SHA-256 of the row's JSON: the id of a row that has none. */
  private static Column contentId(Dataset<Row> source) {
    List<Column> cols = new ArrayList<>();
    for (String c : source.columns()) {
      if (!c.startsWith("_")) {
        cols.add(col(q(c)));
      }
    }
    return sha2(to_json(struct(cols.toArray(Column[]::new))), 256);
  }

  private static Map<String, List<String>> domains(Dataset<Row> real, List<String> categorical) {
    Map<String, List<String>> out = new HashMap<>();
    if (categorical.isEmpty()) {
      return out;
    }
    List<Column> approx = new ArrayList<>();
    for (String c : categorical) {
      approx.add(approx_count_distinct(col(q(c))));
    }
    Row n =
        real.agg(approx.get(0), approx.subList(1, approx.size()).toArray(Column[]::new)).first();
    List<String> small = new ArrayList<>();
    for (int i = 0; i < categorical.size(); i++) {
      if (n.getLong(i) <= SparkTabularOps.MAX_CATEGORIES) {
        small.add(categorical.get(i));
      }
    }
    if (small.isEmpty()) {
      return out;
    }
    List<Column> sets = new ArrayList<>();
    for (String c : small) {
      sets.add(collect_set(col(q(c))));
    }
    Row r = real.agg(sets.get(0), sets.subList(1, sets.size()).toArray(Column[]::new)).first();
    for (int i = 0; i < small.size(); i++) {
      List<String> values = new ArrayList<>(r.<String>getList(i));
      values.sort(null);
      out.put(small.get(i), List.copyOf(values));
    }
    return out;
  }

  /**
   * Statistics rounded to 12 significant digits: a sum's last bits depend on the order Spark adds
   * partial results in, and those bits must not reach the output.
   */
  private static double rounded(Object v) {
    if (v == null) {
      return 0.0;
    }
    double d = ((Number) v).doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return 0.0;
    }
    return new BigDecimal(d).round(new MathContext(12)).doubleValue();
  }

  static boolean isNumeric(DataType t) {
    return isIntegral(t)
        || t.equals(DataTypes.DoubleType)
        || t.equals(DataTypes.FloatType)
        || t instanceof DecimalType;
  }

  static boolean isIntegral(DataType t) {
    return t.equals(DataTypes.IntegerType)
        || t.equals(DataTypes.LongType)
        || t.equals(DataTypes.ShortType)
        || t.equals(DataTypes.ByteType);
  }
}
