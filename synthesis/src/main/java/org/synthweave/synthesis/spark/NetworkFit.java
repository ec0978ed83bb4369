package org.synthweave.synthesis.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.synthweave.core.ContentIds;
import org.synthweave.synthesis.SynthesisConfig;
import org.synthweave.synthesis.SynthesisModel;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.Seeds;
import org.synthweave.synthesis.train.TrainingSchedule;

/**
 * What CTGAN's and TVAE's fits share: a trained network and how it was trained, the split of the
 * rows into those a network trains on and those held out to score its rounds, and the fingerprint
 * that ties a checkpoint to the run that wrote it.
 *
 * @param outcome the training schedule's run, null for the paper's fixed epochs
 * @param validationRows rows held out of training (0 for the fixed epochs)
 */
record NetworkFit(
    SynthesisModel model,
    int epochsRun,
    int batchSize,
    TrainingSchedule.Outcome outcome,
    long validationRows) {

  /**
   * Rows held out for the stopping signal: the share, at least 100 (at most 30%), at most 5,000.
   */
  static long validationRows(long rows, double share) {
    long v = Math.round(rows * share);
    v = Math.max(v, Math.min(100, (long) (rows * 0.3)));
    return Math.min(v, 5_000);
  }

  /** The rows a network trains on (cached: unpersist with {@link #close}) and the held-out rows. */
  record HeldOut(Dataset<Row> train, long trainRows, List<Object[]> validation)
      implements AutoCloseable {
    /**
     * Holds {@link #validationRows} of {@code n} rows out by a seeded split; {@code salt} keeps the
     * split of one network independent of another's.
     */
    static HeldOut split(
        SynthesisConfig cfg, Dataset<Row> rows, List<ColumnSpec> specs, long n, long salt) {
      long v = validationRows(n, cfg.validationShare());
      Dataset<Row>[] parts = rows.randomSplit(new double[] {n - v, v}, Seeds.mix(cfg.seed(), salt));
      Dataset<Row> train = parts[0].cache();
      return new HeldOut(train, train.count(), SparkCtganFit.collect(parts[1], specs));
    }

    @Override
    public void close() {
      train.unpersist();
    }
  }

  /**
   * A checkpoint's fingerprint: the encoded columns (with each continuous column's mode means,
   * which a different sample of rows moves) and the {@code parts} of the run's settings.
   */
  static String fingerprint(DataTransformer t, Object... parts) {
    String means =
        Arrays.toString(
            t.columns().stream()
                .map(c -> c.continuous() == null ? "" : Arrays.toString(c.continuous().means()))
                .toArray());
    StringBuilder b = new StringBuilder(t.columns().toString()).append('|').append(means);
    for (Object p : parts) {
      b.append('|').append(p);
    }
    return ContentIds.sha256Hex(b.toString());
  }
}
