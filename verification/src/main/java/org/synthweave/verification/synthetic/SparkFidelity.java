package org.synthweave.verification.synthetic;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.corr;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.synthweave.verification.synthetic.EvaluatedColumns.Kind;
import org.synthweave.verification.synthetic.EvaluatedColumns.Spec;
import org.synthweave.verification.synthetic.SyntheticReport.ColumnDistribution;
import org.synthweave.verification.synthetic.SyntheticReport.ColumnScore;
import org.synthweave.verification.synthetic.SyntheticReport.CorrelationMatrix;
import org.synthweave.verification.synthetic.SyntheticReport.PairScore;

/**
 * Column shapes and column pair trends as SDMetrics' quality report defines them, computed with
 * Spark aggregations; only per-column and per-pair results (and plot histograms) reach the driver.
 *
 * <ul>
 *   <li>KSComplement (numeric): 1 − the two-sample Kolmogorov–Smirnov statistic, the largest gap
 *       between the two empirical CDFs, nulls dropped. Exact: values are counted per distinct value
 *       and the CDFs are running sums in a window per column (one sorted task per column, spilling
 *       to disk when large).
 *   <li>TVComplement (categorical): 1 − ½Σ|p − q| over the union of categories, nulls dropped.
 *   <li>CorrelationSimilarity (numeric pair): 1 − |ρ_real − ρ_synthetic| / 2, Pearson over the rows
 *       where both are non-null; NaN (left out) when a column is constant.
 *   <li>ContingencySimilarity (any pair with a categorical column): 1 − ½Σ|p − q| over the cells of
 *       the 2-D contingency table; a numeric column is cut into {@code pairBins} equal-width bins
 *       over the real column's range (synthetic values outside it fall into the first or last bin)
 *       and a missing value is a category of its own, as SDMetrics does. All pairs are counted in
 *       one aggregation over rows exploded into (pair, a, b).
 * </ul>
 */
final class SparkFidelity {
  /** Bins of the per-column histograms drawn in the report. */
  static final int PLOT_BINS = 20;

  /** Categories per column drawn in the report (the most frequent real ones). */
  static final int PLOT_CATEGORIES = 20;

  record Result(
      List<ColumnScore> columns,
      List<PairScore> pairs,
      List<ColumnDistribution> distributions,
      CorrelationMatrix correlations) {}

  private SparkFidelity() {}

  /** {@code real} and {@code synthetic} are normalized ({@link EvaluatedColumns#normalize}). */
  static Result measure(
      EvaluatedColumns columns,
      Dataset<Row> real,
      Dataset<Row> synthetic,
      int pairBins,
      long realRows,
      long syntheticRows) {
    List<Spec> numeric = columns.numeric();
    List<Spec> categorical = columns.categorical();
    Map<Integer, double[]> ranges = ranges(real, numeric);

    Map<Integer, Double> shapes = new HashMap<>();
    Map<Integer, ColumnDistribution> plots = new HashMap<>();
    if (!numeric.isEmpty()) {
      shapes.putAll(ksComplements(real, synthetic, numeric));
      plots.putAll(histograms(real, synthetic, numeric, ranges));
    }
    if (!categorical.isEmpty()) {
      tvComplements(real, synthetic, categorical, shapes, plots);
    }
    List<ColumnScore> columnScores = new ArrayList<>();
    List<ColumnDistribution> distributions = new ArrayList<>();
    for (Spec s : columns.all) {
      boolean num = s.kind() == Kind.NUMERIC;
      columnScores.add(
          new ColumnScore(
              s.name(),
              num ? "numeric" : "categorical",
              num ? "KSComplement" : "TVComplement",
              shapes.getOrDefault(s.index(), Double.NaN)));
      if (plots.containsKey(s.index())) {
        distributions.add(plots.get(s.index()));
      }
    }

    double[][] realCorr = correlations(real, numeric);
    double[][] synCorr = correlations(synthetic, numeric);
    Map<Long, Double> contingency =
        contingencySimilarities(
            real, synthetic, columns.all, ranges, pairBins, realRows, syntheticRows);
    List<PairScore> pairs = new ArrayList<>();
    for (int i = 0; i < columns.all.size(); i++) {
      for (int j = i + 1; j < columns.all.size(); j++) {
        Spec a = columns.all.get(i);
        Spec b = columns.all.get(j);
        if (a.kind() == Kind.NUMERIC && b.kind() == Kind.NUMERIC) {
          int x = numeric.indexOf(a);
          int y = numeric.indexOf(b);
          double r = realCorr[x][y];
          double q = synCorr[x][y];
          pairs.add(
              new PairScore(
                  a.name(), b.name(), "CorrelationSimilarity", correlationSimilarity(r, q), r, q));
        } else {
          pairs.add(
              new PairScore(
                  a.name(),
                  b.name(),
                  "ContingencySimilarity",
                  contingency.getOrDefault(pairKey(i, j), Double.NaN),
                  Double.NaN,
                  Double.NaN));
        }
      }
    }
    CorrelationMatrix matrix =
        new CorrelationMatrix(numeric.stream().map(Spec::name).toList(), realCorr, synCorr);
    return new Result(columnScores, pairs, distributions, matrix);
  }

  /** SDMetrics' CorrelationSimilarity of two coefficients; NaN when either is undefined. */
  static double correlationSimilarity(double real, double synthetic) {
    if (Double.isNaN(real) || Double.isNaN(synthetic)) {
      return Double.NaN;
    }
    return 1.0 - Math.abs(real - synthetic) / 2.0;
  }

  /** Mean of the non-NaN values, NaN if there are none. */
  static double meanOf(List<Double> values) {
    return values.stream()
        .filter(v -> !Double.isNaN(v))
        .mapToDouble(v -> v)
        .average()
        .orElse(Double.NaN);
  }

  private static Map<Integer, double[]> ranges(Dataset<Row> real, List<Spec> numeric) {
    Map<Integer, double[]> out = new HashMap<>();
    if (numeric.isEmpty()) {
      return out;
    }
    List<Column> aggs = new ArrayList<>();
    for (Spec s : numeric) {
      aggs.add(min(s.internal()));
      aggs.add(max(s.internal()));
    }
    Row r = real.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    for (int k = 0; k < numeric.size(); k++) {
      if (!r.isNullAt(2 * k)) {
        out.put(numeric.get(k).index(), new double[] {r.getDouble(2 * k), r.getDouble(2 * k + 1)});
      }
    }
    return out;
  }

  /** (col, v, src) rows of the given columns, nulls dropped; src 0 real, 1 synthetic. */
  private static Dataset<Row> longFormat(
      Dataset<Row> real, Dataset<Row> synthetic, List<Spec> specs, List<Column> values) {
    Dataset<Row> r = explodeColumns(real, specs, values, 0);
    Dataset<Row> s = explodeColumns(synthetic, specs, values, 1);
    return r.unionAll(s).filter(col("v").isNotNull());
  }

  private static Dataset<Row> explodeColumns(
      Dataset<Row> table, List<Spec> specs, List<Column> values, int src) {
    Column[] structs = new Column[specs.size()];
    for (int k = 0; k < specs.size(); k++) {
      structs[k] = struct(lit(specs.get(k).index()).as("col"), values.get(k).as("v"));
    }
    return table
        .select(explode(array(structs)).as("e"))
        .select(col("e.col").as("col"), col("e.v").as("v"), lit(src).as("src"));
  }

  private static Column realCount() {
    return sum(when(col("src").equalTo(0), 1L).otherwise(0L)).as("r");
  }

  private static Column syntheticCount() {
    return sum(when(col("src").equalTo(1), 1L).otherwise(0L)).as("s");
  }

  private static Map<Integer, Double> ksComplements(
      Dataset<Row> real, Dataset<Row> synthetic, List<Spec> numeric) {
    List<Column> values = numeric.stream().map(s -> col(s.internal())).toList();
    Dataset<Row> counts =
        longFormat(real, synthetic, numeric, values)
            .groupBy("col", "v")
            .agg(realCount(), syntheticCount());
    WindowSpec byCol = Window.partitionBy("col");
    WindowSpec upTo =
        Window.partitionBy("col")
            .orderBy("v")
            .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Column gap =
        abs(
            try_divide(sum("r").over(upTo), sum("r").over(byCol))
                .minus(try_divide(sum("s").over(upTo), sum("s").over(byCol))));
    Map<Integer, Double> out = new HashMap<>();
    for (Row row :
        counts.withColumn("gap", gap).groupBy("col").agg(max("gap").as("ks")).collectAsList()) {
      out.put(row.getInt(0), row.isNullAt(1) ? Double.NaN : 1.0 - row.getDouble(1));
    }
    return out;
  }

  private static Map<Integer, ColumnDistribution> histograms(
      Dataset<Row> real,
      Dataset<Row> synthetic,
      List<Spec> numeric,
      Map<Integer, double[]> ranges) {
    List<Spec> drawn = numeric.stream().filter(s -> ranges.containsKey(s.index())).toList();
    Map<Integer, ColumnDistribution> out = new HashMap<>();
    if (drawn.isEmpty()) {
      return out;
    }
    List<Column> bins = drawn.stream().map(s -> bin(s, ranges.get(s.index()), PLOT_BINS)).toList();
    Dataset<Row> counts =
        longFormat(real, synthetic, drawn, bins)
            .groupBy("col", "v")
            .agg(realCount(), syntheticCount());
    Map<Integer, long[][]> byCol = new HashMap<>();
    for (Row row : counts.collectAsList()) {
      long[][] c = byCol.computeIfAbsent(row.getInt(0), k -> new long[2][PLOT_BINS]);
      int b = (int) row.getLong(1);
      c[0][b] += row.getLong(2);
      c[1][b] += row.getLong(3);
    }
    for (Spec s : drawn) {
      long[][] c = byCol.getOrDefault(s.index(), new long[2][PLOT_BINS]);
      double[] range = ranges.get(s.index());
      List<String> labels = new ArrayList<>();
      for (int b = 0; b < PLOT_BINS; b++) {
        labels.add(number(range[0] + (range[1] - range[0]) * b / PLOT_BINS));
      }
      out.put(
          s.index(),
          new ColumnDistribution(s.name(), "numeric", labels, shares(c[0]), shares(c[1])));
    }
    return out;
  }

  /** The equal-width bin (0..bins−1) of a numeric column over the real range, clipped. */
  private static Column bin(Spec s, double[] range, int bins) {
    double width = range[1] - range[0];
    if (!(width > 0)) {
      return when(col(s.internal()).isNull(), lit(null).cast("long")).otherwise(lit(0L));
    }
    Column raw = floor(col(s.internal()).minus(range[0]).divide(width).multiply(bins));
    // least/greatest skip nulls, so a missing value must stay missing explicitly.
    return when(col(s.internal()).isNull(), lit(null).cast("long"))
        .otherwise(least(greatest(raw, lit(0L)), lit((long) bins - 1)));
  }

  private static void tvComplements(
      Dataset<Row> real,
      Dataset<Row> synthetic,
      List<Spec> categorical,
      Map<Integer, Double> shapes,
      Map<Integer, ColumnDistribution> plots) {
    List<Column> values = categorical.stream().map(s -> col(s.internal())).toList();
    WindowSpec byCol = Window.partitionBy("col");
    Dataset<Row> shares =
        longFormat(real, synthetic, categorical, values)
            .groupBy("col", "v")
            .agg(realCount(), syntheticCount())
            .withColumn("p", try_divide(col("r"), sum("r").over(byCol)))
            .withColumn("q", try_divide(col("s"), sum("s").over(byCol)))
            .cache();
    try {
      for (Row row :
          shares.groupBy("col").agg(sum(abs(col("p").minus(col("q")))).as("tv")).collectAsList()) {
        shapes.put(row.getInt(0), row.isNullAt(1) ? Double.NaN : 1.0 - 0.5 * row.getDouble(1));
      }
      WindowSpec rank = Window.partitionBy("col").orderBy(col("r").desc(), col("v"));
      Map<Integer, List<Row>> top = new LinkedHashMap<>();
      for (Row row :
          shares
              .withColumn("rank", row_number().over(rank))
              .filter(col("rank").leq(PLOT_CATEGORIES))
              .orderBy("col", "rank")
              .select("col", "v", "p", "q")
              .collectAsList()) {
        top.computeIfAbsent(row.getInt(0), k -> new ArrayList<>()).add(row);
      }
      for (Spec s : categorical) {
        List<Row> rows = top.getOrDefault(s.index(), List.of());
        double[] p = new double[rows.size()];
        double[] q = new double[rows.size()];
        List<String> labels = new ArrayList<>();
        for (int k = 0; k < rows.size(); k++) {
          labels.add(rows.get(k).getString(1));
          p[k] = rows.get(k).isNullAt(2) ? 0 : rows.get(k).getDouble(2);
          q[k] = rows.get(k).isNullAt(3) ? 0 : rows.get(k).getDouble(3);
        }
        plots.put(s.index(), new ColumnDistribution(s.name(), "categorical", labels, p, q));
      }
    } finally {
      shares.unpersist();
    }
  }

  private static double[][] correlations(Dataset<Row> table, List<Spec> numeric) {
    int n = numeric.size();
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      m[i][i] = 1.0;
    }
    if (n < 2) {
      return m;
    }
    List<Column> aggs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        aggs.add(corr(numeric.get(i).internal(), numeric.get(j).internal()));
      }
    }
    Row r = table.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    int k = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double v = r.isNullAt(k) ? Double.NaN : r.getDouble(k);
        m[i][j] = v;
        m[j][i] = v;
        k++;
      }
    }
    for (int i = 0; i < n; i++) {
      boolean constant = true;
      for (int j = 0; j < n; j++) {
        constant &= i == j || Double.isNaN(m[i][j]);
      }
      if (constant && n > 1) {
        m[i][i] = Double.NaN;
      }
    }
    return m;
  }

  private static long pairKey(int i, int j) {
    return ((long) i << 32) | j;
  }

  /** ContingencySimilarity of every pair that is not numeric × numeric, in one aggregation. */
  private static Map<Long, Double> contingencySimilarities(
      Dataset<Row> real,
      Dataset<Row> synthetic,
      List<Spec> all,
      Map<Integer, double[]> ranges,
      int pairBins,
      long realRows,
      long syntheticRows) {
    List<Column> discrete = new ArrayList<>();
    for (Spec s : all) {
      if (s.kind() == Kind.CATEGORICAL) {
        discrete.add(col(s.internal()));
      } else {
        double[] range = ranges.getOrDefault(s.index(), new double[] {0, 0});
        discrete.add(bin(s, range, pairBins).cast("string"));
      }
    }
    List<Column> cells = new ArrayList<>();
    List<Long> keys = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        if (all.get(i).kind() == Kind.NUMERIC && all.get(j).kind() == Kind.NUMERIC) {
          continue;
        }
        cells.add(
            struct(lit(keys.size()).as("pair"), discrete.get(i).as("a"), discrete.get(j).as("b")));
        keys.add(pairKey(i, j));
      }
    }
    Map<Long, Double> out = new HashMap<>();
    if (cells.isEmpty()) {
      return out;
    }
    Column[] arr = cells.toArray(Column[]::new);
    Dataset<Row> r =
        real.select(explode(array(arr)).as("e")).select(col("e.*")).withColumn("src", lit(0));
    Dataset<Row> s =
        synthetic.select(explode(array(arr)).as("e")).select(col("e.*")).withColumn("src", lit(1));
    Dataset<Row> tv =
        r.unionAll(s)
            .groupBy("pair", "a", "b")
            .agg(realCount(), syntheticCount())
            .withColumn(
                "d",
                abs(
                    col("r")
                        .divide((double) realRows)
                        .minus(col("s").divide((double) syntheticRows))))
            .groupBy("pair")
            .agg(sum("d").as("tv"));
    for (Row row : tv.collectAsList()) {
      out.put(keys.get(row.getInt(0)), 1.0 - 0.5 * row.getDouble(1));
    }
    return out;
  }

  private static double[] shares(long[] counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    double[] out = new double[counts.length];
    for (int k = 0; k < counts.length && total > 0; k++) {
      out[k] = (double) counts[k] / total;
    }
    return out;
  }

  private static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }

  static long rows(Dataset<Row> table) {
    return table.agg(count(lit(1))).first().getLong(0);
  }
}
