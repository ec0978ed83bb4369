package org.synthweave.synthesis.ctgan;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.synthweave.synthesis.SynthesisErrors;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.EncodedTable;
import org.synthweave.synthesis.data.Seeds;

/**
 * The epoch loop shared by both training paths: resumes from the checkpoint when there is one, runs
 * the epochs, prints progress and mean losses per epoch, stops with a clear error when a loss is no
 * longer finite, and checkpoints every {@code checkpointEvery} epochs and at the end.
 */
public final class CtganTrainer {
  private CtganTrainer() {}

  /** Steps per epoch as in CTGAN: rows / batch, at least one. */
  public static int stepsPerEpoch(long rows, CtganOptions o) {
    return (int) Math.max(1, rows / o.batchSize());
  }

  /**
   * The single-JVM path by rounds: every round runs {@code steps} steps over the whole table, with
   * random choices derived from the seed and the round.
   */
  public static EpochRunner localRounds(
      DataTransformer t, CtganOptions o, EncodedTable data, long seed, int threads, int steps) {
    LocalTrainer trainer = new LocalTrainer(t, o, data, threads);
    return (state, round) ->
        trainer.run(state, steps, new SplittableRandom(Seeds.mix(seed, round, 0, 0)));
  }

  /** The single-JVM path: every epoch runs {@link #stepsPerEpoch} steps over the whole table. */
  public static EpochRunner localRunner(
      DataTransformer t, CtganOptions o, EncodedTable data, long seed, int threads) {
    LocalTrainer trainer = new LocalTrainer(t, o, data, threads);
    int steps = stepsPerEpoch(data.rows(), o);
    return (state, epoch) ->
        trainer.run(state, steps, new SplittableRandom(Seeds.mix(seed, epoch, 0, 0)));
  }

  public static ParamState train(
      DataTransformer t,
      CtganOptions o,
      long seed,
      EpochRunner runner,
      Checkpoint checkpoint,
      int checkpointEvery,
      String modelName,
      PrintStream progress) {
    ParamState state;
    int start;
    Optional<Checkpoint.Saved> saved = checkpoint.latest();
    if (saved.isPresent()) {
      state = saved.get().state();
      start = saved.get().epochsDone();
      progress.printf(
          Locale.ROOT,
          "synthesis: %s resumes after epoch %d of %d%n",
          modelName,
          start,
          o.epochs());
    } else {
      state = CtganNetwork.initialState(t, o, new SplittableRandom(Seeds.mix(seed, -1)));
      start = 0;
    }
    for (int epoch = start; epoch < o.epochs(); epoch++) {
      long t0 = System.nanoTime();
      LocalTrainer.Result r = runner.runEpoch(state, epoch);
      state = r.state();
      double lossD = r.losses().discriminator() / Math.max(1, r.losses().steps());
      double lossG = r.losses().generator() / Math.max(1, r.losses().steps());
      if (!Double.isFinite(lossD) || !Double.isFinite(lossG)) {
        throw SynthesisErrors.diverged(
            modelName,
            "epoch " + (epoch + 1),
            Double.isFinite(lossD) ? "the generator loss" : "the critic loss");
      }
      String extra =
          o.hasClassifier()
              ? String.format(
                  Locale.ROOT,
                  "  loss_c %.4f",
                  r.losses().classifier() / Math.max(1, r.losses().steps()))
              : "";
      int updates = r.losses().steps() * (o.discriminatorSteps() + (o.hasClassifier() ? 2 : 1));
      if (r.losses().skipped() >= updates) {
        throw SynthesisErrors.diverged(
            modelName, "epoch " + (epoch + 1), "every gradient of the epoch");
      }
      if (r.losses().skipped() > 0) {
        extra +=
            String.format(
                Locale.ROOT,
                "  (%d of %d updates skipped: non-finite gradient)",
                r.losses().skipped(),
                updates);
      }
      progress.printf(
          Locale.ROOT,
          "synthesis: %s epoch %d/%d  loss_d %.4f  loss_g %.4f%s  %.2f s%n",
          modelName,
          epoch + 1,
          o.epochs(),
          lossD,
          lossG,
          extra,
          (System.nanoTime() - t0) / 1e9);
      if ((epoch + 1) % checkpointEvery == 0 || epoch + 1 == o.epochs()) {
        checkpoint.save(state, epoch + 1);
      }
    }
    return state;
  }
}
