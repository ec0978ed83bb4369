package org.synthweave.synthesis.tvae;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.synthweave.synthesis.SynthesisErrors;
import org.synthweave.synthesis.ctgan.Adam;
import org.synthweave.synthesis.ctgan.Checkpoint;
import org.synthweave.synthesis.ctgan.ParamState;
import org.synthweave.synthesis.ctgan.Tensors;
import org.synthweave.synthesis.ctgan.Torch;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.EncodedTable;
import org.synthweave.synthesis.data.Seeds;

/**
 * Trains TVAE on a block of encoded rows held in memory: {@link #run} takes optimizer steps from a
 * {@link ParamState} and returns the state after them, {@link #train} runs SDV's epochs around it
 * with progress lines and checkpoints.
 *
 * <p>A step is SDV's: the next batch of a shuffled pass over the rows (a pass ends with a shorter
 * batch when the rows do not divide, as PyTorch's DataLoader without {@code drop_last}), encoder,
 * reparameterized latent code, decoder, loss = reconstruction + KL, one Adam step of every weight
 * (PyTorch's betas, L2 weight decay {@code l2scale}), then sigma clamped into [0.01, 1]. A step
 * whose gradient is not finite changes nothing and is counted in {@link Losses#skipped}.
 */
public final class TvaeTrainer {
  private final DataTransformer transformer;
  private final TvaeOptions options;
  private final EncodedTable data;
  private final int threads;

  /**
   * Sums of the losses over the applied steps of one {@link #run}, the steps run and how many of
   * them were skipped for a non-finite gradient (a skipped step's loss is left out of the sums).
   */
  public record Losses(double reconstruction, double kl, int steps, int skipped)
      implements Serializable {
    public static final Losses NONE = new Losses(0, 0, 0, 0);

    public Losses plus(Losses o) {
      return new Losses(
          reconstruction + o.reconstruction, kl + o.kl, steps + o.steps, skipped + o.skipped);
    }

    /** Mean loss (reconstruction + KL) per applied step; NaN when none was applied. */
    public double meanLoss() {
      return (reconstruction + kl) / (steps - skipped);
    }
  }

  /** What one {@link #run} returns: the state after the steps and their summed losses. */
  public record Result(ParamState state, Losses losses) implements Serializable {}

  public TvaeTrainer(
      DataTransformer transformer, TvaeOptions options, EncodedTable data, int threads) {
    if (data.rows() == 0) {
      throw new IllegalArgumentException("data must hold rows");
    }
    if (options.batchSize() < 1) {
      throw new IllegalArgumentException("the batch size must be resolved (resolvedFor) first");
    }
    if (data.dim() != transformer.dim()) {
      throw new IllegalArgumentException(
          "data rows are " + data.dim() + " wide, the transformer's " + transformer.dim());
    }
    this.transformer = transformer;
    this.options = options;
    this.data = data;
    this.threads = threads;
  }

  /** Steps of one epoch as in SDV: one pass over the rows, the last batch possibly shorter. */
  public static int stepsPerEpoch(long rows, TvaeOptions o) {
    return (int) Math.max(1, (rows + o.batchSize() - 1) / o.batchSize());
  }

  /** The fresh state a training with {@code seed} starts from. */
  public static ParamState initialState(DataTransformer t, TvaeOptions o, long seed) {
    return TvaeNetwork.initialState(t, o, new SplittableRandom(Seeds.mix(seed, -1)));
  }

  /**
   * Runs {@code steps} optimizer steps from {@code start}; {@code rnd} drives every random choice
   * (the shuffles and the latent noise), so the same start, steps and random stream give the same
   * result. Passes over the rows start afresh with each call.
   */
  public Result run(ParamState start, int steps, SplittableRandom rnd) {
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    Engine engine = Torch.engine(threads);
    Torch.gradMode(true);
    double reconstruction = 0;
    double kl = 0;
    int skipped = 0;
    long t = start.counter("steps");
    int dim = data.dim();
    Adam adam = new Adam(options.lr(), TvaeOptions.BETA1, TvaeOptions.BETA2, options.l2scale());
    try (NDManager base = engine.newBaseManager();
        TvaeNetwork net = new TvaeNetwork(transformer, options, base.newSubManager())) {
      net.load(start);
      List<NDArray> all = new ArrayList<>();
      List<Adam.Slot> slots = new ArrayList<>();
      int[] order = Tensors.permutation(data.rows(), rnd);
      int pos = 0;
      for (int s = 0; s < steps; s++) {
        if (pos == order.length) {
          order = Tensors.permutation(data.rows(), rnd);
          pos = 0;
        }
        int rows = Math.min(options.batchSize(), order.length - pos);
        float[] batch = new float[rows * dim];
        for (int i = 0; i < rows; i++) {
          System.arraycopy(data.data(), order[pos + i] * dim, batch, i * dim, dim);
        }
        pos += rows;
        try (NDManager step = base.newSubManager()) {
          net.attachTo(step);
          all.clear();
          slots.clear();
          for (String n : net.paramNames()) {
            all.add(net.p(n));
            slots.add(
                new Adam.Slot(net.p(n), net.buffer("adam.m." + n), net.buffer("adam.v." + n)));
          }
          NDArray x = Tensors.owned(step, batch, new Shape(rows, dim));
          NDArray eps = Tensors.gaussian(step, rows, options.embeddingDim(), rnd);
          NDList loss = net.loss(x, eps);
          if (adam.step(loss.get(0).add(loss.get(1)), all, slots, t + 1)) {
            t++;
            Torch.gradMode(false);
            try {
              net.clampSigma();
            } finally {
              Torch.gradMode(true);
            }
            reconstruction += loss.get(0).getFloat();
            kl += loss.get(1).getFloat();
          } else {
            skipped++;
          }
        }
      }
      return new Result(net.state(t), new Losses(reconstruction, kl, steps, skipped));
    } finally {
      Torch.gradMode(false);
    }
  }

  /**
   * SDV's epochs: resumes from the checkpoint when there is one, runs {@link #stepsPerEpoch} steps
   * per epoch (epoch {@code e} with the random stream {@code mix(seed, e)}), prints the mean losses
   * of each epoch, stops with a clear error when the loss is no longer finite or every step of an
   * epoch was skipped, and checkpoints every {@code checkpointEvery} epochs and at the end.
   */
  public ParamState train(
      long seed,
      Checkpoint checkpoint,
      int checkpointEvery,
      String modelName,
      PrintStream progress) {
    if (options.epochs() < 1) {
      throw new IllegalArgumentException("train runs epochs: epochs must be >= 1");
    }
    ParamState state;
    int first;
    Optional<Checkpoint.Saved> saved = checkpoint.latest();
    if (saved.isPresent()) {
      state = saved.get().state();
      first = saved.get().epochsDone();
      progress.printf(
          Locale.ROOT,
          "synthesis: %s resumes after epoch %d of %d%n",
          modelName,
          first,
          options.epochs());
    } else {
      state = initialState(transformer, options, seed);
      first = 0;
    }
    int steps = stepsPerEpoch(data.rows(), options);
    for (int epoch = first; epoch < options.epochs(); epoch++) {
      long t0 = System.nanoTime();
      Result r = run(state, steps, new SplittableRandom(Seeds.mix(seed, epoch, 0x74766165L)));
      state = r.state();
      Losses l = r.losses();
      if (l.skipped() >= l.steps()) {
        throw SynthesisErrors.tvaeDiverged(
            modelName, "epoch " + (epoch + 1), "every gradient of the epoch");
      }
      if (!Double.isFinite(l.meanLoss())) {
        throw SynthesisErrors.tvaeDiverged(modelName, "epoch " + (epoch + 1), "the loss");
      }
      progress.printf(
          Locale.ROOT,
          "synthesis: %s epoch %d/%d  loss_rec %.4f  loss_kl %.4f%s  %.2f s%n",
          modelName,
          epoch + 1,
          options.epochs(),
          l.reconstruction() / (l.steps() - l.skipped()),
          l.kl() / (l.steps() - l.skipped()),
          l.skipped() > 0
              ? String.format(
                  Locale.ROOT,
                  "  (%d of %d updates skipped: non-finite gradient)",
                  l.skipped(),
                  l.steps())
              : "",
          (System.nanoTime() - t0) / 1e9);
      if ((epoch + 1) % checkpointEvery == 0 || epoch + 1 == options.epochs()) {
        checkpoint.save(state, epoch + 1);
      }
    }
    return state;
  }
}
