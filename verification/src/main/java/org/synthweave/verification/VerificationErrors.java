package org.synthweave.verification;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.synthweave.core.CoreErrors;
import org.synthweave.core.SynthweaveException;

/**
 * The user-facing errors of this module (manifests and synthetic-data metrics): what went wrong,
 * why, and how to fix it. Spark-free, so buyers' verifier can load it without Spark.
 */
public final class VerificationErrors {
  private VerificationErrors() {}

  public static SynthweaveException unreadable(Path file, IOException cause) {
    return new SynthweaveException(
        "Cannot read "
            + file
            + ": "
            + cause
            + ". Check that the path exists and is readable by this user.",
        cause,
        1);
  }

  public static SynthweaveException unwritable(Path file, IOException cause) {
    return new SynthweaveException(
        "Cannot write "
            + file
            + ": "
            + cause
            + ". Check free space and that the folder is writable by this user.",
        cause,
        1);
  }

  public static SynthweaveException malformed(Path file, String why, Throwable cause) {
    return new SynthweaveException(
        "The dataset manifest "
            + file
            + " is not valid: "
            + why
            + ". Download it again from the publisher; a manifest must not be edited by hand.",
        cause,
        1);
  }

  public static SynthweaveException noSuchTarget(String target, List<String> columns) {
    return new SynthweaveException(
        "The target column '"
            + target
            + "' is not in the real table (it has: "
            + String.join(", ", columns)
            + "). The metrics need the label the synthetic data is meant to predict; pass one of"
            + " these columns with --target.");
  }

  public static SynthweaveException noSuchColumn(String column, List<String> columns) {
    return new SynthweaveException(
        "The column '"
            + column
            + "' named in verify.synthetic.categorical-columns is not in the real table (it has: "
            + String.join(", ", columns)
            + "). Fix the name or remove it from that list.");
  }

  public static SynthweaveException tooFewColumns(List<String> columns) {
    return new SynthweaveException(
        "The real table has fewer than two columns to compare (it has: "
            + String.join(", ", columns)
            + "; ids, provenance, _-prefixed, nested and binary columns are left out). Column"
            + " pair trends and classifiers need at least a target and one feature; check"
            + " verify.synthetic.exclude-columns.");
  }

  public static SynthweaveException missingColumns(
      String role, List<String> missing, List<String> have) {
    return new SynthweaveException(
        "The "
            + role
            + " table lacks the columns "
            + String.join(", ", missing)
            + " of the real table (it has: "
            + String.join(", ", have)
            + "). Synthetic rows must have the real table's columns; generate them from the same"
            + " table, or leave those columns out with verify.synthetic.exclude-columns.");
  }

  public static SynthweaveException emptyTable(String role) {
    return new SynthweaveException(
        "The "
            + role
            + " table has no rows, so nothing can be compared. Check the table name and that the"
            + " job that writes it has run; a holdout needs --holdout-fraction above 0.");
  }

  public static SynthweaveException badTarget(String target, long labels, String why) {
    return new SynthweaveException(
        "The target column '"
            + target
            + "' has "
            + labels
            + " distinct labels in the real training rows, but "
            + why
            + ". Choose a categorical column with 2 to 100 values as --target.");
  }

  public static SynthweaveException badOption(String key, Object value, String why) {
    return CoreErrors.badOption(key, value, why);
  }

  public static SynthweaveException unknownCheckDataset(
      String name, java.util.Set<String> declared) {
    return new SynthweaveException(
        "No checks are declared for dataset '"
            + name
            + "' (declared: "
            + (declared.isEmpty() ? "none" : String.join(", ", declared))
            + "). Declare them under verify.dataset."
            + name
            + " in the job config (see synthweave config --keys), or name a declared dataset.");
  }

  public static SynthweaveException unknownCheck(String key, String check, List<String> known) {
    String near =
        known.stream()
            .filter(k -> org.synthweave.core.config.ConfigRegistry.editDistance(k, check) <= 2)
            .findFirst()
            .map(k -> " Did you mean '" + k + "'?")
            .orElse("");
    return new SynthweaveException(
        "Unknown check '"
            + check
            + "' in "
            + key
            + ": a dataset's checks are "
            + String.join(", ", known)
            + "."
            + near);
  }

  /** An unknown key inside a check's block, e.g. {@code synthetic.quality-mn}. */
  public static SynthweaveException unknownCheckKey(
      String key, String field, String check, List<String> known) {
    String near =
        known.stream()
            .filter(k -> org.synthweave.core.config.ConfigRegistry.editDistance(k, field) <= 2)
            .findFirst()
            .map(k -> " Did you mean '" + k + "'?")
            .orElse("");
    return new SynthweaveException(
        "Unknown key '"
            + field
            + "' in "
            + key
            + ": the "
            + check
            + " check's keys are "
            + String.join(", ", known)
            + "."
            + near);
  }

  public static SynthweaveException badCheck(String key, Object value, String why) {
    return CoreErrors.badOption(key, value, why);
  }

  public static SynthweaveException noCheckColumn(
      String key, String column, String table, List<String> columns) {
    return new SynthweaveException(
        "The column '"
            + column
            + "' named in "
            + key
            + " is not in "
            + table
            + " (it has: "
            + String.join(", ", columns)
            + "). Fix the name in the check (a name with dots is written as it is, in quotes).");
  }

  public static SynthweaveException noChecksDeclared() {
    return new SynthweaveException(
        "No dataset declares checks, so there is nothing to check. Declare them under"
            + " verify.dataset.<name> in the job config (synthweave config --keys lists the keys).");
  }
}
