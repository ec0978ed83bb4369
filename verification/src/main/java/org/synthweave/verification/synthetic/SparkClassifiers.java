package org.synthweave.verification.synthetic;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.synthweave.verification.VerificationErrors;
import org.synthweave.verification.synthetic.EvaluatedColumns.Spec;

/**
 * The classifiers of the report, all Spark ML random forests on one feature encoding fitted on the
 * real training rows (numbers median-imputed; categories string-indexed, a missing value and unseen
 * categories getting their own index, so the forest splits them as categories).
 *
 * <ul>
 *   <li>Efficacy: a forest trained on the synthetic rows (TSTR) and one trained on the real
 *       training rows (TRTR), both scored on the real holdout by F1: for two classes the F1 of the
 *       minority class of the real training rows, otherwise macro F1 (the mean of per-class F1).
 *       For two classes the same forest is also scored by the ROC AUC of its probability of the
 *       minority class, which needs no threshold (F1 at the default one can be 0 on a rare class
 *       even for a useful forest); NaN for more classes. Synthetic rows whose label the real rows
 *       lack are dropped.
 *   <li>Detection: real holdout rows (label 1) against synthetic rows (label 0), the larger side
 *       sampled down to the smaller; k-fold cross-validated ROC AUC (mean over folds) of a forest
 *       scored by its class-1 probability.
 * </ul>
 */
final class SparkClassifiers {
  static final String FEATURES = "__features";
  static final String LABEL = "__label";
  private static final String MISSING = "\u2205";

  private final EvaluatedColumns columns;
  private final SyntheticOptions options;
  private final PipelineModel encoder;
  private final PipelineModel detectionEncoder;
  private final int maxBins;
  private final int labels;
  private final int positive;
  private final String f1Kind;

  /** Fits the encodings on the normalized real training rows. */
  SparkClassifiers(EvaluatedColumns columns, Dataset<Row> train, SyntheticOptions options) {
    this.columns = columns;
    this.options = options;
    Dataset<Row> filled = fillCategories(train).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<PipelineStage> stages = featureStages(columns.features());
      stages.add(
          new StringIndexer()
              .setInputCol(columns.targetSpec().internal())
              .setOutputCol(LABEL)
              .setHandleInvalid("skip"));
      this.encoder = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(filled);
      this.detectionEncoder =
          new Pipeline()
              .setStages(featureStages(columns.all).toArray(PipelineStage[]::new))
              .fit(filled);
    } finally {
      filled.unpersist();
    }
    int most = 2;
    String[] labelValues = new String[0];
    for (org.apache.spark.ml.Transformer t : detectionEncoder.stages()) {
      if (t instanceof StringIndexerModel m) {
        most = Math.max(most, m.labelsArray()[0].length + 1);
      }
    }
    for (org.apache.spark.ml.Transformer t : encoder.stages()) {
      if (t instanceof StringIndexerModel m && m.getOutputCol().equals(LABEL)) {
        labelValues = m.labelsArray()[0];
      }
    }
    this.maxBins = Math.max(32, most);
    this.labels = labelValues.length;
    if (labels < 2 || labels > 100) {
      throw VerificationErrors.badTarget(
          columns.target, labels, labels < 2 ? "a classifier needs two" : "100 is the limit");
    }
    // StringIndexer orders by frequency, most frequent first: index 1 is the minority of two.
    this.positive = 1;
    this.f1Kind =
        labels == 2
            ? "F1 of class '" + labelValues[1] + "'"
            : "macro F1 over " + labels + " classes";
  }

  /**
   * Median imputation of numbers, indexing of categories, one vector whose features follow {@link
   * #assembledOrder} (which names the detection importances).
   */
  private static List<PipelineStage> featureStages(List<Spec> specs) {
    List<PipelineStage> stages = new ArrayList<>();
    List<String> assembled = new ArrayList<>();
    List<String> numIn = new ArrayList<>();
    List<String> numOut = new ArrayList<>();
    for (Spec s : assembledOrder(specs)) {
      if (s.kind() == EvaluatedColumns.Kind.NUMERIC) {
        numIn.add(s.internal());
        numOut.add(s.internal() + "_imp");
        assembled.add(s.internal() + "_imp");
      } else {
        stages.add(
            new StringIndexer()
                .setInputCol(s.internal())
                .setOutputCol(s.internal() + "_idx")
                .setHandleInvalid("keep"));
        assembled.add(s.internal() + "_idx");
      }
    }
    if (!numIn.isEmpty()) {
      stages.add(
          0,
          new Imputer()
              .setStrategy("median")
              .setInputCols(numIn.toArray(String[]::new))
              .setOutputCols(numOut.toArray(String[]::new)));
    }
    stages.add(
        new VectorAssembler()
            .setInputCols(assembled.toArray(String[]::new))
            .setOutputCol(FEATURES)
            .setHandleInvalid("keep"));
    return stages;
  }

  String f1Kind() {
    return f1Kind;
  }

  String describe() {
    return String.format(
        Locale.ROOT,
        "Spark ML RandomForestClassifier(numTrees=%d, maxDepth=%d, maxBins=%d, seed=%d)",
        options.trees(),
        options.maxDepth(),
        maxBins,
        options.seed());
  }

  private Dataset<Row> fillCategories(Dataset<Row> table) {
    Column[] cols = new Column[columns.all.size()];
    for (Spec s : columns.all) {
      Column c = col(s.internal());
      if (s.kind() == EvaluatedColumns.Kind.CATEGORICAL && !s.name().equals(columns.target)) {
        // A missing category is a category; a missing label is left to the label indexer (skip).
        c = coalesce(c, lit(MISSING));
      }
      cols[s.index()] = c.as(s.internal());
    }
    return table.select(cols);
  }

  /** Features and label of normalized rows. */
  Dataset<Row> encode(Dataset<Row> table) {
    return encoder.transform(fillCategories(table)).select(FEATURES, LABEL);
  }

  private RandomForestClassificationModel forest(Dataset<Row> encoded, long seed) {
    return new RandomForestClassifier()
        .setFeaturesCol(FEATURES)
        .setLabelCol(LABEL)
        .setNumTrees(options.trees())
        .setMaxDepth(options.maxDepth())
        .setMaxBins(maxBins)
        .setSeed(seed)
        .fit(encoded);
  }

  /**
   * What one forest scores on the real holdout: {@code f1} as {@link SparkClassifiers#f1Kind()};
   * {@code auc} the ROC AUC of its probability of the minority class for a binary target (NaN for
   * more classes, or when the holdout lacks one of the two). Both NaN without training rows.
   */
  record Efficacy(double f1, double auc) {
    static final Efficacy NONE = new Efficacy(Double.NaN, Double.NaN);
  }

  /** F1 and ROC AUC on {@code holdout} (encoded) of one forest trained on {@code train}. */
  Efficacy efficacy(Dataset<Row> train, Dataset<Row> holdout) {
    if (train.isEmpty()) {
      return Efficacy.NONE;
    }
    RandomForestClassificationModel model = forest(train, options.seed());
    Dataset<Row> scored =
        model
            .transform(holdout)
            .select(LABEL, "prediction", "probability")
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long[][] confusion = new long[labels][labels];
      for (Row r : scored.groupBy(LABEL, "prediction").count().collectAsList()) {
        confusion[(int) r.getDouble(0)][(int) r.getDouble(1)] += r.getLong(2);
      }
      double f1 = f1(confusion, labels == 2 ? positive : -1);
      double auc = Double.NaN;
      if (labels == 2 && model.numClasses() == 2 && everyClassPresent(confusion)) {
        // Index 1 of the probability vector is the minority class, the positive one of F1.
        auc = rocAuc().evaluate(scored);
      }
      return new Efficacy(f1, auc);
    } finally {
      scored.unpersist();
    }
  }

  /** ROC AUC of a forest's probability of class 1 against the label (1 positive). */
  private static BinaryClassificationEvaluator rocAuc() {
    return new BinaryClassificationEvaluator()
        .setLabelCol(LABEL)
        .setRawPredictionCol("probability")
        .setMetricName("areaUnderROC");
  }

  /** Whether every true class (row) of a confusion matrix has rows. */
  private static boolean everyClassPresent(long[][] confusion) {
    for (long[] row : confusion) {
      long n = 0;
      for (long v : row) {
        n += v;
      }
      if (n == 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * F1 from a confusion matrix (rows true, columns predicted): of class {@code positive}, or the
   * macro mean over classes when {@code positive} is −1. A class never predicted nor present scores
   * 0, as scikit-learn's zero_division=0.
   */
  static double f1(long[][] confusion, int positive) {
    int k = confusion.length;
    double sum = 0;
    for (int c = 0; c < k; c++) {
      long tp = confusion[c][c];
      long fp = 0;
      long fn = 0;
      for (int o = 0; o < k; o++) {
        if (o != c) {
          fp += confusion[o][c];
          fn += confusion[c][o];
        }
      }
      double f = tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn);
      if (c == positive) {
        return f;
      }
      sum += f;
    }
    return sum / k;
  }

  /**
   * What detection measured: the cross-validated ROC AUC, and how much each evaluated column helped
   * the forests tell the rows apart (Spark's impurity-based feature importance, averaged over the
   * folds; it sums to 1 over the columns), most telling first.
   */
  record Detection(double auc, List<SyntheticReport.ColumnWeight> columns) {}

  /** Cross-validated detection of normalized holdout rows against normalized synthetic rows. */
  Detection detection(
      Dataset<Row> holdout, long holdoutRows, Dataset<Row> synthetic, long synRows) {
    Dataset<Row> h = holdout;
    Dataset<Row> s = synthetic;
    if (holdoutRows > synRows) {
      h = holdout.sample(false, (double) synRows / holdoutRows, options.seed());
    } else if (synRows > holdoutRows) {
      s = synthetic.sample(false, (double) holdoutRows / synRows, options.seed());
    }
    Dataset<Row> both =
        encodeFeatures(h)
            .withColumn(LABEL, lit(1.0))
            .unionAll(encodeFeatures(s).withColumn(LABEL, lit(0.0)))
            .withColumn("__fold", floor(rand(options.seed() + 1).multiply(options.folds())))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      BinaryClassificationEvaluator auc = rocAuc();
      List<Spec> assembled = assembledOrder(columns.all);
      double[] importance = new double[assembled.size()];
      double sum = 0;
      int used = 0;
      for (int f = 0; f < options.folds(); f++) {
        Dataset<Row> test = both.filter(col("__fold").equalTo(f));
        Dataset<Row> train = both.filter(col("__fold").notEqual(f));
        if (test.isEmpty() || train.isEmpty()) {
          continue;
        }
        RandomForestClassificationModel model = forest(train, options.seed() + 2 + f);
        sum += auc.evaluate(model.transform(test));
        double[] fold = model.featureImportances().toArray();
        for (int i = 0; i < fold.length && i < importance.length; i++) {
          importance[i] += fold[i];
        }
        used++;
      }
      List<SyntheticReport.ColumnWeight> weights = new ArrayList<>();
      for (int i = 0; i < importance.length && used > 0; i++) {
        weights.add(
            new SyntheticReport.ColumnWeight(assembled.get(i).name(), importance[i] / used));
      }
      weights.sort(
          Comparator.comparingDouble(SyntheticReport.ColumnWeight::weight)
              .reversed()
              .thenComparing(SyntheticReport.ColumnWeight::column));
      return new Detection(used == 0 ? Double.NaN : sum / used, List.copyOf(weights));
    } finally {
      both.unpersist();
    }
  }

  /** The order of the assembled features: numbers, then categories, each in column order. */
  private static List<Spec> assembledOrder(List<Spec> specs) {
    List<Spec> order = new ArrayList<>();
    for (Spec s : specs) {
      if (s.kind() == EvaluatedColumns.Kind.NUMERIC) {
        order.add(s);
      }
    }
    for (Spec s : specs) {
      if (s.kind() == EvaluatedColumns.Kind.CATEGORICAL) {
        order.add(s);
      }
    }
    return order;
  }

  /** All columns, the target included (a real row has a real label), as features. */
  private Dataset<Row> encodeFeatures(Dataset<Row> table) {
    return detectionEncoder.transform(fillCategories(table)).select(FEATURES);
  }
}
