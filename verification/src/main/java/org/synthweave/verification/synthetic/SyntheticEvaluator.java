package org.synthweave.verification.synthetic;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.synthweave.verification.VerificationErrors;
import org.synthweave.verification.synthetic.SyntheticReport.ColumnScore;
import org.synthweave.verification.synthetic.SyntheticReport.PairScore;

/**
 * Compares a synthetic table with the real one it imitates, as Spark jobs: fidelity ({@link
 * SparkFidelity}: SDMetrics quality score), efficacy and detection ({@link SparkClassifiers}:
 * random forests), privacy ({@link SparkPrivacy}: DCR, exact copies). Columns are typed from the
 * real table (strings and booleans categorical, numbers, dates and timestamps numeric, the target
 * always categorical); ids, provenance and {@code _}-prefixed columns are left out.
 *
 * <p>Three real-data facts guide reading a report: a real holdout scores a quality near 0.9 or more
 * and a detection AUC near 0.5; the class-conditional independent-marginals sampler keeps column
 * shapes and most of TSTR but is detected (AUC well above 0.8) and loses pair trends. So detection
 * AUC is what tells a synthesizer from that trivial sampler; {@link
 * SyntheticOptions#withBaseline()} puts the sampler's figures into the same report.
 */
public final class SyntheticEvaluator {
  private final SyntheticOptions options;

  public SyntheticEvaluator() {
    this(SyntheticOptions.defaults());
  }

  public SyntheticEvaluator(SyntheticOptions options) {
    this.options = options;
  }

  public SyntheticOptions options() {
    return options;
  }

  /** The real table split deterministically (by the seed) into training rows and a holdout. */
  public record Split(Dataset<Row> train, Dataset<Row> holdout) {}

  /** Splits {@code real} into {@code 1 − holdoutFraction} training rows and a holdout. */
  public Split split(Dataset<Row> real, double holdoutFraction) {
    if (!(holdoutFraction > 0 && holdoutFraction < 1)) {
      throw new IllegalArgumentException(
          "holdoutFraction must be in (0, 1), got " + holdoutFraction);
    }
    Dataset<Row>[] parts =
        real.randomSplit(new double[] {1 - holdoutFraction, holdoutFraction}, options.seed());
    return new Split(parts[0], parts[1]);
  }

  /**
   * Measures {@code synthetic} against the real rows as {@code evaluate-synthetic} and the
   * synthetic checks do: with a {@code holdout} table, all of {@code real} are training rows;
   * without one (null), {@code real} is split by the seed into training rows and {@code
   * holdoutFraction}.
   */
  public SyntheticReport evaluate(
      Dataset<Row> real,
      Dataset<Row> holdout,
      double holdoutFraction,
      Dataset<Row> synthetic,
      String target) {
    if (holdout != null) {
      return evaluate(real, holdout, synthetic, target);
    }
    Split split = split(real, holdoutFraction);
    return evaluate(split.train(), split.holdout(), synthetic, target);
  }

  /**
   * Measures {@code synthetic} against {@code realTrain} (what the synthesizer learned from) and
   * {@code realHoldout} (real rows it never saw); {@code target} is the label column.
   */
  public SyntheticReport evaluate(
      Dataset<Row> realTrain, Dataset<Row> realHoldout, Dataset<Row> synthetic, String target) {
    EvaluatedColumns columns = EvaluatedColumns.of(realTrain, target, options);
    Dataset<Row> train = cache(columns.normalize(realTrain, "real training"));
    Dataset<Row> holdout = cache(columns.normalize(realHoldout, "real holdout"));
    Dataset<Row> syn = cache(columns.normalize(synthetic, "synthetic"));
    try {
      long trainRows = SparkFidelity.rows(train);
      long holdoutRows = SparkFidelity.rows(holdout);
      long synRows = SparkFidelity.rows(syn);
      if (trainRows == 0) {
        throw VerificationErrors.emptyTable("real training");
      }
      if (holdoutRows == 0) {
        throw VerificationErrors.emptyTable("real holdout");
      }
      if (synRows == 0) {
        throw VerificationErrors.emptyTable("synthetic");
      }
      SyntheticReport report =
          measure(columns, train, trainRows, holdout, holdoutRows, syn, synRows);
      if (options.baseline()) {
        Dataset<Row> sampled =
            new IndependentMarginalsSampler(options)
                .sample(realTrain, target, synRows, options.seed());
        Dataset<Row> base = cache(columns.normalize(sampled, "independent-marginals"));
        try {
          SyntheticReport b =
              measure(columns, train, trainRows, holdout, holdoutRows, base, synRows);
          report = report.withBaseline(b.asBaseline());
        } finally {
          base.unpersist();
        }
      }
      return report;
    } finally {
      train.unpersist();
      holdout.unpersist();
      syn.unpersist();
    }
  }

  private SyntheticReport measure(
      EvaluatedColumns columns,
      Dataset<Row> train,
      long trainRows,
      Dataset<Row> holdout,
      long holdoutRows,
      Dataset<Row> syn,
      long synRows) {
    SparkFidelity.Result fidelity =
        SparkFidelity.measure(columns, train, syn, options.pairBins(), trainRows, synRows);
    double shapes =
        SparkFidelity.meanOf(fidelity.columns().stream().map(ColumnScore::score).toList());
    double trends = SparkFidelity.meanOf(fidelity.pairs().stream().map(PairScore::score).toList());
    double quality = Double.isNaN(trends) ? shapes : (shapes + trends) / 2.0;

    SparkClassifiers classifiers = new SparkClassifiers(columns, train, options);
    Dataset<Row> holdoutEncoded = cache(classifiers.encode(holdout));
    Dataset<Row> synEncoded = cache(classifiers.encode(syn));
    Dataset<Row> trainEncoded = cache(classifiers.encode(train));
    SparkClassifiers.Efficacy tstr;
    SparkClassifiers.Efficacy trtr;
    try {
      tstr = classifiers.efficacy(synEncoded, holdoutEncoded);
      trtr = classifiers.efficacy(trainEncoded, holdoutEncoded);
    } finally {
      holdoutEncoded.unpersist();
      synEncoded.unpersist();
      trainEncoded.unpersist();
    }
    SparkClassifiers.Detection detection =
        classifiers.detection(holdout, holdoutRows, syn, synRows);

    SparkPrivacy.Dcr dcr =
        SparkPrivacy.dcr(
            columns,
            train,
            holdout,
            holdoutRows,
            syn,
            synRows,
            options.dcrMaxRows(),
            options.seed());
    double copies = SparkPrivacy.exactCopyRate(columns, train, syn, synRows);

    return new SyntheticReport(
        columns.target,
        options.seed(),
        trainRows,
        holdoutRows,
        synRows,
        quality,
        shapes,
        trends,
        fidelity.columns(),
        fidelity.pairs(),
        classifiers.f1Kind(),
        classifiers.describe(),
        tstr.f1(),
        trtr.f1(),
        ratio(tstr.f1(), trtr.f1()),
        tstr.auc(),
        trtr.auc(),
        ratio(tstr.auc(), trtr.auc()),
        detection.auc(),
        detection.columns(),
        dcr.syntheticMedian(),
        dcr.holdoutMedian(),
        dcr.ratio(),
        copies,
        fidelity.distributions(),
        fidelity.correlations(),
        null);
  }

  /** {@code tstr / trtr}, NaN unless {@code trtr > 0}. */
  static double ratio(double tstr, double trtr) {
    return trtr > 0 ? tstr / trtr : Double.NaN;
  }

  private static Dataset<Row> cache(Dataset<Row> table) {
    return table.persist(StorageLevel.MEMORY_AND_DISK());
  }
}
