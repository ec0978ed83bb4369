package org.synthweave.verification.synthetic;

import java.util.List;
import java.util.Set;

/**
 * How {@link SyntheticEvaluator} measures: the seed of every random choice, column typing and the
 * sizes of its models and samples. {@link #defaults()} holds the documented defaults; change one
 * with the {@code with…} methods.
 *
 * @param seed seed of the train/holdout split, the classifiers, the detection folds and samples
 * @param categoricalColumns columns treated as categorical even if numeric (by default strings and
 *     booleans are categorical, numbers, dates and timestamps numeric)
 * @param excludeColumns columns left out besides ids, provenance and {@code _}-prefixed ones
 * @param trees trees of every random forest (efficacy and detection)
 * @param maxDepth depth limit of those trees
 * @param folds folds of the cross-validated detection AUC
 * @param pairBins equal-width bins a numeric column is cut into when paired with a categorical one
 * @param dcrMaxRows most synthetic (and holdout) rows whose closest training record is searched
 * @param baseline whether to also evaluate the independent-marginals baseline of the same size
 */
public record SyntheticOptions(
    long seed,
    Set<String> categoricalColumns,
    Set<String> excludeColumns,
    int trees,
    int maxDepth,
    int folds,
    int pairBins,
    int dcrMaxRows,
    boolean baseline) {

  public static final long DEFAULT_SEED = 42L;
  public static final int DEFAULT_TREES = 50;
  public static final int DEFAULT_MAX_DEPTH = 8;
  public static final int DEFAULT_FOLDS = 3;

  /** SDMetrics' quality report cuts numeric columns into 10 bins for contingency similarity. */
  public static final int DEFAULT_PAIR_BINS = 10;

  public static final int DEFAULT_DCR_MAX_ROWS = 2_000;

  /** Columns that describe where a row came from, not what it says (never evaluated). */
  public static final List<String> PROVENANCE_COLUMNS =
      List.of(
          "id",
          "origin",
          "generator",
          "seed",
          "source_ids",
          "source_id",
          "source_file",
          "run_id",
          "ingested_at",
          "record_id",
          "record_key",
          "reading_hash");

  public SyntheticOptions {
    categoricalColumns = Set.copyOf(categoricalColumns);
    excludeColumns = Set.copyOf(excludeColumns);
    if (trees < 1) {
      throw new IllegalArgumentException("trees must be >= 1, got " + trees);
    }
    if (maxDepth < 1 || maxDepth > 30) {
      throw new IllegalArgumentException("maxDepth must be in 1..30, got " + maxDepth);
    }
    if (folds < 2) {
      throw new IllegalArgumentException("folds must be >= 2, got " + folds);
    }
    if (pairBins < 2) {
      throw new IllegalArgumentException("pairBins must be >= 2, got " + pairBins);
    }
    if (dcrMaxRows < 1) {
      throw new IllegalArgumentException("dcrMaxRows must be >= 1, got " + dcrMaxRows);
    }
  }

  public static SyntheticOptions defaults() {
    return new SyntheticOptions(
        DEFAULT_SEED,
        Set.of(),
        Set.of(),
        DEFAULT_TREES,
        DEFAULT_MAX_DEPTH,
        DEFAULT_FOLDS,
        DEFAULT_PAIR_BINS,
        DEFAULT_DCR_MAX_ROWS,
        false);
  }

  public SyntheticOptions withSeed(long value) {
    return new SyntheticOptions(
        value,
        categoricalColumns,
        excludeColumns,
        trees,
        maxDepth,
        folds,
        pairBins,
        dcrMaxRows,
        baseline);
  }

  public SyntheticOptions withCategoricalColumns(Set<String> value) {
    return new SyntheticOptions(
        seed, value, excludeColumns, trees, maxDepth, folds, pairBins, dcrMaxRows, baseline);
  }

  public SyntheticOptions withExcludeColumns(Set<String> value) {
    return new SyntheticOptions(
        seed, categoricalColumns, value, trees, maxDepth, folds, pairBins, dcrMaxRows, baseline);
  }

  public SyntheticOptions withForest(int treeCount, int depth) {
    return new SyntheticOptions(
        seed,
        categoricalColumns,
        excludeColumns,
        treeCount,
        depth,
        folds,
        pairBins,
        dcrMaxRows,
        baseline);
  }

  public SyntheticOptions withFolds(int value) {
    return new SyntheticOptions(
        seed,
        categoricalColumns,
        excludeColumns,
        trees,
        maxDepth,
        value,
        pairBins,
        dcrMaxRows,
        baseline);
  }

  public SyntheticOptions withPairBins(int value) {
    return new SyntheticOptions(
        seed,
        categoricalColumns,
        excludeColumns,
        trees,
        maxDepth,
        folds,
        value,
        dcrMaxRows,
        baseline);
  }

  public SyntheticOptions withDcrMaxRows(int value) {
    return new SyntheticOptions(
        seed,
        categoricalColumns,
        excludeColumns,
        trees,
        maxDepth,
        folds,
        pairBins,
        value,
        baseline);
  }

  /** Also evaluates the independent-marginals baseline, so the report shows both side by side. */
  public SyntheticOptions withBaseline() {
    return new SyntheticOptions(
        seed,
        categoricalColumns,
        excludeColumns,
        trees,
        maxDepth,
        folds,
        pairBins,
        dcrMaxRows,
        true);
  }

  /** Leaves the independent-marginals baseline out (a check needs only the table's figures). */
  public SyntheticOptions withoutBaseline() {
    return new SyntheticOptions(
        seed,
        categoricalColumns,
        excludeColumns,
        trees,
        maxDepth,
        folds,
        pairBins,
        dcrMaxRows,
        false);
  }

  /**
   * Whether a column is left out of every metric: ids, provenance, {@code _}-prefixed, excluded.
   */
  public boolean excludes(String column) {
    return column.startsWith("_")
        || PROVENANCE_COLUMNS.contains(column)
        || excludeColumns.contains(column);
  }
}
