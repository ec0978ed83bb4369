package org.synthweave.synthesis.data;

import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A block of encoded rows (row-major floats) and their category indexes, the unit a trainer works
 * on: the whole table on one JVM, or one partition on a Spark executor.
 */
public record EncodedTable(int rows, int dim, int categoricalColumns, float[] data, int[] cats)
    implements Serializable {

  public static EncodedTable encode(DataTransformer t, List<Object[]> rows, SplittableRandom rnd) {
    int n = rows.size();
    int nc = t.categoricalColumns().length;
    float[] data = new float[n * t.dim()];
    int[] cats = new int[n * nc];
    for (int i = 0; i < n; i++) {
      t.encode(rows.get(i), rnd, data, i * t.dim(), cats, i * nc);
    }
    return new EncodedTable(n, t.dim(), nc, data, cats);
  }

  public int category(int row, int column) {
    return cats[row * categoricalColumns + column];
  }
}
