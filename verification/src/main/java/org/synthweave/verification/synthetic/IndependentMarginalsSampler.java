package org.synthweave.verification.synthetic;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.synthweave.verification.VerificationErrors;

/**
 * The trivial baseline a synthesizer must beat: class-conditional independent marginals. A row's
 * class is drawn with its frequency in the training rows; every other column is drawn on its own
 * from that column's values among the training rows of that class (so each column keeps its
 * class-conditional distribution, missing values included, and all other dependence is lost).
 *
 * <p>As a Spark job: the training rows are sorted by (class, row hash) and numbered with {@code
 * zipWithIndex}, so class c owns the numbers {@code [start_c, start_c + n_c)}; a generated row
 * draws, per column, a uniform number from a hash of (seed, column, row number) and takes that
 * column from training row {@code start_c + ⌊u·n_c⌋} with one join per column (the numbered rows
 * are checkpointed on the executors, so the sort runs once). Only the class counts reach the
 * driver. The output depends on the seed and the training rows only, not on partitioning. Columns
 * left out of evaluation (ids, provenance, {@code _}-prefixed) are not sampled.
 */
public final class IndependentMarginalsSampler {
  private static final double TWO_TO_53 = 9007199254740992.0;

  private final SyntheticOptions options;

  public IndependentMarginalsSampler() {
    this(SyntheticOptions.defaults());
  }

  /** {@code options} decides which columns are left out ({@link SyntheticOptions#excludes}). */
  public IndependentMarginalsSampler(SyntheticOptions options) {
    this.options = options;
  }

  /** {@code rows} rows like {@code train}'s, deterministic per {@code seed}. */
  public Dataset<Row> sample(Dataset<Row> train, String target, long rows, long seed) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, got " + rows);
    }
    List<String> names = Arrays.asList(train.columns());
    if (!names.contains(target)) {
      throw VerificationErrors.noSuchTarget(target, names);
    }
    List<String> sampled =
        names.stream().filter(n -> n.equals(target) || !options.excludes(n)).toList();
    Dataset<Row> source =
        train.select(sampled.stream().map(IndependentMarginalsSampler::q).toArray(Column[]::new));
    SparkSession spark = source.sparkSession();

    List<Row> classes =
        source.groupBy(q(target)).count().orderBy(q(target).asc_nulls_first()).collectAsList();
    long total = classes.stream().mapToLong(r -> r.getLong(1)).sum();
    if (total == 0) {
      throw VerificationErrors.emptyTable("training");
    }

    // Number the training rows: class c gets [start_c, start_c + n_c).
    Column rowHash =
        xxhash64(sampled.stream().map(IndependentMarginalsSampler::q).toArray(Column[]::new));
    Dataset<Row> sorted = source.orderBy(q(target).asc_nulls_first(), rowHash);
    StructType schema =
        sorted.schema().add(new StructField("__g", DataTypes.LongType, false, Metadata.empty()));
    JavaRDD<Row> numbered =
        sorted
            .javaRDD()
            .zipWithIndex()
            .map(
                t -> {
                  Object[] values = new Object[t._1().length() + 1];
                  for (int i = 0; i < t._1().length(); i++) {
                    values[i] = t._1().get(i);
                  }
                  values[values.length - 1] = t._2();
                  return RowFactory.create(values);
                });
    // Checkpointed (on the executors) so the sort and numbering run once, not once per column.
    Dataset<Row> indexed = spark.createDataFrame(numbered, schema).localCheckpoint(true);

    // Draw the class of each generated row by its frequency (cumulative shares as a CASE).
    int slices = (int) Math.max(1, Math.min(1_000, rows / 100_000 + 1));
    Dataset<Row> generated = spark.range(0, rows, 1, slices).toDF("__id");
    Column u = uniform(seed, -1);
    Column label = null;
    Column start = null;
    Column size = null;
    long cumulative = 0;
    long begin = 0;
    for (int k = 0; k < classes.size(); k++) {
      Row c = classes.get(k);
      long n = c.getLong(1);
      cumulative += n;
      Column cond = k == classes.size() - 1 ? lit(true) : u.lt((double) cumulative / total);
      Column value = lit(c.get(0)).cast(source.schema().apply(target).dataType());
      label = label == null ? when(cond, value) : label.when(cond, value);
      start = start == null ? when(cond, lit(begin)) : start.when(cond, lit(begin));
      size = size == null ? when(cond, lit(n)) : size.when(cond, lit(n));
      begin += n;
    }
    generated =
        generated.withColumn("__class", label).withColumn("__start", start).withColumn("__n", size);

    for (int j = 0; j < sampled.size(); j++) {
      String name = sampled.get(j);
      if (name.equals(target)) {
        continue;
      }
      Column pick =
          col("__start")
              .plus(least(floor(uniform(seed, j).multiply(col("__n"))), col("__n").minus(1)));
      Dataset<Row> values = indexed.select(col("__g").as("__g" + j), q(name).as("__v" + j));
      generated =
          generated
              .withColumn("__pick" + j, pick)
              .join(values, col("__pick" + j).equalTo(col("__g" + j)), "left")
              .drop("__pick" + j, "__g" + j);
    }
    List<Column> out = new ArrayList<>();
    for (int j = 0; j < sampled.size(); j++) {
      String name = sampled.get(j);
      out.add(name.equals(target) ? col("__class").as(name) : col("__v" + j).as(name));
    }
    return generated.select(out.toArray(Column[]::new));
  }

  /** A uniform number in [0, 1) from the seed, the column and the generated row's number. */
  private static Column uniform(long seed, int column) {
    return shiftrightunsigned(xxhash64(lit(seed), lit(column), col("__id")), 11)
        .cast("double")
        .divide(TWO_TO_53);
  }

  private static Column q(String name) {
    return org.synthweave.core.spark.Columns.col(name);
  }
}
