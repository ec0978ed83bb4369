package org.synthweave.jobs;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.synthweave.synthesis.spark.CandidateScorer;
import org.synthweave.synthesis.train.AutoChoice;
import org.synthweave.verification.synthetic.SyntheticEvaluator;
import org.synthweave.verification.synthetic.SyntheticOptions;
import org.synthweave.verification.synthetic.SyntheticReport;

/**
 * Scores auto's candidates with the verification module's evaluator: random-forest detection AUC
 * (held-out rows vs the candidate's), the SDMetrics-style quality score, and TSTR (forest trained
 * on the candidate's rows vs on the real training rows, tested on the held-out rows). It lives in
 * the jobs module because synthesis and verification do not depend on each other.
 */
final class EvaluatorScorer implements CandidateScorer {
  private final SyntheticEvaluator evaluator;

  EvaluatorScorer(long seed) {
    this.evaluator = new SyntheticEvaluator(SyntheticOptions.defaults().withSeed(seed));
  }

  @Override
  public String method() {
    return "random-forest detection AUC, quality score and TSTR (verification module)";
  }

  @Override
  public AutoChoice.Scores score(
      Dataset<Row> train, Dataset<Row> holdout, Dataset<Row> synthetic, String target) {
    SyntheticReport r = evaluator.evaluate(train, holdout, synthetic, target);
    return new AutoChoice.Scores(
        r.detectionAuc(), r.qualityScore(), r.tstrRatio(), r.tstrAucRatio());
  }
}
