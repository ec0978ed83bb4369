package org.synthweave.synthesis.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.synthweave.synthesis.SynthesisErrors;
import org.synthweave.synthesis.ctgan.Checkpoint;
import org.synthweave.synthesis.ctgan.LocalTrainer;
import org.synthweave.synthesis.ctgan.ParamState;

/**
 * Trains a network by optimizer steps and stops on a validation signal, not after a fixed number of
 * epochs: it runs rounds of steps, and after each round samples rows from the current weights and
 * scores them against real rows that training never saw ({@link ValidationScore}). The weights of
 * the best round are the result. Training stops at the first of: {@code maxSteps}; {@code patience}
 * rounds without a better score once {@code minSteps} are done; the time budget (checked after each
 * round, so one round may overrun it).
 *
 * <p>A paper's epoch count assumes a table of tens of thousands of rows: 300 epochs of a 700-row
 * table in batches of 500 are 300 steps, too few for a GAN to learn anything, while the same epochs
 * of a million-row table are 600,000 steps, far more than it needs. Steps with a floor, a ceiling
 * and a validation signal hold across those sizes.
 *
 * <p>A checkpoint is saved after each round; a resumed run restarts the patience count from the
 * checkpointed weights (the best score so far is not in the checkpoint).
 */
public final class TrainingSchedule {
  /** When a schedule stops. {@code timeBudgetSeconds} 0 means no budget. */
  public record Options(
      int minSteps, int maxSteps, int stepsPerRound, int patience, double timeBudgetSeconds) {
    public Options {
      if (minSteps < 0 || maxSteps < 1 || minSteps > maxSteps) {
        throw new IllegalArgumentException(
            "steps must satisfy 0 <= min <= max and max >= 1, got " + minSteps + ", " + maxSteps);
      }
      if (stepsPerRound < 1 || patience < 1 || timeBudgetSeconds < 0) {
        throw new IllegalArgumentException(
            "stepsPerRound and patience must be >= 1 and the budget >= 0");
      }
    }
  }

  /**
   * What one round ran: the state after it, the optimizer steps taken, and the mean of each of the
   * network's losses over them, by name (for the progress line and the curve).
   */
  public record Ran(ParamState state, int steps, Map<String, Double> losses) {
    public Ran {
      losses = Collections.unmodifiableMap(new LinkedHashMap<>(losses));
    }

    /**
     * A CTGAN round: the critic's and the generator's mean losses; a loss that is no longer a
     * finite number stops training with the error that says what to change.
     */
    public static Ran ofCtgan(LocalTrainer.Result res, String model, int round) {
      int n = Math.max(1, res.losses().steps());
      double lossD = res.losses().discriminator() / n;
      double lossG = res.losses().generator() / n;
      if (!Double.isFinite(lossD) || !Double.isFinite(lossG)) {
        throw SynthesisErrors.diverged(
            model,
            "round " + (round + 1),
            Double.isFinite(lossD) ? "the generator loss" : "the critic loss");
      }
      Map<String, Double> losses = new LinkedHashMap<>();
      losses.put("loss_d", lossD);
      losses.put("loss_g", lossG);
      return new Ran(res.state(), res.losses().steps(), losses);
    }
  }

  /** The network a schedule trains: how it runs a round, samples rows and counts its steps. */
  public interface Network {
    /** Runs one round of steps from {@code state}; {@code round} counts from 0. */
    Ran round(ParamState state, int round);

    /** Draws {@code n} rows with {@code seed} from the model {@code state} holds. */
    List<Object[]> sample(ParamState state, int n, long seed);

    /** The optimizer steps {@code state} has taken (to resume from a checkpoint). */
    long stepsDone(ParamState state);
  }

  /** One round's figures, for the progress line and the model folder. */
  public record Point(int round, long steps, double score, Map<String, Double> losses) {}

  /** What a schedule ran and why it stopped. */
  public record Outcome(
      ParamState best,
      long bestSteps,
      double bestScore,
      long stepsRun,
      int rounds,
      String stopReason,
      List<Point> curve) {}

  private TrainingSchedule() {}

  /**
   * Runs rounds of {@code network} from {@code initial} (or the checkpoint's state) until a stop
   * rule fires. The network's samples and {@code score} give the validation signal, on {@code
   * evalRows} rows drawn with the same {@code evalSeed} every round, so rounds are compared on
   * equal terms.
   */
  public static Outcome run(
      ParamState initial,
      Network network,
      ValidationScore score,
      int evalRows,
      long evalSeed,
      Options o,
      Checkpoint checkpoint,
      String modelName,
      PrintStream progress) {
    long start = System.nanoTime();
    ParamState state = initial;
    int r = 0;
    long steps = 0;
    Optional<Checkpoint.Saved> saved = checkpoint.latest();
    if (saved.isPresent()) {
      state = saved.get().state();
      r = saved.get().epochsDone();
      steps = network.stepsDone(state);
      progress.printf(
          Locale.ROOT, "synthesis: %s resumes after round %d (%d steps)%n", modelName, r, steps);
    }
    ParamState best = state;
    double bestScore = Double.NEGATIVE_INFINITY;
    long bestSteps = steps;
    int sinceBest = 0;
    List<Point> curve = new ArrayList<>();
    String reason;
    while (true) {
      long t0 = System.nanoTime();
      Ran res = network.round(state, r);
      state = res.state();
      r++;
      steps += res.steps();
      double s = score.score(network.sample(state, evalRows, evalSeed)).score();
      // Before minSteps a network is still learning fast and the score of a small validation set
      // is noisy: an early lucky round must not become the kept one.
      // Until then the latest round is kept (a budget stop keeps it); the first round past
      // minSteps is kept whatever its score, and only later rounds compete.
      boolean firstEligible = steps >= o.minSteps() && bestSteps < o.minSteps();
      boolean better = steps < o.minSteps() || firstEligible || s > bestScore;
      if (better) {
        best = state;
        bestScore = s;
        bestSteps = steps;
        sinceBest = 0;
      } else {
        sinceBest++;
      }
      curve.add(new Point(r, steps, s, res.losses()));
      double elapsed = (System.nanoTime() - start) / 1e9;
      StringBuilder losses = new StringBuilder();
      res.losses().forEach((k, v) -> losses.append(String.format(Locale.ROOT, "  %s %.4f", k, v)));
      progress.printf(
          Locale.ROOT,
          "synthesis: %s step %d/%d%s  validation %.4f%s  %.2f s%n",
          modelName,
          steps,
          o.maxSteps(),
          losses,
          s,
          better ? " (best)" : "",
          (System.nanoTime() - t0) / 1e9);
      checkpoint.save(state, r);
      if (steps >= o.maxSteps()) {
        reason = "max-steps";
        break;
      }
      if (steps >= o.minSteps() && sinceBest >= o.patience()) {
        reason = "no better validation score in " + sinceBest + " rounds";
        break;
      }
      if (o.timeBudgetSeconds() > 0 && elapsed >= o.timeBudgetSeconds()) {
        reason = "time budget";
        break;
      }
    }
    progress.printf(
        Locale.ROOT,
        "synthesis: %s stopped after %d steps (%s); keeps step %d, validation %.4f%n",
        modelName,
        steps,
        reason,
        bestSteps,
        bestScore);
    return new Outcome(best, bestSteps, bestScore, steps, r, reason, List.copyOf(curve));
  }
}
