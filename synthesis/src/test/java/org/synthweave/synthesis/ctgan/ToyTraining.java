package org.synthweave.synthesis.ctgan;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.EncodedTable;

/**
 * CTGAN on small toy tables, for tests: narrow networks, batch 200, learning rate 1e-3, trained on
 * one JVM without progress output.
 */
final class ToyTraining {
  private ToyTraining() {}

  /** {@code classifierTarget} empty: no auxiliary classifier. */
  static CtganOptions options(int epochs, String classifierTarget) {
    return new CtganOptions(
        32,
        List.of(64, 64),
        List.of(64, 64),
        10,
        200,
        epochs,
        1e-3,
        1e-3,
        0.5,
        0.9,
        1e-6,
        10,
        0.2,
        0.2,
        0.5,
        1,
        10,
        0.005,
        0.1,
        classifierTarget,
        List.of(64, 64),
        1,
        0);
  }

  /** Every epoch of {@code o} on {@code data}, from the seed's initial state. */
  static ParamState train(DataTransformer t, CtganOptions o, EncodedTable data, long seed) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return CtganTrainer.train(
        t,
        o,
        seed,
        CtganTrainer.localRunner(t, o, data, seed, 1),
        Checkpoint.NONE,
        o.epochs(),
        "toy",
        quiet);
  }
}
