package org.synthweave.synthesis.tvae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.synthweave.core.SynthweaveException;
import org.synthweave.synthesis.Condition;
import org.synthweave.synthesis.Fidelity;
import org.synthweave.synthesis.RealTables;
import org.synthweave.synthesis.ctgan.Checkpoint;
import org.synthweave.synthesis.ctgan.ParamState;
import org.synthweave.synthesis.ctgan.Tensors;
import org.synthweave.synthesis.ctgan.Torch;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.EncodedTable;
import org.synthweave.synthesis.data.Span;

/**
 * TVAE on the real credit table (Debian r-cran-modeldata), on one JVM, with SDV's defaults and a
 * third of SDV's epochs: it learns the marginals, its loss is SDV's, and sampling is deterministic
 * per seed and honours conditions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TvaeTest {
  private static final int EPOCHS = 100;
  private RealTables credit;
  private DataTransformer transformer;
  private EncodedTable encoded;
  private TvaeOptions options;
  private long seed;
  private ParamState untrained;
  private ParamState trained;

  @BeforeAll
  void train() throws Exception {
    seed = RealTables.seed();
    System.out.println("TvaeTest seed " + seed);
    credit = RealTables.load("credit-data.csv");
    transformer = DataTransformer.fit(credit.specs(), credit.rows(), 10, 0.005, 0.1);
    encoded = EncodedTable.encode(transformer, credit.rows(), new SplittableRandom(seed));
    options = TvaeOptions.DEFAULTS.withEpochs(EPOCHS);
    untrained = TvaeTrainer.initialState(transformer, options, seed);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    trained =
        new TvaeTrainer(transformer, options, encoded, 1)
            .train(seed, Checkpoint.NONE, EPOCHS, "credit", quiet);
  }

  /**
   * Categorical frequencies and continuous means move from the random decoder's to the real ones; a
   * loss with a wrong sign, a decoder that mixes up spans or a sampler that skips tanh or decodes
   * the wrong offsets leaves them far off. Sigma stays in SDV's clamp.
   */
  @Test
  void learnsTheMarginalsOfARealTable() {
    int n = credit.rows().size();
    List<Object[]> before = new TvaeModel(transformer, options, untrained, 1).sample(n, seed, null);
    List<Object[]> after = new TvaeModel(transformer, options, trained, 1).sample(n, seed, null);
    double tvdBefore = Fidelity.meanCategoricalTvd(credit.specs(), credit.rows(), before);
    double tvdAfter = Fidelity.meanCategoricalTvd(credit.specs(), credit.rows(), after);
    System.out.printf("mean categorical TVD: untrained %.3f, trained %.3f%n", tvdBefore, tvdAfter);
    assertTrue(tvdAfter < 0.5 * tvdBefore, "TVD " + tvdAfter + " vs " + tvdBefore + ", " + seed);
    assertTrue(tvdAfter < 0.2, "TVD " + tvdAfter + ", seed " + seed);
    for (String c : List.of("Age", "Expenses", "Amount", "Price")) {
      int i = Fidelity.index(credit.specs(), c);
      double[] real = Fidelity.meanStd(credit.rows(), i);
      double[] synth = Fidelity.meanStd(after, i);
      System.out.printf(
          "%s mean real %.1f synthetic %.1f (sd %.1f)%n", c, real[0], synth[0], real[1]);
      assertEquals(real[0], synth[0], 0.5 * real[1], c + ", seed " + seed);
    }
    for (float s : trained.values("d.sigma")) {
      assertTrue(s >= TvaeNetwork.SIGMA_MIN && s <= TvaeNetwork.SIGMA_MAX, "sigma " + s);
    }
    assertEquals(
        (long) EPOCHS * TvaeTrainer.stepsPerEpoch(credit.rows().size(), options),
        trained.counter("steps"));
  }

  @Test
  void stepsAndSamplesAreDeterministicPerSeed() {
    TvaeTrainer trainer = new TvaeTrainer(transformer, options, encoded, 1);
    TvaeTrainer.Result a = trainer.run(untrained, 3, new SplittableRandom(seed));
    TvaeTrainer.Result b = trainer.run(untrained, 3, new SplittableRandom(seed));
    TvaeTrainer.Result c = trainer.run(untrained, 3, new SplittableRandom(seed + 1));
    assertEquals(3, a.state().counter("steps"));
    assertEquals(a.losses(), b.losses());
    assertNotEquals(a.losses(), c.losses());
    for (String name : a.state().names()) {
      assertArrayEquals(a.state().values(name), b.state().values(name), name);
    }
    TvaeModel m = new TvaeModel(transformer, options, trained, 1);
    List<Object[]> x = m.sample(700, 11, null);
    List<Object[]> y = m.sample(700, 11, null);
    for (int i = 0; i < x.size(); i++) {
      assertArrayEquals(x.get(i), y.get(i));
    }
    List<Object[]> z = m.sample(700, 12, null);
    assertTrue(
        java.util.stream.IntStream.range(0, 700)
            .anyMatch(i -> !java.util.Arrays.equals(x.get(i), z.get(i))));
  }

  @Test
  void conditionsHoldInEveryRowAndAnImpossibleOneIsAClearError() {
    TvaeModel m = new TvaeModel(transformer, options, trained, 1);
    int status = Fidelity.index(credit.specs(), "Status");
    List<Object[]> bad = m.sample(300, 5, new Condition("Status", "bad"));
    assertEquals(300, bad.size());
    assertTrue(bad.stream().allMatch(r -> "bad".equals(r[status])));
    SynthweaveException unknown =
        assertThrows(
            SynthweaveException.class, () -> m.sample(10, 5, new Condition("Status", "meh")));
    assertTrue(unknown.getMessage().contains("never saw"), unknown.getMessage());
    // A decoder whose output always prefers the first category of Status never yields the other.
    ParamState rigged = new ParamState();
    for (String name : trained.names()) {
      rigged.put(name, trained.shape(name), trained.values(name).clone());
    }
    int statusCond = 0;
    int[] cats = transformer.categoricalColumns();
    while (cats[statusCond] != status) {
      statusCond++;
    }
    int off = transformer.dataOffset(statusCond);
    float[] bias = rigged.values("d.out.b");
    float[] w = rigged.values("d.out.w");
    int dim = transformer.dim();
    for (int r = 0; r < w.length / dim; r++) {
      w[r * dim + off] = 0;
      w[r * dim + off + 1] = 0;
    }
    bias[off] = 100;
    bias[off + 1] = -100;
    String other = transformer.columns().get(status).categorical().categories().get(1);
    TvaeModel never = new TvaeModel(transformer, options, rigged, 1);
    SynthweaveException rare =
        assertThrows(
            org.synthweave.synthesis.ConditionTooRareException.class,
            () -> never.sample(10, 5, new Condition("Status", other)));
    assertTrue(rare.getMessage().contains("too rare"), rare.getMessage());
    // As auto sees it: a task's failure, wrapped by Spark (a checked exception) on the driver.
    assertTrue(
        org.synthweave.synthesis.ConditionTooRareException.in(
            new org.apache.spark.SparkException("Job aborted due to stage failure", rare)));
    assertTrue(
        !org.synthweave.synthesis.ConditionTooRareException.in(
            new org.apache.spark.SparkException("Job aborted", new IllegalStateException("x"))));
  }

  /**
   * The network's loss against SDV's formula written out in plain Java on a small network: scalar
   * spans {@code (x - tanh(out))^2 / (2 sigma^2) + log(sigma)}, one-hot spans cross-entropy, both
   * times the loss factor, KL of the latent code, each per row.
   */
  @Test
  void theLossIsSdvs() {
    TvaeOptions small = new TvaeOptions(3, List.of(5), List.of(4), 1e-5, 8, 1, 2, 1e-3);
    ParamState s = TvaeNetwork.initialState(transformer, small, new SplittableRandom(seed));
    float[] sigma = s.values("d.sigma");
    for (int i = 0; i < sigma.length; i++) {
      sigma[i] = 0.05f + 0.1f * i;
    }
    int rows = 8;
    int dim = transformer.dim();
    float[] x = java.util.Arrays.copyOf(encoded.data(), rows * dim);
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] eps = new float[rows * 3];
    for (int i = 0; i < eps.length; i++) {
      eps[i] = (float) rnd.nextGaussian();
    }
    float[] got;
    Torch.engine(1);
    Torch.gradMode(false);
    try (NDManager m = Torch.engine(1).newBaseManager();
        TvaeNetwork net = new TvaeNetwork(transformer, small, m.newSubManager())) {
      net.load(s);
      NDList l =
          net.loss(
              Tensors.owned(m, x, new Shape(rows, dim)), Tensors.owned(m, eps, new Shape(rows, 3)));
      got = new float[] {l.get(0).getFloat(), l.get(1).getFloat()};
    }
    double rec = 0;
    double kl = 0;
    for (int r = 0; r < rows; r++) {
      double[] xr = new double[dim];
      for (int j = 0; j < dim; j++) {
        xr[j] = x[r * dim + j];
      }
      double[] h = relu(linear(s, "e.l0", xr));
      double[] mu = linear(s, "e.mu", h);
      double[] logvar = linear(s, "e.logvar", h);
      double[] z = new double[3];
      for (int k = 0; k < 3; k++) {
        z[k] = eps[r * 3 + k] * Math.exp(0.5 * logvar[k]) + mu[k];
        kl += -0.5 * (1 + logvar[k] - mu[k] * mu[k] - Math.exp(logvar[k]));
      }
      double[] out = linear(s, "d.out", relu(linear(s, "d.l0", z)));
      int scalar = 0;
      for (Span span : transformer.spans()) {
        if (span.activation() == Span.Activation.TANH) {
          double sd = sigma[scalar++];
          double e = xr[span.start()] - Math.tanh(out[span.start()]);
          rec += e * e / 2 / (sd * sd) + Math.log(sd);
        } else {
          double max = Double.NEGATIVE_INFINITY;
          for (int j = span.start(); j < span.end(); j++) {
            max = Math.max(max, out[j]);
          }
          double sum = 0;
          for (int j = span.start(); j < span.end(); j++) {
            sum += Math.exp(out[j] - max);
          }
          for (int j = span.start(); j < span.end(); j++) {
            rec -= xr[j] * (out[j] - max - Math.log(sum));
          }
        }
      }
    }
    assertEquals(rec * 2 / rows, got[0], 1e-3 * Math.abs(rec * 2 / rows));
    assertEquals(kl / rows, got[1], 1e-3 * Math.abs(kl / rows) + 1e-6);
  }

  private static double[] linear(ParamState s, String name, double[] in) {
    float[] w = s.values(name + ".w");
    float[] b = s.values(name + ".b");
    double[] out = new double[b.length];
    for (int o = 0; o < b.length; o++) {
      double acc = b[o];
      for (int i = 0; i < in.length; i++) {
        acc += in[i] * w[i * b.length + o];
      }
      out[o] = acc;
    }
    return out;
  }

  private static double[] relu(double[] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = Math.max(0, a[i]);
    }
    return out;
  }

  @Test
  void optionsAreChecked() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TvaeOptions.DEFAULTS.withBatchSize(-1));
    assertTrue(e.getMessage().contains("batchSize"), e.getMessage());
    // 0 means "by the table's size": a tenth of the training rows between 50 and 500.
    assertEquals(70, TvaeOptions.DEFAULTS.withBatchSize(0).resolvedFor(700).batchSize());
    assertEquals(500, TvaeOptions.DEFAULTS.withBatchSize(0).resolvedFor(90_000).batchSize());
    assertEquals(256, TvaeOptions.DEFAULTS.withBatchSize(256).resolvedFor(700).batchSize());
    assertEquals(128, TvaeOptions.DEFAULTS.embeddingDim());
    assertEquals(List.of(128, 128), TvaeOptions.DEFAULTS.compressDims());
    assertEquals(ColumnSpec.Kind.CATEGORICAL, credit.specs().get(0).kind());
  }
}
