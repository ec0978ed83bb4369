package org.synthweave.verification.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.verification.synthetic.SyntheticReport.ColumnScore;
import org.synthweave.verification.synthetic.SyntheticReport.PairScore;

/**
 * The metric formulas against values computed here independently, in plain Java: KS and TV
 * complements, correlation and contingency similarity (random small tables, seed printed), F1, and
 * the Gower DCR on a table small enough to check by hand.
 */
class SyntheticMetricFormulasTest extends SparkTestBase {
  private static final StructType SCHEMA =
      new StructType()
          .add("x", DataTypes.DoubleType, true)
          .add("y", DataTypes.DoubleType, true)
          .add("c", DataTypes.StringType, true)
          .add("label", DataTypes.StringType, true);

  private static final int BINS = 4;

  @Test
  void fidelityScoresMatchIndependentComputation() {
    // Replay a failure with -Dtests.seed=<the printed seed>.
    long seed = Long.getLong("tests.seed", new Random().nextLong());
    System.out.println("SyntheticMetricFormulasTest seed: " + seed);
    Random rnd = new Random(seed);
    for (int round = 0; round < 2; round++) {
      List<Object[]> real = randomRows(rnd, 30 + rnd.nextInt(40), 0.0);
      List<Object[]> syn = randomRows(rnd, 20 + rnd.nextInt(40), rnd.nextDouble());
      EvaluatedColumns cols =
          EvaluatedColumns.of(frame(real), "label", SyntheticOptions.defaults());
      Dataset<Row> r = cols.normalize(frame(real), "real");
      Dataset<Row> s = cols.normalize(frame(syn), "synthetic");
      SparkFidelity.Result result =
          SparkFidelity.measure(cols, r, s, BINS, real.size(), syn.size());
      String where = "seed " + seed + " round " + round;

      Map<String, Double> shapes = new HashMap<>();
      for (ColumnScore c : result.columns()) {
        shapes.put(c.column(), c.score());
      }
      assertEquals(1 - ks(column(real, 0), column(syn, 0)), shapes.get("x"), 1e-12, where);
      assertEquals(1 - ks(column(real, 1), column(syn, 1)), shapes.get("y"), 1e-12, where);
      assertEquals(1 - tv(column(real, 2), column(syn, 2)), shapes.get("c"), 1e-12, where);
      assertEquals(1 - tv(column(real, 3), column(syn, 3)), shapes.get("label"), 1e-12, where);

      Map<String, PairScore> pairs = new HashMap<>();
      for (PairScore p : result.pairs()) {
        pairs.put(p.columnA() + "/" + p.columnB(), p);
      }
      assertEquals(6, pairs.size(), where);
      PairScore xy = pairs.get("x/y");
      assertEquals("CorrelationSimilarity", xy.metric());
      double pr = pearson(real, 0, 1);
      double ps = pearson(syn, 0, 1);
      assertEquals(pr, xy.real(), 1e-9, where);
      assertEquals(1 - Math.abs(pr - ps) / 2, xy.score(), 1e-9, where);
      // x with c: x cut into BINS equal-width bins over the real range, missing its own category.
      double[] range = range(column(real, 0));
      assertEquals(
          1
              - contingencyTv(
                  binned(real, 0, range), column(real, 2), binned(syn, 0, range), column(syn, 2)),
          pairs.get("x/c").score(),
          1e-12,
          where);
      assertEquals(
          1 - contingencyTv(column(real, 2), column(real, 3), column(syn, 2), column(syn, 3)),
          pairs.get("c/label").score(),
          1e-12,
          where);
    }
  }

  @Test
  void identicalTablesScoreOne() {
    long seed = 7L;
    System.out.println("identicalTablesScoreOne seed: " + seed);
    List<Object[]> rows = randomRows(new Random(seed), 50, 0.0);
    EvaluatedColumns cols = EvaluatedColumns.of(frame(rows), "label", SyntheticOptions.defaults());
    Dataset<Row> r = cols.normalize(frame(rows), "real");
    SparkFidelity.Result result = SparkFidelity.measure(cols, r, r, BINS, 50, 50);
    for (ColumnScore c : result.columns()) {
      assertEquals(1.0, c.score(), 1e-12, c.column());
    }
    for (PairScore p : result.pairs()) {
      assertEquals(1.0, p.score(), 1e-12, p.columnA() + "/" + p.columnB());
    }
  }

  @Test
  void f1OfMinorityClassAndMacroF1() {
    // true 0: 50 predicted 0, 10 predicted 1; true 1: 5 predicted 0, 15 predicted 1.
    long[][] binary = {{50, 10}, {5, 15}};
    assertEquals(2.0 * 15 / (2 * 15 + 10 + 5), SparkClassifiers.f1(binary, 1), 1e-12);
    long[][] three = {{5, 1, 0}, {2, 3, 1}, {0, 0, 0}};
    double f0 = 2.0 * 5 / (2 * 5 + 2 + 1);
    double f1 = 2.0 * 3 / (2 * 3 + 1 + 3);
    assertEquals((f0 + f1 + 0.0) / 3, SparkClassifiers.f1(three, -1), 1e-12);
  }

  @Test
  void gowerDcrByHand() {
    // Columns x (numeric, training range 10), y (forced categorical), c, label: the Gower
    // distance is the mean of 4 terms. Training rows (0, a) and (10, b); the synthetic row
    // (0, a) copies the first, (10, a) is one term (1/4) from either.
    List<Object[]> train = List.of(row(0.0, 0.0, "a", "p"), row(10.0, 0.0, "b", "p"));
    List<Object[]> holdout = List.<Object[]>of(row(5.0, 0.0, "a", "p"));
    List<Object[]> syn = List.of(row(0.0, 0.0, "a", "p"), row(10.0, 0.0, "a", "p"));
    SyntheticOptions opts = SyntheticOptions.defaults().withCategoricalColumns(Set.of("y"));
    EvaluatedColumns cols = EvaluatedColumns.of(frame(train), "label", opts);
    Dataset<Row> t = cols.normalize(frame(train), "train");
    SparkPrivacy.Dcr dcr =
        SparkPrivacy.dcr(
            cols,
            t,
            cols.normalize(frame(holdout), "holdout"),
            1,
            cols.normalize(frame(syn), "synthetic"),
            2,
            100,
            1L);
    // holdout: min(0.5 / 4, (0.5 + 1) / 4) = 0.125; synthetic: 0 and min(1 / 4, 1 / 4), whose
    // median (interpolated) is 0.125.
    assertEquals(0.125, dcr.holdoutMedian(), 1e-12);
    assertEquals(0.125, dcr.syntheticMedian(), 1e-12);
    assertEquals(1.0, dcr.ratio(), 1e-12);
    assertEquals(
        0.5,
        SparkPrivacy.exactCopyRate(cols, t, cols.normalize(frame(syn), "synthetic"), 2),
        1e-12);
  }

  private static Object[] row(Double x, Double y, String c, String label) {
    return new Object[] {x, y, c, label};
  }

  /** x uniform-ish, y correlated with x, c and label categorical; some missing values. */
  private static List<Object[]> randomRows(Random rnd, int n, double shift) {
    List<Object[]> rows = new ArrayList<>();
    String[] cats = {"a", "b", "c", "d"};
    for (int i = 0; i < n; i++) {
      Double x = rnd.nextInt(10) == 0 ? null : Math.floor((rnd.nextGaussian() + shift) * 4) / 4;
      Double y = x == null || rnd.nextInt(8) == 0 ? null : x * (1 - shift) + rnd.nextGaussian();
      String c =
          rnd.nextInt(12) == 0
              ? null
              : cats[Math.min(3, (int) (rnd.nextDouble() * (3 + shift * 2)))];
      String label = rnd.nextDouble() < 0.3 + shift / 3 ? "yes" : "no";
      rows.add(new Object[] {x, y, c, label});
    }
    return rows;
  }

  private Dataset<Row> frame(List<Object[]> rows) {
    List<Row> list = rows.stream().map(RowFactory::create).toList();
    return spark.createDataFrame(list, SCHEMA);
  }

  private static List<Object> column(List<Object[]> rows, int k) {
    List<Object> out = new ArrayList<>();
    for (Object[] r : rows) {
      out.add(r[k]);
    }
    return out;
  }

  /** Two-sample KS statistic over non-null values: the largest ECDF gap at any value. */
  private static double ks(List<Object> a, List<Object> b) {
    double[] x =
        a.stream().filter(Objects::nonNull).mapToDouble(o -> (Double) o).sorted().toArray();
    double[] y =
        b.stream().filter(Objects::nonNull).mapToDouble(o -> (Double) o).sorted().toArray();
    Set<Double> points = new HashSet<>();
    Arrays.stream(x).forEach(points::add);
    Arrays.stream(y).forEach(points::add);
    double d = 0;
    for (double v : points) {
      double fx = Arrays.stream(x).filter(z -> z <= v).count() / (double) x.length;
      double fy = Arrays.stream(y).filter(z -> z <= v).count() / (double) y.length;
      d = Math.max(d, Math.abs(fx - fy));
    }
    return d;
  }

  /** Total variation distance of the non-null category shares. */
  private static double tv(List<Object> a, List<Object> b) {
    Map<Object, Double> p = shares(a.stream().filter(Objects::nonNull).toList());
    Map<Object, Double> q = shares(b.stream().filter(Objects::nonNull).toList());
    Set<Object> keys = new HashSet<>(p.keySet());
    keys.addAll(q.keySet());
    double sum = 0;
    for (Object k : keys) {
      sum += Math.abs(p.getOrDefault(k, 0.0) - q.getOrDefault(k, 0.0));
    }
    return sum / 2;
  }

  private static Map<Object, Double> shares(List<Object> values) {
    Map<Object, Double> m = new HashMap<>();
    for (Object v : values) {
      m.merge(v, 1.0 / values.size(), Double::sum);
    }
    return m;
  }

  /** TV distance of the joint shares of (a, b), missing values (null) included as categories. */
  private static double contingencyTv(
      List<Object> ra, List<Object> rb, List<Object> sa, List<Object> sb) {
    List<Object> r = new ArrayList<>();
    List<Object> s = new ArrayList<>();
    for (int i = 0; i < ra.size(); i++) {
      r.add(Arrays.asList(ra.get(i), rb.get(i)));
    }
    for (int i = 0; i < sa.size(); i++) {
      s.add(Arrays.asList(sa.get(i), sb.get(i)));
    }
    return tv(r, s);
  }

  private static double[] range(List<Object> values) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Object o : values) {
      if (o != null) {
        lo = Math.min(lo, (Double) o);
        hi = Math.max(hi, (Double) o);
      }
    }
    return new double[] {lo, hi};
  }

  private static List<Object> binned(List<Object[]> rows, int k, double[] range) {
    List<Object> out = new ArrayList<>();
    for (Object[] r : rows) {
      if (r[k] == null) {
        out.add(null);
      } else {
        int b = (int) Math.floor(((Double) r[k] - range[0]) / (range[1] - range[0]) * BINS);
        out.add(Math.max(0, Math.min(BINS - 1, b)));
      }
    }
    return out;
  }

  private static double pearson(List<Object[]> rows, int a, int b) {
    List<double[]> xy = new ArrayList<>();
    for (Object[] r : rows) {
      if (r[a] != null && r[b] != null) {
        xy.add(new double[] {(Double) r[a], (Double) r[b]});
      }
    }
    double mx = xy.stream().mapToDouble(v -> v[0]).average().orElseThrow();
    double my = xy.stream().mapToDouble(v -> v[1]).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (double[] v : xy) {
      sxy += (v[0] - mx) * (v[1] - my);
      sxx += (v[0] - mx) * (v[0] - mx);
      syy += (v[1] - my) * (v[1] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
