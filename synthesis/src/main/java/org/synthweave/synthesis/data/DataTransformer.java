package org.synthweave.synthesis.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * CTGAN's reversible encoding of a table row into a float vector. A continuous column becomes a
 * scalar {@code alpha = (x - mu_k) / (4 sigma_k)} clipped to (-1, 1) plus the one-hot of a mode
 * {@code k} drawn from the mixture's posterior for {@code x} (mode-specific normalization), or the
 * mode of a point mass when {@code x} is one (a value holding a large share of the column, encoded
 * with alpha 0 and decoded exactly), and, when the column has nulls, a two-way one-hot [present,
 * null]. A categorical column becomes the one-hot of its category. The condition vector of
 * training-by-sampling covers the categorical columns only, as in the paper.
 */
public final class DataTransformer implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double CLIP = 0.99;

  private final List<ColumnModel> columns;
  private final List<Span> spans = new ArrayList<>();
  private final int[] columnOffset;
  private final int[] categoricalColumns;
  private final int[] condOffset;
  private final int dim;
  private final int condDim;
  private transient Map<Integer, Map<String, Integer>> categoryIndex;

  public DataTransformer(List<ColumnModel> columns) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("columns must not be empty");
    }
    this.columns = List.copyOf(columns);
    this.columnOffset = new int[columns.size()];
    List<Integer> cats = new ArrayList<>();
    int off = 0;
    for (int c = 0; c < columns.size(); c++) {
      ColumnModel m = columns.get(c);
      columnOffset[c] = off;
      if (m.continuous() != null) {
        spans.add(new Span(off, 1, Span.Activation.TANH));
        off += 1;
        int modes = m.continuous().modeCount();
        spans.add(new Span(off, modes, Span.Activation.SOFTMAX));
        off += modes;
        if (m.continuous().nullable()) {
          spans.add(new Span(off, 2, Span.Activation.SOFTMAX));
          off += 2;
        }
      } else {
        int k = m.categorical().categories().size();
        spans.add(new Span(off, k, Span.Activation.SOFTMAX));
        off += k;
        cats.add(c);
      }
    }
    this.dim = off;
    this.categoricalColumns = cats.stream().mapToInt(Integer::intValue).toArray();
    this.condOffset = new int[categoricalColumns.length];
    int co = 0;
    for (int i = 0; i < categoricalColumns.length; i++) {
      condOffset[i] = co;
      co += columns.get(categoricalColumns[i]).categorical().categories().size();
    }
    this.condDim = co;
  }

  /**
   * Fits on in-memory rows: the single-JVM path for small tables (Spark fits the same pieces). A
   * value holding at least {@code pointShare} of a continuous column's non-null values becomes a
   * point mass; 0 turns point masses off.
   */
  public static DataTransformer fit(
      List<ColumnSpec> specs,
      List<Object[]> rows,
      int maxModes,
      double weightThreshold,
      double pointShare) {
    List<ColumnModel> models = new ArrayList<>();
    for (int c = 0; c < specs.size(); c++) {
      ColumnSpec spec = specs.get(c);
      if (spec.kind() == ColumnSpec.Kind.CONTINUOUS) {
        double[] values = new double[rows.size()];
        int n = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Object[] r : rows) {
          if (r[c] != null) {
            double v = ((Number) r[c]).doubleValue();
            values[n++] = v;
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
        }
        if (n == 0) {
          throw new IllegalArgumentException("column " + spec.name() + " holds only nulls");
        }
        Map<Double, Long> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
          counts.merge(values[i], 1L, Long::sum);
        }
        double[] points = pointMasses(counts, n, pointShare);
        double[] rest =
            Arrays.stream(values, 0, n)
                .filter(v -> ColumnModel.Continuous.pointIndex(points, v) < 0)
                .toArray();
        GaussianMixture1D g =
            GaussianMixture1D.fit(
                rest.length > 0 ? rest : Arrays.copyOf(values, n),
                maxModes,
                weightThreshold,
                100,
                1e-4);
        models.add(
            ColumnModel.continuous(
                spec, ColumnModel.Continuous.of(g, min, max, rows.size() - (long) n, points)));
      } else {
        Map<String, Long> counts = new HashMap<>();
        for (Object[] r : rows) {
          counts.merge((String) r[c], 1L, Long::sum);
        }
        models.add(ColumnModel.categorical(spec, categorical(counts)));
      }
    }
    return new DataTransformer(models);
  }

  /**
   * The values among {@code counts} (value to occurrences among {@code nonNull} values) that hold
   * at least {@code share} of them, ascending; none when {@code share} is 0.
   */
  public static double[] pointMasses(Map<Double, Long> counts, long nonNull, double share) {
    if (share <= 0) {
      return new double[0];
    }
    return counts.entrySet().stream()
        .filter(e -> e.getValue() >= share * nonNull)
        .mapToDouble(Map.Entry::getKey)
        .sorted()
        .toArray();
  }

  /** Categories most frequent first, ties by name (null last), for a deterministic layout. */
  public static ColumnModel.Categorical categorical(Map<String, Long> counts) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(
        (a, b) -> {
          int byCount = Long.compare(b.getValue(), a.getValue());
          if (byCount != 0) {
            return byCount;
          }
          if (a.getKey() == null || b.getKey() == null) {
            return a.getKey() == null ? 1 : -1;
          }
          return a.getKey().compareTo(b.getKey());
        });
    List<String> cats = new ArrayList<>();
    long[] n = new long[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      cats.add(entries.get(i).getKey());
      n[i] = entries.get(i).getValue();
    }
    return new ColumnModel.Categorical(cats, n);
  }

  public List<ColumnModel> columns() {
    return columns;
  }

  public List<ColumnSpec> specs() {
    return columns.stream().map(ColumnModel::spec).toList();
  }

  /** Width of an encoded row. */
  public int dim() {
    return dim;
  }

  /** Width of the condition vector (sum of the categorical columns' category counts). */
  public int condDim() {
    return condDim;
  }

  public List<Span> spans() {
    return Collections.unmodifiableList(spans);
  }

  /** Indexes (into {@link #columns()}) of the categorical columns, in condition-vector order. */
  public int[] categoricalColumns() {
    return categoricalColumns.clone();
  }

  /** Where categorical column number {@code i} (condition order) starts in the condition vector. */
  public int condOffset(int i) {
    return condOffset[i];
  }

  /**
   * Where column {@code c} (of {@link #columns()}) starts in an encoded row: a continuous column's
   * alpha, then its modes' one-hot.
   */
  public int columnOffset(int c) {
    return columnOffset[c];
  }

  /** Where categorical column number {@code i} (condition order) starts in an encoded row. */
  public int dataOffset(int i) {
    return columnOffset[categoricalColumns[i]];
  }

  public int categoryCount(int i) {
    return columns.get(categoricalColumns[i]).categorical().categories().size();
  }

  /** Index of a category of categorical column {@code i} (condition order), or -1. */
  public int categoryIndex(int i, String value) {
    Integer k = index().get(i).get(value);
    return k == null ? -1 : k;
  }

  private Map<Integer, Map<String, Integer>> index() {
    if (categoryIndex == null) {
      Map<Integer, Map<String, Integer>> idx = new TreeMap<>();
      for (int i = 0; i < categoricalColumns.length; i++) {
        Map<String, Integer> m = new HashMap<>();
        List<String> cats = columns.get(categoricalColumns[i]).categorical().categories();
        for (int k = 0; k < cats.size(); k++) {
          m.put(cats.get(k), k);
        }
        idx.put(i, m);
      }
      categoryIndex = idx;
    }
    return categoryIndex;
  }

  /**
   * Encodes {@code row} into {@code out[offset..offset+dim)} and its category indexes into {@code
   * cats[catOffset..)}; {@code rnd} draws the mode of each continuous value from its posterior.
   */
  public void encode(
      Object[] row, SplittableRandom rnd, float[] out, int offset, int[] cats, int catOffset) {
    double[] post = new double[16];
    int catNo = 0;
    for (int c = 0; c < columns.size(); c++) {
      ColumnModel m = columns.get(c);
      int off = offset + columnOffset[c];
      if (m.continuous() != null) {
        ColumnModel.Continuous cm = m.continuous();
        int modes = cm.weights().length;
        if (post.length < modes) {
          post = new double[modes];
        }
        int width = cm.modeCount();
        Object v = row[c];
        int mode;
        double alpha;
        double x = v == null ? Double.NaN : ((Number) v).doubleValue();
        int point = v == null ? -1 : cm.pointMode(x);
        if (v == null) {
          mode = draw(cm.weights(), rnd);
          alpha = 0;
        } else if (point >= 0) {
          mode = point;
          alpha = 0;
        } else {
          cm.mixture().posterior(x, post);
          mode = draw(Arrays.copyOf(post, modes), rnd);
          alpha = (x - cm.means()[mode]) / (4 * cm.stds()[mode]);
          alpha = Math.max(-CLIP, Math.min(CLIP, alpha));
        }
        out[off] = (float) alpha;
        for (int k = 0; k < width; k++) {
          out[off + 1 + k] = k == mode ? 1f : 0f;
        }
        if (cm.nullable()) {
          out[off + 1 + width] = v == null ? 0f : 1f;
          out[off + 2 + width] = v == null ? 1f : 0f;
        }
      } else {
        int k = categoryIndex(catNo, (String) row[c]);
        if (k < 0) {
          throw new IllegalArgumentException(
              "column " + m.spec().name() + " has a category not seen in fitting: " + row[c]);
        }
        int size = m.categorical().categories().size();
        for (int j = 0; j < size; j++) {
          out[off + j] = j == k ? 1f : 0f;
        }
        cats[catOffset + catNo] = k;
        catNo++;
      }
    }
  }

  /**
   * Decodes a generated row: {@code tanh} spans hold alpha, softmax spans hold scores whose argmax
   * is taken (the sampler adds Gumbel noise first, which makes the argmax a draw). A point mass's
   * mode gives its value exactly; other continuous values are clipped to the range seen in training
   * and rounded for integral types.
   */
  public Object[] decode(float[] in, int offset) {
    Object[] row = new Object[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      ColumnModel m = columns.get(c);
      int off = offset + columnOffset[c];
      if (m.continuous() != null) {
        ColumnModel.Continuous cm = m.continuous();
        int modes = cm.weights().length;
        int width = cm.modeCount();
        if (cm.nullable() && in[off + 2 + width] > in[off + 1 + width]) {
          row[c] = null;
          continue;
        }
        int mode = argmax(in, off + 1, width);
        if (mode >= modes) {
          row[c] = cm.points()[mode - modes];
          continue;
        }
        double alpha = Math.max(-1, Math.min(1, in[off]));
        double x = alpha * 4 * cm.stds()[mode] + cm.means()[mode];
        x = Math.max(cm.min(), Math.min(cm.max(), x));
        if (m.spec().integral()) {
          x = Math.rint(x);
        }
        row[c] = x;
      } else {
        List<String> cats = m.categorical().categories();
        row[c] = cats.get(argmax(in, off, cats.size()));
      }
    }
    return row;
  }

  static int argmax(float[] a, int from, int len) {
    int best = 0;
    for (int i = 1; i < len; i++) {
      if (a[from + i] > a[from + best]) {
        best = i;
      }
    }
    return best;
  }

  static int draw(double[] p, SplittableRandom rnd) {
    double u = rnd.nextDouble();
    double acc = 0;
    for (int i = 0; i < p.length; i++) {
      acc += p[i];
      if (u < acc) {
        return i;
      }
    }
    return p.length - 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataTransformer t && columns.equals(t.columns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(columns);
  }
}
