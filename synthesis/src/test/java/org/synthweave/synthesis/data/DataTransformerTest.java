package org.synthweave.synthesis.data;

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
    DataTransformer tr = DataTransformer.fit(t.specs(), t.rows(), 10, 0.005);
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
  void trainingConditionsFavourRareCategoriesByLogFrequency() throws Exception {
    RealTables t = RealTables.load("telco-churn.csv");
    List<Object[]> rows = t.rows();
    DataTransformer tr = DataTransformer.fit(t.specs(), rows, 10, 0.005);
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
