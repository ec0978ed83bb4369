package org.synthweave.verification.synthetic;

import java.util.HashSet;
import java.util.List;
import org.synthweave.core.config.ConfigKey;
import org.synthweave.core.config.Settings;
import org.synthweave.verification.VerificationErrors;

/**
 * Every configuration key of {@code synthweave evaluate-synthetic} ({@code verify.synthetic.*}),
 * with its documented default, and the typed view the command uses. Command-line options override
 * these keys.
 *
 * @param holdoutFraction share of the real table held out (never seen by the synthesizer)
 * @param options the evaluator's options
 * @param reportDir folder of the HTML report; empty means {@code _report} inside the synthetic
 *     table's folder
 */
public record SyntheticConfig(double holdoutFraction, SyntheticOptions options, String reportDir) {
  public static final ConfigKey<Double> HOLDOUT_FRACTION =
      ConfigKey.decimal(
          "verify.synthetic.holdout-fraction",
          0.2,
          "Share of the real table split off (by the seed) as the holdout that TSTR, TRTR,"
              + " detection and DCR compare against; the rest are the training rows. Unused with"
              + " --holdout TABLE.");
  public static final ConfigKey<Long> SEED =
      ConfigKey.longKey(
          "verify.synthetic.seed",
          SyntheticOptions.DEFAULT_SEED,
          "Seed of the train/holdout split, the random forests, the detection folds and the DCR"
              + " sample; the same seed and tables give the same report.");
  public static final ConfigKey<Integer> TREES =
      ConfigKey.integer(
          "verify.synthetic.trees",
          SyntheticOptions.DEFAULT_TREES,
          "Trees of each random forest (efficacy and detection).");
  public static final ConfigKey<Integer> MAX_DEPTH =
      ConfigKey.integer(
          "verify.synthetic.max-depth",
          SyntheticOptions.DEFAULT_MAX_DEPTH,
          "Depth limit of the random forests' trees.");
  public static final ConfigKey<Integer> FOLDS =
      ConfigKey.integer(
          "verify.synthetic.folds",
          SyntheticOptions.DEFAULT_FOLDS,
          "Folds of the cross-validated detection AUC.");
  public static final ConfigKey<Integer> PAIR_BINS =
      ConfigKey.integer(
          "verify.synthetic.pair-bins",
          SyntheticOptions.DEFAULT_PAIR_BINS,
          "Equal-width bins a numeric column is cut into (over the real range) when paired with a"
              + " categorical column for contingency similarity; SDMetrics uses 10.");
  public static final ConfigKey<Integer> DCR_MAX_ROWS =
      ConfigKey.integer(
          "verify.synthetic.dcr-max-rows",
          SyntheticOptions.DEFAULT_DCR_MAX_ROWS,
          "Most synthetic (and holdout) rows whose closest training row is searched exactly; the"
              + " cost is this x training rows x columns.");
  public static final ConfigKey<List<String>> CATEGORICAL_COLUMNS =
      ConfigKey.stringList(
          "verify.synthetic.categorical-columns",
          List.of(),
          "Columns treated as categorical although numeric (e.g. 0/1 flags, codes); strings and"
              + " booleans always are.");
  public static final ConfigKey<List<String>> EXCLUDE_COLUMNS =
      ConfigKey.stringList(
          "verify.synthetic.exclude-columns",
          List.of(),
          "Columns left out of every metric, besides ids, provenance and _-prefixed columns.");
  public static final ConfigKey<Boolean> BASELINE =
      ConfigKey.bool(
          "verify.synthetic.baseline",
          true,
          "Also evaluate the class-conditional independent-marginals sampler (as many rows as the"
              + " synthetic table) and report its figures next to the synthetic ones.");
  public static final ConfigKey<String> REPORT_DIR =
      ConfigKey.string(
          "verify.synthetic.report-dir",
          "",
          "Folder of the HTML report (index.html) and report.json; empty means _report inside the"
              + " synthetic table's folder. --report overrides it.");

  public static final List<ConfigKey<?>> KEYS =
      List.of(
          HOLDOUT_FRACTION,
          SEED,
          TREES,
          MAX_DEPTH,
          FOLDS,
          PAIR_BINS,
          DCR_MAX_ROWS,
          CATEGORICAL_COLUMNS,
          EXCLUDE_COLUMNS,
          BASELINE,
          REPORT_DIR);

  public static SyntheticConfig from(Settings s) {
    double fraction = s.get(HOLDOUT_FRACTION);
    if (!(fraction > 0 && fraction < 1)) {
      throw VerificationErrors.badOption(
          HOLDOUT_FRACTION.name(), fraction, "it must be between 0 and 1 (exclusive)");
    }
    check(TREES, s.get(TREES), 1, 10_000);
    check(MAX_DEPTH, s.get(MAX_DEPTH), 1, 30);
    check(FOLDS, s.get(FOLDS), 2, 20);
    check(PAIR_BINS, s.get(PAIR_BINS), 2, 1_000);
    check(DCR_MAX_ROWS, s.get(DCR_MAX_ROWS), 1, Integer.MAX_VALUE);
    SyntheticOptions options =
        new SyntheticOptions(
            s.get(SEED),
            new HashSet<>(s.get(CATEGORICAL_COLUMNS)),
            new HashSet<>(s.get(EXCLUDE_COLUMNS)),
            s.get(TREES),
            s.get(MAX_DEPTH),
            s.get(FOLDS),
            s.get(PAIR_BINS),
            s.get(DCR_MAX_ROWS),
            s.get(BASELINE));
    return new SyntheticConfig(fraction, options, s.get(REPORT_DIR));
  }

  private static void check(ConfigKey<Integer> key, int value, int min, int max) {
    if (value < min || value > max) {
      throw VerificationErrors.badOption(
          key.name(), value, "it must be between " + min + " and " + max);
    }
  }
}
