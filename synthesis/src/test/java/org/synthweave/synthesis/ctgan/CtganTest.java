package org.synthweave.synthesis.ctgan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.synthweave.core.SynthweaveException;
import org.synthweave.synthesis.Condition;
import org.synthweave.synthesis.Fidelity;
import org.synthweave.synthesis.RealTables;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.ConditionSampler;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.EncodedTable;
import org.synthweave.synthesis.model.ModelFiles;

/** CTGAN on the real Telco churn table, on one JVM: the critic's gradient, training, sampling. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CtganTest {
  private static final int EPOCHS = 16;
  private RealTables telco;
  private DataTransformer transformer;
  private EncodedTable encoded;
  private CtganOptions options;
  private long seed;
  private ParamState untrained;
  private ParamState trained;

  @BeforeAll
  void train() throws Exception {
    seed = org.synthweave.synthesis.RealTables.seed();
    System.out.println("CtganTest seed " + seed);
    telco = RealTables.load("telco-churn.csv");
    transformer = DataTransformer.fit(telco.specs(), telco.rows(), 10, 0.005, 0.1);
    encoded = EncodedTable.encode(transformer, telco.rows(), new SplittableRandom(seed));
    options = CtganOptions.DEFAULTS.withEpochs(EPOCHS);
    untrained = CtganNetwork.initialState(transformer, options, new SplittableRandom(seed));
    trained =
        CtganTrainer.train(
            transformer,
            options,
            seed,
            CtganTrainer.localRunner(transformer, options, encoded, seed, 1),
            Checkpoint.NONE,
            EPOCHS,
            "telco",
            System.out);
  }

  /**
   * Runs the garbage collector until it has cleared a weak reference, three times, and gives the
   * reference handler time to run the cleaners of direct buffers: what a collection between a
   * forward and a backward pass does by chance in a long training.
   */
  private static void collectGarbage() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      java.lang.ref.WeakReference<Object> ref = new java.lang.ref.WeakReference<>(new Object());
      while (ref.get() != null) {
        System.gc();
        Thread.sleep(5);
      }
      Thread.sleep(20);
    }
  }

  /** Gradient of {@code loss} with respect to {@code leaf}. */
  private static float[] gradient(NDArray loss, NDArray leaf) {
    JniUtils.backward(
        (PtNDArray) loss, (PtNDArray) loss.getManager().ones(loss.getShape()), false, false);
    return leaf.getGradient().toFloatArray();
  }

  @Test
  void scalarFactorsKeepTheirValueThroughAGarbageCollection() throws InterruptedException {
    // DJL's x.div(0.2f) fails this: the collection frees the number's buffer before backward.
    Torch.engine(1);
    Torch.gradMode(true);
    try (NDManager m = Torch.engine(1).newBaseManager()) {
      NDArray x = Tensors.owned(m, new float[] {0.5f, 2f, 3f}, new Shape(1, 3));
      x.setRequiresGradient(true);
      NDArray loss =
          Tensors.dividedBy(x, 0.2f)
              .sum()
              .add(Tensors.times(x, 3f).sum())
              .add(LocalTrainer.gradientPenalty(x, 10f));
      collectGarbage();
      float[] g = gradient(loss, x);
      double norm = Math.sqrt(0.25 + 4 + 9);
      for (int i = 0; i < g.length; i++) {
        double penalty = 10 * 2 * (norm - 1) * x.toFloatArray()[i] / norm;
        assertEquals(5 + 3 + penalty, g[i], 1e-4, "gradient " + i);
      }
    } finally {
      Torch.gradMode(false);
    }
  }

  @Test
  void outputActivationsAndConditionLossBackpropagateTheSameAfterAGarbageCollection()
      throws InterruptedException {
    SplittableRandom rnd = new SplittableRandom(seed);
    int rows = 64;
    float[] logits = new float[rows * transformer.dim()];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) rnd.nextGaussian();
    }
    float[] cond = new float[rows * transformer.condDim()];
    ConditionSampler conds = new ConditionSampler(transformer, null);
    for (int r = 0; r < rows; r++) {
      conds.writeCondition(conds.sampleOriginal(rnd), cond, r * transformer.condDim());
    }
    float[][] grads = new float[2][];
    Torch.engine(1);
    Torch.gradMode(true);
    try (NDManager m = Torch.engine(1).newBaseManager();
        CtganNetwork net = new CtganNetwork(transformer, options, m.newSubManager())) {
      for (int run = 0; run < 2; run++) {
        NDArray x = Tensors.owned(m, logits, new Shape(rows, transformer.dim()));
        x.setRequiresGradient(true);
        NDArray c = Tensors.owned(m, cond, new Shape(rows, transformer.condDim()));
        NDArray g = LocalTrainer.gumbel(m, rows, transformer.dim(), new SplittableRandom(seed));
        NDArray loss = net.activate(x, g).square().sum().add(net.conditionLoss(x, c));
        if (run == 1) {
          collectGarbage();
        }
        grads[run] = gradient(loss, x);
      }
    } finally {
      Torch.gradMode(false);
    }
    assertArrayEquals(grads[0], grads[1]);
  }

  @Test
  void criticInputGradientEqualsAutograd() {
    SplittableRandom rnd = new SplittableRandom(seed);
    ParamState s = CtganNetwork.initialState(transformer, options, rnd);
    Torch.engine(1);
    Torch.gradMode(true);
    try (NDManager m = Torch.engine(1).newBaseManager();
        CtganNetwork net = new CtganNetwork(transformer, options, m.newSubManager())) {
      net.load(s);
      int groups = 7;
      int width = (transformer.dim() + transformer.condDim()) * options.pac();
      float[] xs = new float[groups * width];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = (float) rnd.nextGaussian();
      }
      NDArray x = m.create(xs, new Shape(groups, width));
      x.setRequiresGradient(true);
      float[][] masks = net.dropoutMasks(groups, rnd);
      NDList out = net.critic(x, masks, true);
      float[] explicit = out.get(1).toFloatArray();
      NDArray sum = out.get(0).sum();
      JniUtils.backward((PtNDArray) sum, (PtNDArray) m.ones(sum.getShape()), false, false);
      float[] autograd = x.getGradient().toFloatArray();
      double maxAbs = 0;
      for (float f : autograd) {
        maxAbs = Math.max(maxAbs, Math.abs(f));
      }
      assertTrue(maxAbs > 0, "the gradient must not vanish");
      assertArrayEquals(autograd, explicit, (float) (1e-5 * maxAbs + 1e-7));
    } finally {
      Torch.gradMode(false);
    }
  }

  @Test
  void trainingBringsTheMarginalsCloseToTheRealOnes() {
    List<Object[]> before =
        new CtganModel(transformer, options, untrained, 1).sample(7043, seed, null);
    List<Object[]> after =
        new CtganModel(transformer, options, trained, 1).sample(7043, seed, null);
    double tvdBefore = Fidelity.meanCategoricalTvd(telco.specs(), telco.rows(), before);
    double tvdAfter = Fidelity.meanCategoricalTvd(telco.specs(), telco.rows(), after);
    int tenure = Fidelity.index(telco.specs(), "tenure");
    int total = Fidelity.index(telco.specs(), "total_charges");
    double corrReal = Fidelity.correlation(telco.rows(), tenure, total);
    double corrSynth = Fidelity.correlation(after, tenure, total);
    System.out.printf(
        "mean categorical TVD untrained %.3f, after %d epochs %.3f; corr(tenure, total_charges)"
            + " real %.3f synthetic %.3f%n",
        tvdBefore, EPOCHS, tvdAfter, corrReal, corrSynth);
    assertTrue(tvdAfter < 0.6 * tvdBefore, "seed " + seed);
    assertTrue(tvdAfter < 0.12, "seed " + seed);
    for (int c = 0; c < telco.specs().size(); c++) {
      if (telco.specs().get(c).kind() == ColumnSpec.Kind.CONTINUOUS) {
        double[] real = Fidelity.meanStd(telco.rows(), c);
        double[] synth = Fidelity.meanStd(after, c);
        System.out.printf(
            "%s real mean %.1f sd %.1f, synthetic mean %.1f sd %.1f%n",
            telco.specs().get(c).name(), real[0], real[1], synth[0], synth[1]);
        assertEquals(
            real[0],
            synth[0],
            0.75 * real[1],
            "mean of " + telco.specs().get(c).name() + ", seed " + seed);
      }
    }
    for (Object[] r : after) {
      for (int c = 0; c < r.length; c++) {
        ColumnSpec spec = telco.specs().get(c);
        if (spec.kind() == ColumnSpec.Kind.CONTINUOUS && r[c] != null) {
          double v = (Double) r[c];
          assertTrue(
              v >= transformer.columns().get(c).continuous().min()
                  && v <= transformer.columns().get(c).continuous().max());
        }
      }
    }
  }

  @Test
  void samplingIsDeterministicPerSeedAndHonoursConditions() {
    CtganModel model = new CtganModel(transformer, options, trained, 1);
    List<Object[]> a = model.sample(600, 11, null);
    List<Object[]> b = model.sample(600, 11, null);
    List<Object[]> c = model.sample(600, 12, null);
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i));
    }
    assertNotEquals(List.of(a.get(0)).toString(), List.of(c.get(0)).toString());
    int churn = Fidelity.index(telco.specs(), "churn");
    List<Object[]> yes = model.sample(1000, 13, new Condition("churn", "Yes"));
    assertTrue(yes.stream().allMatch(r -> "Yes".equals(r[churn])));
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class, () -> model.sample(10, 1, new Condition("churn", "Maybe")));
    assertTrue(e.getMessage().contains("Known values of churn"), e.getMessage());
    assertThrows(
        SynthweaveException.class, () -> model.sample(10, 1, new Condition("tenure", "5")));
  }

  @Test
  void modelFilesRoundTripAndCheckTheSchema() {
    CtganModel model = new CtganModel(transformer, options, trained, 1);
    Map<String, byte[]> files = ModelFiles.encode(model, "telco_churn", seed, EPOCHS);
    Map<String, byte[]> again = ModelFiles.encode(model, "telco_churn", seed, EPOCHS);
    assertArrayEquals(files.get(ModelFiles.MODEL_JSON), again.get(ModelFiles.MODEL_JSON));
    ModelFiles.Loaded loaded = ModelFiles.decode(files, "mem", 1);
    assertEquals("ctgan", loaded.info().kind());
    assertEquals(16, loaded.info().version().length());
    List<Object[]> a = model.sample(300, 5, null);
    List<Object[]> b = loaded.model().sample(300, 5, null);
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i));
    }
    ModelFiles.checkSchema(loaded.model(), loaded.info().id(), "silver/telco", telco.specs());
    List<ColumnSpec> changed = new java.util.ArrayList<>(telco.specs());
    changed.set(0, new ColumnSpec("churn", ColumnSpec.Kind.CATEGORICAL, "boolean"));
    changed.remove(changed.size() - 1);
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class,
            () ->
                ModelFiles.checkSchema(
                    loaded.model(), loaded.info().id(), "silver/other", changed));
    assertTrue(e.getMessage().contains("column churn is boolean"), e.getMessage());
    assertTrue(e.getMessage().contains("column total_charges is missing"), e.getMessage());
  }

  @Test
  void trainingResumedFromACheckpointEqualsAnUninterruptedOne() {
    CtganOptions two = options.withEpochs(2);
    EpochRunner runner = CtganTrainer.localRunner(transformer, two, encoded, seed, 1);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    ParamState straight =
        CtganTrainer.train(transformer, two, seed, runner, Checkpoint.NONE, 1, "a", quiet);
    MemoryCheckpoint cp = new MemoryCheckpoint();
    EpochRunner crashing =
        (state, epoch) -> {
          if (epoch == 1) {
            throw new IllegalStateException("simulated crash");
          }
          return runner.runEpoch(state, epoch);
        };
    assertThrows(
        IllegalStateException.class,
        () -> CtganTrainer.train(transformer, two, seed, crashing, cp, 1, "b", quiet));
    assertEquals(1, cp.saved.epochsDone());
    ParamState resumed = CtganTrainer.train(transformer, two, seed, runner, cp, 1, "b", quiet);
    for (String n : straight.names()) {
      assertArrayEquals(straight.values(n), resumed.values(n), n);
    }
  }

  /** A checkpoint kept in memory. */
  static final class MemoryCheckpoint implements Checkpoint {
    Saved saved;

    @Override
    public Optional<Saved> latest() {
      return Optional.ofNullable(saved);
    }

    @Override
    public void save(ParamState state, int epochsDone) {
      saved = new Saved(state, epochsDone);
    }
  }
}
