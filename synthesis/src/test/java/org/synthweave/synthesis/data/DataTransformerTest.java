package org.synthweave.synthesis.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.synthweave.synthesis.RealTables;

/** Mode-specific normalization and the reversible encoding, on real Telco churn rows. */
class DataTransformerTest {

  @Test
  void mixtureFindsTheModesOfABimodalSample() {
    long seed = org.synthweave.synthesis.RealTables.seed();
    System.out.println("seed " + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] v = new double[4000];
    for (int i = 0; i < v.length; i++) {
      v[i] = i % 4 == 0 ? 100 + 5 * rnd.nextGaussian() : -20 + 2 * rnd.nextGaussian();
    }
    GaussianMixture1D g = GaussianMixture1D.fit(v, 10, 0.005, 200, 1e-6);
    double near100 = 0;
    double nearMinus20 = 0;
    for (int k = 0; k < g.modes(); k++) {
      if (Math.abs(g.mean(k) - 100) < 15) {
        near100 += g.weight(k);
      } else if (Math.abs(g.mean(k) + 20) < 6) {
        nearMinus20 += g.weight(k);
      }
    }
    assertEquals(0.25, near100, 0.03, "weight of the modes near 100, seed " + seed);
    assertEquals(0.75, nearMinus20, 0.03, "weight of the modes near -20, seed " + seed);
  }

  @Test
  void encodeThenDecodeGivesTheRowBack() throws Exception {
    RealTables t = RealTables.load("telco-churn.csv");
    DataTransformer tr = DataTransformer.fit(t.specs(), t.rows(), 10, 0.005, 0.1);
    // telco: 17 categorical columns (strings and 0/1 flags), tenure, monthly and total charges
    // continuous; total_charges has 11 nulls.
    assertEquals(3, t.specs().stream().filter(s -> s.kind() == ColumnSpec.Kind.CONTINUOUS).count());
    EncodedTable enc = EncodedTable.encode(tr, t.rows(), new SplittableRandom(5));
    assertEquals(tr.dim(), enc.dim());
    int clipped = 0;
    for (int r = 0; r < enc.rows(); r++) {
      Object[] back = tr.decode(enc.data(), r * tr.dim());
      Object[] orig = t.rows().get(r);
      for (int c = 0; c < orig.length; c++) {
        if (orig[c] instanceof Double d) {
          double x = (Double) back[c];
          if (Math.abs(x - d) > 1e-3 * Math.max(1, Math.abs(d))) {
            clipped++; // alpha clipped at +-0.99: a value beyond 3.96 sigma of its mode
          }
        } else {
          assertEquals(orig[c], back[c], "row " + r + " column " + t.specs().get(c).name());
        }
      }
    }
    assertTrue(clipped < enc.rows() * 0.01, "values changed by the round trip: " + clipped);
    // every one-hot block holds exactly one 1
    for (Span s : tr.spans()) {
      if (s.activation() == Span.Activation.SOFTMAX) {
        for (int r = 0; r < 50; r++) {
          float[] block =
              Arrays.copyOfRange(enc.data(), r * tr.dim() + s.start(), r * tr.dim() + s.end());
          double sum = 0;
          for (float f : block) {
            sum += f;
          }
          assertEquals(1.0, sum, 1e-6);
        }
      }
    }
  }

  @Test
  void aValueHoldingALargeShareIsAPointMassGeneratedExactly() throws Exception {
    RealTables t = RealTables.load("credit-data.csv");
    int debt = org.synthweave.synthesis.Fidelity.index(t.specs(), "Debt");
    long zeros = t.rows().stream().filter(r -> Double.valueOf(0).equals(r[debt])).count();
    // 3,669 of credit_data's 4,454 debts are exactly 0
    assertTrue(zeros > 0.8 * t.rows().size(), "zero debts " + zeros);
    DataTransformer tr = DataTransformer.fit(t.specs(), t.rows(), 10, 0.005, 0.1);
    ColumnModel.Continuous cm = tr.columns().get(debt).continuous();
    assertArrayEquals(new double[] {0}, cm.points());
    assertEquals(cm.weights().length, cm.pointMode(0));
    assertEquals(cm.weights().length + 1, cm.modeCount());
    // the mixture is fitted on the non-zero debts only: every mode sits among them
    for (double mean : cm.means()) {
      assertTrue(mean > 50, "a mode at " + mean);
    }
    EncodedTable enc = EncodedTable.encode(tr, t.rows(), new SplittableRandom(3));
    int off = tr.columnOffset(debt) + 1; // after the alpha
    for (int r = 0; r < enc.rows(); r++) {
      boolean zero = Double.valueOf(0).equals(t.rows().get(r)[debt]);
      float pointBit = enc.data()[r * tr.dim() + off + cm.pointMode(0)];
      assertEquals(zero ? 1f : 0f, pointBit, "row " + r);
    }
    // whatever alpha the generator writes, the point's mode decodes to exactly 0
    float[] row = Arrays.copyOfRange(enc.data(), 0, tr.dim());
    Arrays.fill(row, off, off + cm.modeCount(), 0f);
    row[off + cm.pointMode(0)] = 1f;
    row[tr.columnOffset(debt)] = 0.37f;
    assertEquals(0.0, tr.decode(row, 0)[debt]);
    // share 0 turns point masses off: the zeros fall into a narrow Gaussian mode again
    DataTransformer off0 = DataTransformer.fit(t.specs(), t.rows(), 10, 0.005, 0);
    assertEquals(0, off0.columns().get(debt).continuous().points().length);
    assertEquals(-1, off0.columns().get(debt).continuous().pointMode(0));
  }

  @Test
  void trainingConditionsFavourRareCategoriesByLogFrequency() throws Exception {
    RealTables t = RealTables.load("telco-churn.csv");
    List<Object[]> rows = t.rows();
    DataTransformer tr = DataTransformer.fit(t.specs(), rows, 10, 0.005, 0.1);
    EncodedTable enc = EncodedTable.encode(tr, rows, new SplittableRandom(1));
    ConditionSampler cs = new ConditionSampler(tr, enc);
    SplittableRandom rnd = new SplittableRandom(9);
    int churnCol = -1;
    int[] cats = tr.categoricalColumns();
    for (int i = 0; i < cats.length; i++) {
      if (tr.columns().get(cats[i]).spec().name().equals("churn")) {
        churnCol = i;
      }
    }
    int yes = tr.categoryIndex(churnCol, "Yes");
    int onChurn = 0;
    int yesCount = 0;
    for (int i = 0; i < 40_000; i++) {
      int[] c = cs.sampleForTraining(rnd);
      if (c[0] == churnCol) {
        onChurn++;
        yesCount += c[1] == yes ? 1 : 0;
        int row = cs.realRow(c, rnd);
        assertEquals(c[1], enc.category(row, churnCol));
      }
    }
    // churn: 1,869 Yes of 7,043; log-frequency: ln(1870)/(ln(1870)+ln(5175)) = 0.468
    assertEquals(0.468, (double) yesCount / onChurn, 0.03);
  }
}
