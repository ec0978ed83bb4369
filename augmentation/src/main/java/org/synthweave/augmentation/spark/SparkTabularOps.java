package org.synthweave.augmentation.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.synthweave.augmentation.spark.SparkConstraints.q;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.synthweave.augmentation.AugmentationErrors;
import org.synthweave.augmentation.OpSpec;

/**
 * The tabular ops, all as built-in Spark SQL expressions and joins (no UDF, RAPIDS-friendly).
 * Partners of mixup and SMOTE are chosen by hashes and ranks, never by partition order, so the
 * output does not depend on how the rows are split.
 */
final class SparkTabularOps {
  /** Most distinct values a categorical column may have for categorical-resample. */
  static final int MAX_CATEGORIES = 256;

  private SparkTabularOps() {}

  static Dataset<Row> apply(AugmentContext ctx, OpSpec op, Dataset<Row> rows) {
    return switch (op.op()) {
      case NOISE -> noise(ctx, op, rows);
      case SCALE -> scale(ctx, op, rows);
      case MIXUP -> mixup(ctx, op, rows);
      case SMOTE -> smote(ctx, op, rows);
      case CATEGORICAL_RESAMPLE -> categorical(ctx, op, rows);
      default -> throw new IllegalArgumentException("not a tabular op: " + op.op());
    };
  }

  private static SparkDraws rowDraws(AugmentContext ctx) {
    return new SparkDraws(
        ctx.seed(), col(SparkAugmentation.SOURCE_ID), col(SparkAugmentation.COPY));
  }

  static Dataset<Row> noise(AugmentContext ctx, OpSpec op, Dataset<Row> rows) {
    double sigma = op.number("sigma", 0, 10);
    SparkDraws d = rowDraws(ctx);
    List<String> cols = ctx.numericFor(op);
    for (int j = 0; j < cols.size(); j++) {
      String c = cols.get(j);
      double scale = sigma * ctx.std().get(c);
      rows =
          rows.withColumn(
              c, col(q(c)).cast("double").plus(d.gaussian(op.index(), j).multiply(scale)));
    }
    return ctx.constraints().enforce(rows, op, cols, List.of());
  }

  static Dataset<Row> scale(AugmentContext ctx, OpSpec op, Dataset<Row> rows) {
    double range = op.number("range", 0, 1);
    SparkDraws d = rowDraws(ctx);
    List<String> cols = ctx.numericFor(op);
    for (int j = 0; j < cols.size(); j++) {
      String c = cols.get(j);
      Column factor = d.uniform(op.index(), j).multiply(2 * range).plus(1 - range);
      rows = rows.withColumn(c, col(q(c)).cast("double").multiply(factor));
    }
    return ctx.constraints().enforce(rows, op, cols, List.of());
  }

  /**
   * Ranks the real rows of each class by a hash of their id: a row's partner is found by rank, so
   * the choice is a join on (class, rank), independent of partitioning.
   */
  private static Dataset<Row> ranked(AugmentContext ctx, OpSpec op) {
    String label = ctx.spec().label();
    Column h = xxhash64(lit(ctx.seed()), col(SparkAugmentation.SOURCE_ID), lit(op.index()));
    return ctx.real()
        .withColumn(
            "_aug_rank",
            row_number()
                .over(
                    Window.partitionBy(col(q(label))).orderBy(h, col(SparkAugmentation.SOURCE_ID)))
                .minus(1))
        .withColumn("_aug_class_n", count(lit(1)).over(Window.partitionBy(col(q(label)))));
  }

  /** True for a mixup op with {@code labels = mix} (checks the parameter). */
  static boolean mixesLabels(String dataset, OpSpec op) {
    String rule = op.string("labels");
    if (!rule.equals("keep") && !rule.equals("mix")) {
      throw AugmentationErrors.badParameter(
          dataset, op.op().id(), "labels", rule, "it must be keep (same class) or mix");
    }
    return rule.equals("mix");
  }

  static Dataset<Row> mixup(AugmentContext ctx, OpSpec op, Dataset<Row> rows) {
    if (!ctx.hasLabel()) {
      throw AugmentationErrors.needsLabel(ctx.spec().name(), op.op().id());
    }
    double lambdaMin = op.number("lambda-min", 0.5, 1);
    boolean mix = mixesLabels(ctx.spec().name(), op);
    String label = ctx.spec().label();
    List<String> cols = ctx.numericFor(op);
    Dataset<Row> ranked = ranked(ctx, op);
    Dataset<Row> own =
        ranked.select(
            col(SparkAugmentation.SOURCE_ID).as("_aug_own_id"),
            col("_aug_rank").as("_aug_own_rank"),
            col("_aug_class_n").as("_aug_own_n"));
    List<Column> partnerCols = new ArrayList<>();
    partnerCols.add(col(q(label)).cast("string").as("_aug_p_label"));
    partnerCols.add(col(q(label)).as("_aug_p_rawlabel"));
    partnerCols.add(col("_aug_rank").as("_aug_p_rank"));
    partnerCols.add(col(SparkAugmentation.SOURCE_ID).as("_aug_p_id"));
    for (int j = 0; j < cols.size(); j++) {
      partnerCols.add(col(q(cols.get(j))).cast("double").as("_aug_p" + j));
    }
    Dataset<Row> partners = ranked.select(partnerCols.toArray(Column[]::new));
    SparkDraws d = rowDraws(ctx);
    Column ownLabel = col(q(label)).cast("string");
    // Another row of the class: own rank + 1 + uniform offset in [0, n-2], modulo n.
    Column n = col("_aug_own_n");
    Column offset = d.below(op.index(), 0, atLeastOne(n.minus(1)));
    Column sameClassRank =
        when(n.leq(1), col("_aug_own_rank"))
            .otherwise(pmod(col("_aug_own_rank").plus(1).plus(offset), n));
    Dataset<Row> joined =
        rows.join(own, col(SparkAugmentation.SOURCE_ID).equalTo(col("_aug_own_id")), "left");
    if (!mix) {
      joined =
          joined.withColumn("_aug_want_label", ownLabel).withColumn("_aug_want", sameClassRank);
    } else {
      // The partner's class is drawn by its share of the rows, then a row of it uniformly (so
      // every row is equally likely); within the row's own class, another row than itself.
      List<Row> sizes =
          ctx.real()
              .groupBy(col(q(label)).cast("string").as("_c"))
              .count()
              .orderBy(col("_c").asc_nulls_first())
              .collectAsList();
      long total = sizes.stream().mapToLong(r -> r.getLong(1)).sum();
      Column u = d.uniform(op.index(), 2);
      Column cls = null;
      Column size = null;
      long cum = 0;
      for (int i = 0; i < sizes.size(); i++) {
        Row r = sizes.get(i);
        cum += r.getLong(1);
        Column v = lit(r.get(0)).cast("string");
        Column hit = i == sizes.size() - 1 ? lit(true) : u.lt((double) cum / total);
        cls = cls == null ? when(hit, v) : cls.when(hit, v);
      }
      joined = joined.withColumn("_aug_want_label", cls);
      for (Row r : sizes) {
        Column is = col("_aug_want_label").eqNullSafe(lit(r.get(0)).cast("string"));
        size = size == null ? when(is, lit(r.getLong(1))) : size.when(is, lit(r.getLong(1)));
      }
      joined =
          joined.withColumn(
              "_aug_want",
              when(col("_aug_want_label").eqNullSafe(ownLabel), sameClassRank)
                  .otherwise(d.below(op.index(), 3, size)));
    }
    joined =
        joined.join(
            partners,
            col("_aug_want_label")
                .eqNullSafe(col("_aug_p_label"))
                .and(col("_aug_want").equalTo(col("_aug_p_rank"))),
            "left");
    Column lambda = d.uniform(op.index(), 1).multiply(1 - lambdaMin).plus(lambdaMin);
    joined = joined.withColumn("_aug_lambda", lambda);
    for (int j = 0; j < cols.size(); j++) {
      String c = cols.get(j);
      Column x = col(q(c)).cast("double");
      Column p = coalesce(col("_aug_p" + j), x);
      joined =
          joined.withColumn(
              c, x.multiply(col("_aug_lambda")).plus(p.multiply(lit(1).minus(col("_aug_lambda")))));
    }
    if (mix) {
      // lambda >= 0.5: the row's own label carries the larger weight and stays the label.
      Column other =
          col("_aug_p_id").isNotNull().and(col("_aug_p_label").eqNullSafe(ownLabel).unary_$bang());
      joined =
          joined
              .withColumn(
                  SparkAugmentation.LABEL_WEIGHT,
                  when(other, col("_aug_lambda")).otherwise(lit(1.0)))
              .withColumn(
                  SparkAugmentation.MIX_LABEL,
                  when(other, col("_aug_p_rawlabel")).otherwise(col(q(label))));
    }
    joined = withPartner(joined, col("_aug_p_id"));
    joined = dropInternal(joined, "_aug_own_", "_aug_p", "_aug_want", "_aug_lambda");
    return ctx.constraints().enforce(joined, op, cols, List.of());
  }

  /**
   * SMOTE. The k nearest neighbours are searched within blocks, not over the whole class: for each
   * of {@code projections} random directions (seeded by run seed and op index) the class is sorted
   * by its projection and cut into blocks of {@code block} rows (every other direction's blocks
   * shifted by half a block), and a row's candidates are the rows sharing one of its blocks. The
   * work is linear in the class size (about projections x block distances per row) instead of
   * quadratic; since a projection never stretches distances, near rows tend to share a block. A
   * class of at most projections x block rows is one block: the search is exact (and compares no
   * more pairs than the blocked one would).
   */
  static Dataset<Row> smote(AugmentContext ctx, OpSpec op, Dataset<Row> rows) {
    if (!ctx.hasLabel()) {
      throw AugmentationErrors.needsLabel(ctx.spec().name(), op.op().id());
    }
    int k = op.whole("k", 1, 100);
    int block = op.whole("block", 2, 1_000_000);
    int projections = op.whole("projections", 1, 64);
    String label = ctx.spec().label();
    List<String> cols = ctx.numericFor(op);
    // Only classes that get copies need neighbours.
    Dataset<Row> wanted = rows.select(col(q(label)).as("_aug_wl")).distinct();
    Dataset<Row> real =
        ctx.real()
            .join(wanted, col(q(label)).eqNullSafe(col("_aug_wl")), "left_semi")
            .select(standardized(ctx, cols, label));
    java.util.Random directions = new java.util.Random(ctx.seed() * 1_000_003L + op.index());
    // A class of at most projections x block rows is one block (the exact search compares no
    // more pairs than the blocked one would).
    Dataset<Row> withBlocks =
        real.withColumn("_n", count(lit(1)).over(Window.partitionBy(col("label"))));
    List<Column> keys = new ArrayList<>();
    for (int t = 0; t < projections; t++) {
      Column proj = lit(0.0);
      for (int j = 0; j < cols.size(); j++) {
        proj = proj.plus(coalesce(col("z" + j), lit(0.0)).multiply(directions.nextGaussian()));
      }
      Column rank =
          row_number().over(Window.partitionBy(col("label")).orderBy(proj, col("id"))).minus(1);
      Column blk = floor(rank.plus(t % 2 == 1 ? block / 2 : 0).divide(block)).cast("long");
      withBlocks = withBlocks.withColumn("_blk" + t, blk);
      keys.add(org.apache.spark.sql.functions.struct(lit(t).as("t"), col("_blk" + t).as("b")));
    }
    Column allKeys = org.apache.spark.sql.functions.array(keys.toArray(Column[]::new));
    Column oneBlock =
        org.apache.spark.sql.functions.array(
            org.apache.spark.sql.functions.struct(lit(0).as("t"), lit(0L).as("b")));
    List<String> kept = new ArrayList<>(List.of("id", "label", "_t", "_b"));
    for (int t = 0; t < projections; t++) {
      kept.add("_blk" + t);
    }
    zNames(cols).forEach(kept::add);
    Dataset<Row> blocked =
        withBlocks
            .withColumn(
                "_key",
                org.apache.spark.sql.functions.explode(
                    when(col("_n").leq((long) block * projections), oneBlock).otherwise(allKeys)))
            .withColumn("_t", col("_key.t"))
            .withColumn("_b", col("_key.b"))
            .select(kept.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    Dataset<Row> a = blocked.toDF(renamed(blocked.columns(), "_a_"));
    Dataset<Row> b = blocked.toDF(renamed(blocked.columns(), "_b_"));
    Column dist2 = lit(0.0);
    for (int j = 0; j < cols.size(); j++) {
      Column diff = coalesce(col("_a_z" + j).minus(col("_b_z" + j)), lit(0.0));
      dist2 = dist2.plus(diff.multiply(diff));
    }
    // A pair sharing blocks of several directions is kept only for the first one (no shuffle to
    // remove duplicates).
    Column firstShared = lit(true);
    for (int t = 1; t < projections; t++) {
      for (int s = 0; s < t; s++) {
        firstShared =
            firstShared.and(
                col("_a__t").notEqual(t).or(col("_a__blk" + s).notEqual(col("_b__blk" + s))));
      }
    }
    Dataset<Row> pairs =
        a.join(
                b,
                col("_a_label")
                    .eqNullSafe(col("_b_label"))
                    .and(col("_a__t").equalTo(col("_b__t")))
                    .and(col("_a__b").equalTo(col("_b__b")))
                    .and(col("_a_id").notEqual(col("_b_id"))))
            .where(firstShared)
            .select(col("_a_id"), col("_b_id"), sqrt(dist2).as("_dist"));
    Dataset<Row> neighbours =
        pairs
            .withColumn(
                "_nn_rank",
                row_number()
                    .over(Window.partitionBy(col("_a_id")).orderBy(col("_dist"), col("_b_id")))
                    .minus(1))
            .where(col("_nn_rank").lt(k))
            .withColumn("_nn_n", count(lit(1)).over(Window.partitionBy(col("_a_id"))))
            .select(
                col("_a_id").as("_aug_nn_of"),
                col("_b_id").as("_aug_nn_id"),
                col("_nn_rank").as("_aug_nn_rank"),
                col("_nn_n").as("_aug_nn_n"));
    Dataset<Row> counts =
        neighbours
            .select(col("_aug_nn_of").as("_aug_cnt_of"), col("_aug_nn_n").as("_aug_cnt"))
            .distinct();
    SparkDraws d = rowDraws(ctx);
    Dataset<Row> withCount =
        rows.join(counts, col(SparkAugmentation.SOURCE_ID).equalTo(col("_aug_cnt_of")), "left")
            .withColumn("_aug_pick", d.below(op.index(), 0, coalesce(col("_aug_cnt"), lit(1L))));
    Dataset<Row> withNeighbour =
        withCount.join(
            neighbours,
            col(SparkAugmentation.SOURCE_ID)
                .equalTo(col("_aug_nn_of"))
                .and(col("_aug_pick").equalTo(col("_aug_nn_rank"))),
            "left");
    List<Column> pcols = new ArrayList<>();
    pcols.add(col(SparkAugmentation.SOURCE_ID).as("_aug_p_id"));
    for (int j = 0; j < cols.size(); j++) {
      pcols.add(col(q(cols.get(j))).cast("double").as("_aug_p" + j));
    }
    Dataset<Row> partnerValues = ctx.real().select(pcols.toArray(Column[]::new));
    Dataset<Row> joined =
        withNeighbour.join(partnerValues, col("_aug_nn_id").equalTo(col("_aug_p_id")), "left");
    Column gap = d.uniform(op.index(), 1);
    for (int j = 0; j < cols.size(); j++) {
      String c = cols.get(j);
      Column x = col(q(c)).cast("double");
      Column p = coalesce(col("_aug_p" + j), x);
      joined = joined.withColumn(c, x.plus(gap.multiply(p.minus(x))));
    }
    joined = withPartner(joined, col("_aug_p_id"));
    joined = dropInternal(joined, "_aug_cnt", "_aug_pick", "_aug_nn_", "_aug_p");
    return ctx.constraints().enforce(joined, op, cols, List.of());
  }

  private static Stream<String> zNames(List<String> cols) {
    return java.util.stream.IntStream.range(0, cols.size()).mapToObj(j -> "z" + j);
  }

  private static Column[] standardized(AugmentContext ctx, List<String> cols, String label) {
    List<Column> out = new ArrayList<>();
    out.add(col(SparkAugmentation.SOURCE_ID).as("id"));
    out.add(col(q(label)).as("label"));
    for (int j = 0; j < cols.size(); j++) {
      String c = cols.get(j);
      double sd = ctx.std().get(c);
      out.add(
          col(q(c)).cast("double").minus(ctx.mean().get(c)).divide(sd > 0 ? sd : 1.0).as("z" + j));
    }
    return out.toArray(Column[]::new);
  }

  static Dataset<Row> categorical(AugmentContext ctx, OpSpec op, Dataset<Row> rows) {
    double p = op.number("p", 0, 1);
    List<String> chosen = op.list("columns");
    List<String> cols = chosen.isEmpty() ? ctx.categorical() : chosen;
    for (String c : cols) {
      if (!ctx.categorical().contains(c)) {
        throw AugmentationErrors.badParameter(
            ctx.spec().name(),
            op.op().id(),
            "columns",
            c,
            "it is not one of the categorical columns " + ctx.categorical());
      }
    }
    String label = ctx.hasLabel() ? ctx.spec().label() : null;
    SparkDraws d = rowDraws(ctx);
    for (int j = 0; j < cols.size(); j++) {
      String c = cols.get(j);
      Map<Object, List<Object[]>> cdf = frequencies(ctx, op, c, label);
      Column u = d.uniform(op.index(), 2 * j + 1);
      Column draw = null;
      for (Map.Entry<Object, List<Object[]>> e : cdf.entrySet()) {
        Column inClass = null;
        for (Object[] valueAndCum : e.getValue()) {
          Column v = lit(valueAndCum[0]).cast("string");
          inClass =
              inClass == null
                  ? when(u.lt((double) valueAndCum[1]), v)
                  : inClass.when(u.lt((double) valueAndCum[1]), v);
        }
        Object cls = e.getKey();
        Column isClass =
            label == null
                ? lit(true)
                : cls == null
                    ? col(q(label)).isNull()
                    : col(q(label)).cast("string").equalTo(lit(cls));
        draw = draw == null ? when(isClass, inClass) : draw.when(isClass, inClass);
      }
      if (draw == null) {
        continue;
      }
      Column replace = d.uniform(op.index(), 2 * j).lt(p);
      rows = rows.withColumn(c, when(replace, draw).otherwise(col(q(c))));
    }
    return ctx.constraints().enforce(rows, op, List.of(), cols);
  }

  /**
   * The cumulative frequencies of {@code column}'s values (null included) per class, as {value,
   * cumulative share} in a fixed order; the last share is 1 so every draw lands on a value.
   */
  private static Map<Object, List<Object[]>> frequencies(
      AugmentContext ctx, OpSpec op, String column, String label) {
    Column cls = label == null ? lit("*").as("_cls") : col(q(label)).cast("string").as("_cls");
    List<Row> counts =
        ctx.real()
            .select(cls, col(q(column)).cast("string").as("_v"))
            .groupBy("_cls", "_v")
            .count()
            .orderBy(col("_cls").asc_nulls_first(), col("_v").asc_nulls_first())
            .collectAsList();
    Map<Object, Long> totals = new LinkedHashMap<>();
    Map<Object, Integer> distinct = new LinkedHashMap<>();
    for (Row r : counts) {
      totals.merge(r.get(0), r.getLong(2), Long::sum);
      distinct.merge(r.get(0), 1, Integer::sum);
    }
    for (Map.Entry<Object, Integer> e : distinct.entrySet()) {
      if (e.getValue() > MAX_CATEGORIES) {
        throw AugmentationErrors.badParameter(
            ctx.spec().name(),
            op.op().id(),
            "columns",
            column,
            "it has "
                + e.getValue()
                + " distinct values in one class (at most "
                + MAX_CATEGORIES
                + "); leave it out with the `columns` parameter");
      }
    }
    Map<Object, List<Object[]>> out = new LinkedHashMap<>();
    Map<Object, Long> running = new LinkedHashMap<>();
    for (Row r : counts) {
      Object c = r.get(0);
      long cum = running.merge(c, r.getLong(2), Long::sum);
      double share = cum == totals.get(c) ? 1.0 + 1e-9 : (double) cum / totals.get(c);
      out.computeIfAbsent(c, x -> new ArrayList<>()).add(new Object[] {r.get(1), share});
    }
    return out;
  }

  /** Appends the partner id (if any) to the row's partner list. */
  static Dataset<Row> withPartner(Dataset<Row> rows, Column partnerId) {
    Column list = col(SparkAugmentation.PARTNERS);
    return rows.withColumn(
        SparkAugmentation.PARTNERS,
        when(partnerId.isNull(), list)
            .otherwise(concat(list, org.apache.spark.sql.functions.array(partnerId))));
  }

  static Dataset<Row> dropInternal(Dataset<Row> rows, String... prefixes) {
    List<String> drop = new ArrayList<>();
    for (String c : rows.columns()) {
      for (String p : prefixes) {
        if (c.startsWith(p)) {
          drop.add(c);
        }
      }
    }
    return rows.drop(drop.toArray(String[]::new));
  }

  private static String[] renamed(String[] columns, String prefix) {
    String[] out = new String[columns.length];
    for (int i = 0; i < columns.length; i++) {
      out[i] = prefix + columns[i];
    }
    return out;
  }

  private static Column atLeastOne(Column n) {
    return org.apache.spark.sql.functions.greatest(n, lit(1L));
  }
}
