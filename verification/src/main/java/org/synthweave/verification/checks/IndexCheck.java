package org.synthweave.verification.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.synthweave.verification.VerificationErrors;

/**
 * What an embedding index must hold: recall@{@value #K} of its graph search against exact search at
 * least {@code recallMin} (the figure {@code eval-index} prints), and vectors made by the expected
 * model with the expected length.
 *
 * @param index the index name under {@code <warehouse>/index/}; empty means the text index of
 *     {@code embed.text.model}
 * @param recallMin least recall@10; NaN when not checked
 * @param model expected model id, or {@code id@version} to pin the version too; empty when not
 *     checked
 * @param dimensions expected vector length; 0 when not checked
 * @param queries vectors drawn from the index (seeded) as queries
 * @param candidates search effort the recall is measured at; 0 means {@code
 *     index.search.candidates}, the effort searches use
 */
public record IndexCheck(
    String index, double recallMin, String model, int dimensions, int queries, int candidates) {

  /** The check's name in results and in {@code verify.dataset.<name>.index}. */
  public static final String KIND = "index";

  /** The k of recall@k. */
  public static final int K = 10;

  /** Seed of the query sample, as {@code eval-index}'s default. */
  public static final long SEED = 42;

  public static final int DEFAULT_QUERIES = 200;

  /** The keys under {@code verify.dataset.<name>.index.}. */
  static final List<String> FIELDS =
      List.of("name", "recall-min", "model", "dimensions", "queries", "candidates");

  /**
   * What was measured of an index.
   *
   * @param model the model id the index records
   * @param modelVersion the model version it records
   * @param dimensions its vector length
   * @param recall recall@10 of its graph search against exact search
   */
  public record Figures(String model, String modelVersion, int dimensions, double recall) {}

  static IndexCheck parse(String key, Map<String, Object> fields) {
    for (String f : fields.keySet()) {
      if (!FIELDS.contains(f)) {
        throw VerificationErrors.unknownCheckKey(key + "." + f, f, KIND, FIELDS);
      }
    }
    double recall = DatasetChecks.number(key, fields, "recall-min", Double.NaN);
    if (!Double.isNaN(recall) && !(recall >= 0 && recall <= 1)) {
      throw VerificationErrors.badCheck(key + ".recall-min", recall, "it must be in [0, 1]");
    }
    String model = String.valueOf(fields.getOrDefault("model", "")).trim();
    int dims = whole(key, fields, "dimensions", 0, 0);
    int queries = whole(key, fields, "queries", DEFAULT_QUERIES, 1);
    int candidates = whole(key, fields, "candidates", 0, 0);
    if (Double.isNaN(recall) && model.isEmpty() && dims == 0) {
      throw VerificationErrors.badCheck(
          key, fields, "it needs at least one of recall-min, model or dimensions");
    }
    String name = String.valueOf(fields.getOrDefault("name", "")).trim();
    return new IndexCheck(name, recall, model, dims, queries, candidates);
  }

  /** Whether recall is checked (it costs an exact search per query; the others read index.json). */
  public boolean measuresRecall() {
    return !Double.isNaN(recallMin);
  }

  /** One result per expectation; {@code column} holds the index name. */
  public List<CheckResult> evaluate(String indexName, Figures f) {
    List<CheckResult> out = new ArrayList<>();
    if (measuresRecall()) {
      out.add(
          CheckResult.of(
              KIND,
              indexName,
              "recall_at_" + K,
              ">= " + SyntheticCheck.num(recallMin),
              f.recall(),
              f.recall() >= recallMin));
    }
    if (!model.isEmpty()) {
      String actual = model.contains("@") ? f.model() + "@" + f.modelVersion() : f.model();
      out.add(
          new CheckResult(
              KIND, indexName, "model", "= " + model, Double.NaN, actual, actual.equals(model)));
    }
    if (dimensions > 0) {
      out.add(
          CheckResult.of(
              KIND,
              indexName,
              "dimensions",
              "= " + dimensions,
              f.dimensions(),
              f.dimensions() == dimensions));
    }
    return out;
  }

  private static int whole(
      String key, Map<String, Object> fields, String field, int dflt, int min) {
    double v = DatasetChecks.number(key, fields, field, dflt);
    if (v != Math.rint(v) || v < min || v > Integer.MAX_VALUE) {
      throw VerificationErrors.badCheck(
          key + "." + field, fields.get(field), "it must be a whole number >= " + min);
    }
    return (int) v;
  }
}
