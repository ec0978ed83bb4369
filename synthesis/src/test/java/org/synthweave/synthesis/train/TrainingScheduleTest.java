package org.synthweave.synthesis.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.synthweave.synthesis.ctgan.Checkpoint;
import org.synthweave.synthesis.ctgan.ParamState;
import org.synthweave.synthesis.data.ColumnSpec;

/**
 * The stop rules, with rounds whose samples are scripted: each round's state records its number,
 * and its sample has a scripted share of one category against held-out rows with half of it, so the
 * validation score of each round is known in advance.
 */
class TrainingScheduleTest {
  private static final List<ColumnSpec> SPECS =
      List.of(new ColumnSpec("c", ColumnSpec.Kind.CATEGORICAL, "string"));

  private static List<Object[]> rows(int n, double shareOfA) {
    List<Object[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Object[] {i < Math.round(n * shareOfA) ? "a" : "b"});
    }
    return out;
  }

  private static TrainingSchedule.Outcome run(double[] shares, TrainingSchedule.Options o) {
    ParamState initial = new ParamState();
    initial.counter("round", 0);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return TrainingSchedule.run(
        initial,
        new TrainingSchedule.Network() {
          @Override
          public TrainingSchedule.Ran round(ParamState state, int round) {
            ParamState next = new ParamState();
            next.counter("round", round + 1);
            return new TrainingSchedule.Ran(next, 10, Map.of("loss", 1.0));
          }

          @Override
          public List<Object[]> sample(ParamState state, int n, long seed) {
            return rows(n, shares[(int) state.counter("round") - 1]);
          }

          @Override
          public long stepsDone(ParamState state) {
            return 10 * state.counter("round");
          }
        },
        new ValidationScore(SPECS, rows(100, 0.5)),
        1000,
        1,
        o,
        Checkpoint.NONE,
        "test",
        quiet);
  }

  @Test
  void keepsTheBestRoundAfterMinStepsAndStopsAfterPatience() {
    // Round 1 is perfect but comes before min-steps (30): it must not be kept.
    double[] shares = {0.5, 0.9, 0.8, 0.7, 0.95, 0.95, 0.5, 0.5, 0.5, 0.5};
    TrainingSchedule.Outcome out = run(shares, new TrainingSchedule.Options(30, 100, 10, 2, 0));
    assertEquals(40, out.bestSteps(), "round 4 (0.7) is the best from round 3 on");
    assertEquals(4, out.best().counter("round"));
    assertEquals(6, out.rounds(), "two rounds without a better score after it");
    assertEquals(60, out.stepsRun());
    assertTrue(out.stopReason().startsWith("no better validation score"), out.stopReason());
  }

  @Test
  void stopsAtMaxStepsAndKeepsTheLatestBeforeMinSteps() {
    double[] shares = {0.9, 0.8, 0.7, 0.6};
    TrainingSchedule.Outcome max = run(shares, new TrainingSchedule.Options(10, 40, 10, 5, 0));
    assertEquals("max-steps", max.stopReason());
    assertEquals(40, max.bestSteps(), "scores improve every round");
    // A budget that ends the run before min-steps keeps the latest round.
    TrainingSchedule.Outcome budget =
        run(shares, new TrainingSchedule.Options(1_000, 2_000, 10, 5, 1e-9));
    assertEquals("time budget", budget.stopReason());
    assertEquals(1, budget.rounds());
    assertEquals(10, budget.bestSteps());
  }
}
