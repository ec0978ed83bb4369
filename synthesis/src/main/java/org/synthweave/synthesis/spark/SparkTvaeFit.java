package org.synthweave.synthesis.spark;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.synthweave.synthesis.SynthesisConfig;
import org.synthweave.synthesis.SynthesisErrors;
import org.synthweave.synthesis.ctgan.Checkpoint;
import org.synthweave.synthesis.ctgan.ParamState;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.EncodedTable;
import org.synthweave.synthesis.data.Seeds;
import org.synthweave.synthesis.train.TrainingSchedule;
import org.synthweave.synthesis.train.ValidationScore;
import org.synthweave.synthesis.tvae.TvaeModel;
import org.synthweave.synthesis.tvae.TvaeOptions;
import org.synthweave.synthesis.tvae.TvaeTrainer;

/**
 * Trains TVAE on the driver: the transformer fitted on Spark (CTGAN's mode settings), the rows
 * collected and encoded once. With {@code synth.tvae.epochs} 0 (the default) it trains by steps as
 * CTGAN does: a share of the rows held out, the batch size by the table's size, rounds of {@code
 * synth.train.steps-per-round} steps and {@link TrainingSchedule}'s stop rules on the held-out
 * rows' {@link ValidationScore}. With epochs N > 0 it runs SDV's fixed epochs on every row.
 */
final class SparkTvaeFit {
  /** Salt of TVAE's held-out split and of its rounds' random streams. */
  private static final long SALT = 0x74766165L;

  private SparkTvaeFit() {}

  static NetworkFit fit(
      SynthesisConfig cfg,
      ModelStore store,
      String table,
      Dataset<Row> rows,
      List<ColumnSpec> specs,
      long n,
      String dir,
      PrintStream out) {
    if (n > cfg.localMaxRows()) {
      throw SynthesisErrors.tooManyRowsForTvae(table, n, cfg.localMaxRows());
    }
    TvaeOptions o = cfg.tvae();
    return NetworkFit.fit(
        cfg,
        table,
        rows,
        specs,
        n,
        o.epochs() > 0,
        SALT,
        1,
        (train, k, validation) ->
            train(cfg, o.resolvedFor(k), store, table, train, specs, k, validation, dir, out));
  }

  private static NetworkFit train(
      SynthesisConfig cfg,
      TvaeOptions o,
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
            rows,
            specs,
            cfg.ctgan().maxModes(),
            cfg.ctgan().modeWeightThreshold(),
            cfg.ctgan().pointMassShare());
    EncodedTable data =
        EncodedTable.encode(
            t,
            SparkCtganFit.collect(rows, specs),
            new SplittableRandom(Seeds.mix(cfg.seed(), 0x656e63L, 0)));
    Checkpoint checkpoint =
        store.checkpoint(
            dir + "/checkpoint",
            NetworkFit.fingerprint(
                t, "tvae", o, bySteps ? cfg.schedule() : "epochs", cfg.seed(), n));
    String name = SparkSynthesis.dataset(table) + "/tvae";
    out.printf(
        "synthesis: %s: TVAE on %d rows (batch %d%s), %d encoded features, trained on the"
            + " driver%n",
        table,
        n,
        o.batchSize(),
        bySteps
            ? ", by steps, " + validation.size() + " rows held out for validation"
            : ", " + o.epochs() + " epochs",
        t.dim());
    int threads = cfg.torchThreads();
    TvaeTrainer trainer = new TvaeTrainer(t, o, data, threads);
    if (!bySteps) {
      ParamState state = trainer.train(cfg.seed(), checkpoint, cfg.checkpointEvery(), name, out);
      return new NetworkFit(
          new TvaeModel(t, o, state, threads), o.epochs(), o.batchSize(), null, 0);
    }
    int stepsPerRound = cfg.schedule().stepsPerRound();
    TvaeOptions options = o;
    return NetworkFit.bySteps(
        cfg,
        TvaeTrainer.initialState(t, o, cfg.seed()),
        (state, round) ->
            ran(
                trainer.run(
                    state, stepsPerRound, new SplittableRandom(Seeds.mix(cfg.seed(), round, SALT))),
                name,
                round),
        state -> new TvaeModel(t, options, state, threads),
        "steps",
        o.batchSize(),
        n,
        specs,
        validation,
        checkpoint,
        name,
        out);
  }

  /**
   * A round's mean reconstruction and KL losses over its applied steps; a round whose every step
   * was skipped (non-finite gradient) or whose loss is not finite stops training.
   */
  static TrainingSchedule.Ran ran(TvaeTrainer.Result r, String model, int round) {
    TvaeTrainer.Losses l = r.losses();
    if (l.skipped() >= l.steps()) {
      throw SynthesisErrors.tvaeDiverged(
          model, "round " + (round + 1), "every gradient of the round");
    }
    if (!Double.isFinite(l.meanLoss())) {
      throw SynthesisErrors.tvaeDiverged(model, "round " + (round + 1), "the loss");
    }
    int applied = l.steps() - l.skipped();
    Map<String, Double> losses = new LinkedHashMap<>();
    losses.put("loss_rec", l.reconstruction() / applied);
    losses.put("loss_kl", l.kl() / applied);
    return new TrainingSchedule.Ran(r.state(), l.steps(), losses);
  }
}
