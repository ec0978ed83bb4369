package org.synthweave.synthesis.spark;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.synthweave.core.ContentIds;
import org.synthweave.synthesis.SynthesisConfig;
import org.synthweave.synthesis.SynthesisErrors;
import org.synthweave.synthesis.SynthesisModel;
import org.synthweave.synthesis.ctgan.Checkpoint;
import org.synthweave.synthesis.ctgan.ParamState;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.Seeds;
import org.synthweave.synthesis.train.TrainingSchedule;
import org.synthweave.synthesis.train.ValidationScore;

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

  /** Trains a network on {@code n} rows with {@code validation} held out (none: fixed epochs). */
  @FunctionalInterface
  interface Training {
    NetworkFit train(Dataset<Row> rows, long n, List<Object[]> validation);
  }

  /**
   * Fixed epochs on every row ({@code byEpochs}), or by steps on the rows left when {@link
   * HeldOut#split} has held out the validation rows; either way at least {@code minRows} training
   * rows, or a clear error.
   */
  static NetworkFit fit(
      SynthesisConfig cfg,
      String table,
      Dataset<Row> rows,
      List<ColumnSpec> specs,
      long n,
      boolean byEpochs,
      long salt,
      int minRows,
      Training training) {
    if (byEpochs) {
      if (n < minRows) {
        throw SynthesisErrors.tooFewRows(table, n, minRows);
      }
      return training.train(rows, n, List.of());
    }
    try (HeldOut h = HeldOut.split(cfg, rows, specs, n, salt)) {
      if (h.trainRows() < minRows || h.validation().isEmpty()) {
        throw SynthesisErrors.tooFewRows(table, n, minRows);
      }
      return training.train(h.train(), h.trainRows(), h.validation());
    }
  }

  /** Runs one round of steps from a state; {@code round} counts from 0. */
  @FunctionalInterface
  interface Round {
    TrainingSchedule.Ran run(ParamState state, int round);
  }

  /**
   * Trains by steps: {@link TrainingSchedule} runs {@code round} from {@code initial}, each round
   * scored against {@code validation} on twice as many rows (1,000 to 5,000) sampled from {@code
   * model} of its state with the same seed; {@code stepsCounter} is the state's counter of steps.
   * The result holds the best round's model and the epochs its steps amount to.
   */
  static NetworkFit bySteps(
      SynthesisConfig cfg,
      ParamState initial,
      Round round,
      Function<ParamState, SynthesisModel> model,
      String stepsCounter,
      int batchSize,
      long n,
      List<ColumnSpec> specs,
      List<Object[]> validation,
      Checkpoint checkpoint,
      String name,
      PrintStream out) {
    TrainingSchedule.Outcome outcome =
        TrainingSchedule.run(
            initial,
            new TrainingSchedule.Network() {
              @Override
              public TrainingSchedule.Ran round(ParamState state, int r) {
                return round.run(state, r);
              }

              @Override
              public List<Object[]> sample(ParamState state, int k, long seed) {
                return model.apply(state).sample(k, seed, null);
              }

              @Override
              public long stepsDone(ParamState state) {
                return state.counter(stepsCounter);
              }
            },
            new ValidationScore(specs, validation),
            (int) Math.max(1_000, Math.min(5_000, 2L * validation.size())),
            Seeds.mix(cfg.seed(), 0x6576616cL),
            cfg.schedule(),
            checkpoint,
            name,
            out);
    int epochs = (int) Math.ceil((double) outcome.stepsRun() * batchSize / n);
    return new NetworkFit(
        model.apply(outcome.best()), epochs, batchSize, outcome, validation.size());
  }

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
