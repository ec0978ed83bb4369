package org.synthweave.synthesis.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.synthweave.synthesis.RealTables;

/** The stopping signal on real Telco rows: it must rank a faithful sample above broken ones. */
class ValidationScoreTest {
  @Test
  void realRowsOutscoreIndependentMarginalsWhichOutscoreAShiftedColumn() throws Exception {
    RealTables telco = RealTables.load("telco-churn.csv");
    long seed = RealTables.seed();
    System.out.println("ValidationScoreTest seed " + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Object[]> rows = new ArrayList<>(telco.rows());
    shuffle(rows, rnd);
    List<Object[]> validation = rows.subList(0, 1500);
    List<Object[]> unseenReal = rows.subList(1500, 3500);
    ValidationScore score = new ValidationScore(telco.specs(), validation);

    ValidationScore.Result real = score.score(unseenReal);
    // Every column drawn independently from the real rows: the same marginals, no pair trends.
    List<Object[]> independent = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      Object[] r = new Object[telco.specs().size()];
      for (int j = 0; j < r.length; j++) {
        r[j] = unseenReal.get(rnd.nextInt(unseenReal.size()))[j];
      }
      independent.add(r);
    }
    ValidationScore.Result marginals = score.score(independent);
    assertEquals(real.shapes(), marginals.shapes(), 0.02, "the same marginals");
    assertTrue(
        real.pairs() > marginals.pairs() + 0.02,
        "pair trends must see independence: " + real + " vs " + marginals);
    assertTrue(real.score() > marginals.score());
    assertTrue(real.score() > 0.9, "two real samples are close: " + real);

    // The same rows with one continuous column shifted far: shapes and pairs both drop.
    int tenure = index(telco, "tenure");
    List<Object[]> shifted = new ArrayList<>();
    for (Object[] r : unseenReal) {
      Object[] c = r.clone();
      c[tenure] = c[tenure] == null ? null : ((Double) c[tenure]) + 1000;
      shifted.add(c);
    }
    ValidationScore.Result broken = score.score(shifted);
    assertTrue(broken.shapes() < real.shapes() - 0.02, real + " vs " + broken);
    assertTrue(broken.score() < real.score());
  }

  @Test
  void emptyValidationRowsAreRefused() throws Exception {
    RealTables wine = RealTables.load("wine.csv");
    assertThrows(
        IllegalArgumentException.class, () -> new ValidationScore(wine.specs(), List.of()));
    assertEquals(0, new ValidationScore(wine.specs(), wine.rows()).score(List.of()).score());
  }

  private static int index(RealTables t, String name) {
    for (int i = 0; i < t.specs().size(); i++) {
      if (t.specs().get(i).name().equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no column " + name);
  }

  private static void shuffle(List<Object[]> rows, SplittableRandom rnd) {
    for (int i = rows.size() - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      Object[] t = rows.get(i);
      rows.set(i, rows.get(j));
      rows.set(j, t);
    }
  }
}
