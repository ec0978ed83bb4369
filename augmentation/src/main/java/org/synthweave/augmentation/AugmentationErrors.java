package org.synthweave.augmentation;

import java.util.Collection;
import org.synthweave.core.CoreErrors;
import org.synthweave.core.SynthweaveException;

/**
 * The one place where the augment stage creates user-facing errors: each says what went wrong, why,
 * and how to fix it, naming the dataset, op and parameter involved.
 */
public final class AugmentationErrors {
  private AugmentationErrors() {}

  public static SynthweaveException badOption(String key, Object value, String why) {
    return CoreErrors.badOption(key, value, why);
  }

  public static SynthweaveException unknownOp(String dataset, String op, Collection<String> ops) {
    return new SynthweaveException(
        "Dataset '"
            + dataset
            + "' lists the augmentation op '"
            + op
            + "', which does not exist. Ops of this dataset's kind are: "
            + String.join(", ", ops)
            + ". Fix augment.dataset."
            + dataset
            + ".ops.");
  }

  public static SynthweaveException unknownParameter(
      String dataset, String op, String param, Collection<String> params) {
    return new SynthweaveException(
        "The op '"
            + op
            + "' of dataset '"
            + dataset
            + "' has no parameter '"
            + param
            + "' (a typo?). Its parameters are: "
            + String.join(", ", params)
            + ". Fix augment.dataset."
            + dataset
            + ".ops.");
  }

  public static SynthweaveException badParameter(
      String dataset, String op, String param, Object value, String why) {
    return new SynthweaveException(
        "The parameter "
            + param
            + " = '"
            + value
            + "' of op '"
            + op
            + "' (dataset '"
            + dataset
            + "') is not usable: "
            + why
            + ". Fix augment.dataset."
            + dataset
            + ".ops.");
  }

  public static SynthweaveException badOpSyntax(String dataset, String text, String why) {
    return new SynthweaveException(
        "Cannot read the op '"
            + text
            + "' of dataset '"
            + dataset
            + "': "
            + why
            + ". Write each op as `name key=value ...` and separate ops with ';' (e.g. --set"
            + " augment.dataset."
            + dataset
            + ".ops=\"noise sigma=0.1; mixup lambda-min=0.6\"), or as a HOCON list of objects"
            + " ({op = noise, sigma = 0.1}).");
  }

  public static SynthweaveException noSourceTable(String dataset, String table, String path) {
    return new SynthweaveException(
        "Dataset '"
            + dataset
            + "' augments the table "
            + table
            + ", but there is no Delta table at "
            + path
            + ". Create it first (synthweave ingest, or synthweave ingest-table NAME PATH), or set"
            + " augment.dataset."
            + dataset
            + ".source to an existing table.");
  }

  public static SynthweaveException missingColumn(
      String dataset, String role, String column, Collection<String> have) {
    return new SynthweaveException(
        "Dataset '"
            + dataset
            + "' names the column '"
            + column
            + "' as its "
            + role
            + ", but the source table has no such column. Its columns are: "
            + String.join(", ", have)
            + ". Fix augment.dataset."
            + dataset
            + "."
            + role
            + ".");
  }

  public static SynthweaveException wrongColumnType(
      String dataset, String op, String column, String type, String expected) {
    return new SynthweaveException(
        "The op '"
            + op
            + "' of dataset '"
            + dataset
            + "' works on "
            + expected
            + " columns, but '"
            + column
            + "' is "
            + type
            + ". Name other columns with the op's `columns` parameter.");
  }

  public static SynthweaveException needsLabel(String dataset, String op) {
    return new SynthweaveException(
        "The op '"
            + op
            + "' of dataset '"
            + dataset
            + "' works within classes, but the dataset has no label column. Set augment.dataset."
            + dataset
            + ".label to the class column (e.g. churn, Status, cultivar).");
  }

  public static SynthweaveException wrongKind(
      String dataset, String op, String kind, String opKind) {
    return new SynthweaveException(
        "The op '"
            + op
            + "' is a "
            + opKind
            + " op, but dataset '"
            + dataset
            + "' is of kind "
            + kind
            + ". Use ops of its kind, or set augment.dataset."
            + dataset
            + ".kind.");
  }

  public static SynthweaveException unknownDataset(String dataset, Collection<String> known) {
    return new SynthweaveException(
        "There is no augmentation dataset '"
            + dataset
            + "': configured ones are "
            + (known.isEmpty() ? "(none)" : String.join(", ", known))
            + ". Declare it under augment.dataset."
            + dataset
            + " {source, kind, ops, ...} in the config file.");
  }

  public static SynthweaveException thesaurusMissing(String path) {
    return new SynthweaveException(
        "The text ops need WordNet's data files (data.noun, data.verb, data.adj, data.adv), but "
            + path
            + " does not hold them. Run data/scripts/text/fetch-wordnet.sh (it takes them from"
            + " Debian's wordnet-base package), or set augment.wordnet-dir.");
  }

  public static SynthweaveException thesaurusUnreadable(String file, long line, String why) {
    return new SynthweaveException(
        "Cannot read the WordNet file "
            + file
            + " at line "
            + line
            + ": "
            + why
            + ". The file may be damaged; delete the folder and run"
            + " data/scripts/text/fetch-wordnet.sh again.");
  }
}
