package org.synthweave.augmentation.spark;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.synthweave.augmentation.DatasetSpec;

/**
 * What the ops of one dataset share: the spec, the run seed, the real rows (with {@link
 * SparkAugmentation#SOURCE_ID}), column roles, per-column statistics of the real rows and the
 * constraints.
 *
 * @param spec the dataset's plan
 * @param seed the run seed
 * @param real the real source rows, with the source id column
 * @param numeric numeric columns the numeric ops change
 * @param categorical categorical columns
 * @param mean mean of each numeric column over the real rows (rounded, see SparkAugmentation)
 * @param std standard deviation of each numeric column over the real rows (rounded)
 * @param constraints what must hold after every op
 */
record AugmentContext(
    DatasetSpec spec,
    long seed,
    Dataset<Row> real,
    List<String> numeric,
    List<String> categorical,
    Map<String, Double> mean,
    Map<String, Double> std,
    SparkConstraints constraints) {

  boolean hasLabel() {
    return !spec.label().isEmpty();
  }

  /** The numeric columns an op changes: its {@code columns} parameter, else all. */
  List<String> numericFor(org.synthweave.augmentation.OpSpec op) {
    if (!op.op().defaults().containsKey("columns")) {
      return numeric;
    }
    List<String> chosen = op.list("columns");
    for (String c : chosen) {
      if (!numeric.contains(c)) {
        throw org.synthweave.augmentation.AugmentationErrors.badParameter(
            spec.name(),
            op.op().id(),
            "columns",
            c,
            "it is not one of the numeric columns " + numeric);
      }
    }
    return chosen.isEmpty() ? numeric : chosen;
  }
}
