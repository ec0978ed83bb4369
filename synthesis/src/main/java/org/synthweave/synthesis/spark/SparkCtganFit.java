package org.synthweave.synthesis.spark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.synthweave.synthesis.SynthesisConfig;
import org.synthweave.synthesis.SynthesisErrors;
import org.synthweave.synthesis.ctgan.Checkpoint;
import org.synthweave.synthesis.ctgan.CtganModel;
import org.synthweave.synthesis.ctgan.CtganNetwork;
import org.synthweave.synthesis.ctgan.CtganOptions;
import org.synthweave.synthesis.ctgan.CtganTrainer;
import org.synthweave.synthesis.ctgan.EpochRunner;
import org.synthweave.synthesis.ctgan.ParamState;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.EncodedTable;
import org.synthweave.synthesis.data.Seeds;
import org.synthweave.synthesis.train.TrainingSchedule;
import org.synthweave.synthesis.train.ValidationScore;

/**
 * Trains CTGAN on a prepared table, on the driver or data-parallel on the executors. With {@code
 * synth.ctgan.epochs} 0 (the default) it trains by steps: a share of the rows is held out, the
 * batch size follows the table's size, and {@link TrainingSchedule} stops on the held-out rows'
 * {@link ValidationScore}. With epochs N > 0 it runs the paper's fixed schedule on every row. With
 * a target (and no explicit {@code synth.ctgan.classifier-target}) the auxiliary classifier learns
 * the target and a share of the training conditions is put on it.
 */
final class SparkCtganFit {
  /** Salt of CTGAN's held-out split. */
  private static final long SPLIT_SALT = 0x76616cL;

  private SparkCtganFit() {}

  static NetworkFit fit(
      SynthesisConfig cfg,
      ModelStore store,
      String table,
      Dataset<Row> rows,
      List<ColumnSpec> specs,
      long n,
      String target,
      String dir,
      PrintStream out) {
    CtganOptions o = cfg.ctgan();
    if (!target.isEmpty() && !o.hasClassifier()) {
      o = o.withTarget(target, cfg.targetConditionShare());
    }
    CtganOptions options = o;
    return NetworkFit.fit(
        cfg,
        table,
        rows,
        specs,
        n,
        o.epochs() > 0,
        SPLIT_SALT,
        o.pac(),
        (train, k, validation) ->
            train(
                cfg, options.resolvedFor(k), store, table, train, specs, k, validation, dir, out));
  }

  private static NetworkFit train(
      SynthesisConfig cfg,
      CtganOptions o,
      ModelStore store,
      String table,
      Dataset<Row> rows,
      List<ColumnSpec> specs,
      long n,
      List<Object[]> validation,
      String dir,
      PrintStream out) {
    boolean bySteps = o.epochs() == 0;
    DataTransformer t =
        SparkModeNormalizer.fit(
            rows, specs, o.maxModes(), o.modeWeightThreshold(), o.pointMassShare());
    try {
      CtganNetwork.classifierColumn(t, o);
    } catch (IllegalArgumentException e) {
      throw SynthesisErrors.badOption(
          SynthesisConfig.CLASSIFIER_TARGET.name(),
          o.classifierTarget(),
          "in " + table + " " + e.getMessage());
    }
    int partitions = cfg.trainPartitions();
    boolean local = partitions == 1 && n <= cfg.localMaxRows();
    String fingerprint =
        NetworkFit.fingerprint(
            t,
            o,
            bySteps ? cfg.schedule() : "epochs",
            cfg.seed(),
            partitions,
            cfg.roundsPerEpoch(),
            n);
    Checkpoint checkpoint = store.checkpoint(dir + "/checkpoint", fingerprint);
    String name = SparkSynthesis.dataset(table) + "/ctgan";
    out.printf(
        "synthesis: %s: CTGAN on %d rows (batch %d%s), %d encoded features, %d condition values,"
            + " %s%n",
        table,
        n,
        o.batchSize(),
        bySteps
            ? ", by steps, " + validation.size() + " rows held out for validation"
            : ", " + o.epochs() + " epochs",
        t.dim(),
        t.condDim(),
        local ? "trained on the driver" : partitions + " data-parallel copies");
    CtganOptions options = o;
    int threads = cfg.torchThreads();
    SparkCtganTraining spark = null;
    try {
      EpochRunner runner;
      if (local) {
        List<Object[]> values = collect(rows, specs);
        EncodedTable data =
            EncodedTable.encode(
                t, values, new SplittableRandom(Seeds.mix(cfg.seed(), 0x656e63L, 0)));
        runner =
            bySteps
                ? CtganTrainer.localRounds(
                    t, o, data, cfg.seed(), threads, cfg.schedule().stepsPerRound())
                : CtganTrainer.localRunner(t, o, data, cfg.seed(), threads);
      } else {
        spark =
            new SparkCtganTraining(
                rows, specs, t, o, cfg.seed(), partitions, cfg.roundsPerEpoch(), threads);
        runner = spark;
      }
      if (!bySteps) {
        ParamState state =
            CtganTrainer.train(
                t, o, cfg.seed(), runner, checkpoint, cfg.checkpointEvery(), name, out);
        return new NetworkFit(
            new CtganModel(t, o, state, threads), o.epochs(), o.batchSize(), null, 0);
      }
      return NetworkFit.bySteps(
          cfg,
          CtganNetwork.initialState(t, o, new SplittableRandom(Seeds.mix(cfg.seed(), -1))),
          (state, round) ->
              TrainingSchedule.Ran.ofCtgan(runner.runEpoch(state, round), name, round),
          state -> new CtganModel(t, options, state, threads),
          "steps.g",
          o.batchSize(),
          n,
          specs,
          validation,
          checkpoint,
          name,
          out);
    } finally {
      if (spark != null) {
        spark.close();
      }
    }
  }

  /** The rows of a prepared table as model values, on the driver. */
  static List<Object[]> collect(Dataset<Row> rows, List<ColumnSpec> specs) {
    List<Object[]> out = new ArrayList<>();
    for (Row r : rows.collectAsList()) {
      out.add(SparkTableSpecs.values(r, specs));
    }
    return out;
  }
}
