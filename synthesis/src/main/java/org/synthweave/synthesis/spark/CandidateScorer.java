package org.synthweave.synthesis.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.train.AutoChoice;
import org.synthweave.synthesis.train.ValidationScore;

/**
 * Scores one candidate model's sample against real rows for {@code synth.synthesizer = auto}: the
 * rows it trained on, held-out rows it never saw, and the label column (empty without one). The
 * jobs wire in the verification module's evaluator (detection AUC, quality score, TSTR); on its own
 * the synthesis module falls back to {@link #fidelity}.
 */
public interface CandidateScorer {
  /** What the scores mean, for the report (e.g. "random-forest detection, quality, TSTR"). */
  String method();

  AutoChoice.Scores score(
      Dataset<Row> train, Dataset<Row> holdout, Dataset<Row> synthetic, String target);

  /**
   * The synthesis module's own scorer: {@link ValidationScore} of the sample against (up to 5,000)
   * held-out rows as the quality; no detection AUC, no TSTR.
   */
  static CandidateScorer fidelity(List<ColumnSpec> specs) {
    return new CandidateScorer() {
      @Override
      public String method() {
        return "column shapes and pair trends on held-out rows (synthesis module)";
      }

      @Override
      public AutoChoice.Scores score(
          Dataset<Row> train, Dataset<Row> holdout, Dataset<Row> synthetic, String target) {
        ValidationScore s = new ValidationScore(specs, values(holdout.limit(5_000), specs));
        double q = s.score(values(synthetic.limit(5_000), specs)).score();
        return new AutoChoice.Scores(Double.NaN, q, Double.NaN, Double.NaN);
      }
    };
  }

  /** Rows of a table in its original types as model values (numbers as Double, else String). */
  private static List<Object[]> values(Dataset<Row> rows, List<ColumnSpec> specs) {
    List<Object[]> out = new ArrayList<>();
    for (Row r : rows.collectAsList()) {
      Object[] v = new Object[specs.size()];
      for (int j = 0; j < specs.size(); j++) {
        Object x = r.getAs(specs.get(j).name());
        if (x == null) {
          v[j] = null;
        } else if (specs.get(j).kind() == ColumnSpec.Kind.CONTINUOUS) {
          v[j] = x instanceof Number num ? num.doubleValue() : null;
        } else {
          v[j] = String.valueOf(x);
        }
      }
      out.add(v);
    }
    return out;
  }
}
