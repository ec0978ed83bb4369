package org.synthweave.synthesis;

import java.util.Collection;
import org.synthweave.core.CoreErrors;
import org.synthweave.core.SynthweaveException;

/**
 * The one place where the synthesis stage creates user-facing errors: each says what went wrong,
 * why, and how to fix it; failures of PyTorch carry the step and model they happened in.
 */
public final class SynthesisErrors {
  private SynthesisErrors() {}

  public static SynthweaveException badOption(String key, Object value, String why) {
    return CoreErrors.badOption(key, value, why);
  }

  public static SynthweaveException badRelation(
      String table, org.synthweave.synthesis.data.Relation relation, String why) {
    return new SynthweaveException(
        "The relation '"
            + relation
            + "' (synth.relations) does not fit "
            + table
            + ": "
            + why
            + ". A relation names numeric, modelled columns: 'target = factor * factor'.");
  }

  public static SynthweaveException unknownSynthesizer(String name) {
    return new SynthweaveException(
        "Unknown synthesizer '"
            + name
            + "'. synthweave ships 'auto' (trains the candidates of synth.auto.candidates and"
            + " keeps the best on held-out rows), 'ctgan' (the GAN of Xu et al. 2019), 'tvae' (the"
            + " variational autoencoder of the same paper) and 'copula' (a Gaussian copula"
            + " baseline); set synth.synthesizer or pass --synthesizer with one of them.");
  }

  public static SynthweaveException badTarget(String table, String target, String why) {
    return new SynthweaveException(
        "The target '"
            + target
            + "' of "
            + table
            + " cannot be used: "
            + why
            + ". Name a categorical label column with --target or synth.table.<name>.target, or"
            + " leave the target empty.");
  }

  public static SynthweaveException unsupportedColumn(String column, String type) {
    return new SynthweaveException(
        "Column '"
            + column
            + "' has the type "
            + type
            + ", which the synthesizers cannot model: they take numbers, strings and booleans."
            + " Leave it out with synth.exclude-columns="
            + column
            + ", or cast it to a string or number when registering the table.");
  }

  public static SynthweaveException noColumns(String table) {
    return new SynthweaveException(
        "Table "
            + table
            + " has no column the synthesizers can model (after synth.exclude-columns and the"
            + " provenance columns are left out). Check the table's schema with `synthweave"
            + " config` and synth.exclude-columns.");
  }

  public static SynthweaveException tooFewRows(String table, long rows, int needed) {
    return new SynthweaveException(
        "Table "
            + table
            + " has "
            + rows
            + " rows, but training needs at least "
            + needed
            + " (one PacGAN group of synth.ctgan.pac rows per batch). Use a bigger table or the"
            + " copula synthesizer (--synthesizer copula).");
  }

  public static SynthweaveException allNull(String column) {
    return new SynthweaveException(
        "Column '"
            + column
            + "' holds only nulls, so there is no distribution to learn. Leave it out with"
            + " synth.exclude-columns="
            + column
            + ".");
  }

  public static SynthweaveException noSourceTable(String table, String path) {
    return new SynthweaveException(
        "The table "
            + table
            + " does not exist at "
            + path
            + ". Register it first, e.g. `synthweave ingest-table NAME data.csv`, or set"
            + " synth.tables to an existing silver table.");
  }

  public static SynthweaveException noModel(String path) {
    return new SynthweaveException(
        "There is no synthesis model at "
            + path
            + " (no model.json). Train one with `synthweave synthesize --table NAME`, or pass the"
            + " folder printed by a training run to --model.");
  }

  public static SynthweaveException badModelFile(String path, String why, Throwable cause) {
    return new SynthweaveException(
        "The synthesis model at "
            + path
            + " cannot be read: "
            + why
            + ". It may be damaged or written by another version of synthweave; train it again"
            + " with `synthweave synthesize --table NAME --retrain`.",
        cause);
  }

  public static SynthweaveException schemaMismatch(String model, String table, String why) {
    return new SynthweaveException(
        "The model "
            + model
            + " was trained on a table of another schema than "
            + table
            + ": "
            + why
            + ". A model only serves tables with the columns and types it was trained on; train a"
            + " new model for this table with `synthweave synthesize --table NAME --retrain`.");
  }

  public static SynthweaveException badCondition(String condition, String why) {
    return new SynthweaveException(
        "The condition '"
            + condition
            + "' cannot be used: "
            + why
            + ". Conditions take the form column=value on a categorical column, with a value seen"
            + " in training.");
  }

  public static SynthweaveException unknownConditionValue(
      String column, String value, Collection<String> known) {
    String list = String.join(", ", known.stream().limit(20).toList());
    return new SynthweaveException(
        "The condition "
            + column
            + "="
            + value
            + " names a value the model never saw in training. Known values of "
            + column
            + ": "
            + list
            + (known.size() > 20 ? ", ..." : "")
            + ".");
  }

  public static ConditionTooRareException conditionTooRare(
      String condition, long tries, long found) {
    return new ConditionTooRareException(
        "The synthesizer produced only "
            + found
            + " rows matching "
            + condition
            + " in "
            + tries
            + " draws: the condition is too rare for rejection sampling. Ask for fewer rows, or"
            + " train longer (ctgan, tvae) so that the model produces the value more often.");
  }

  public static SynthweaveException engine(String what, Throwable cause) {
    return new SynthweaveException(
        "PyTorch (through DJL) failed while "
            + what
            + ": "
            + cause.getMessage()
            + ". The PyTorch natives come from the pytorch-native-cpu jar on the classpath and"
            + " are unpacked to ~/.djl.ai; check that the jar is there (bin/synthweave adds it)"
            + " and that ~/.djl.ai is writable.",
        cause);
  }

  public static SynthweaveException diverged(String model, String when, String loss) {
    return new SynthweaveException(
        "Training of "
            + model
            + " diverged in "
            + when
            + " ("
            + loss
            + " is not a finite number). Lower synth.ctgan.generator-lr and"
            + " synth.ctgan.discriminator-lr or raise synth.ctgan.batch-size, then train again"
            + " with --retrain.");
  }

  public static SynthweaveException tvaeDiverged(String model, String when, String loss) {
    return new SynthweaveException(
        "Training of "
            + model
            + " diverged in "
            + when
            + " ("
            + loss
            + " is not a finite number). Lower synth.tvae.lr or raise synth.tvae.batch-size,"
            + " then train again with --retrain.");
  }

  public static SynthweaveException tooManyRowsForTvae(String table, long rows, long max) {
    return new SynthweaveException(
        "Table "
            + table
            + " has "
            + rows
            + " rows, more than synth.train.local-max-rows ("
            + max
            + "): TVAE trains on the driver only, with every row in memory. Raise"
            + " synth.train.local-max-rows if the driver has the memory, or use ctgan with"
            + " synth.train.partitions > 1 (data-parallel on the executors).");
  }

  public static SynthweaveException io(String what, String path, Throwable cause) {
    return new SynthweaveException(
        "Cannot " + what + " " + path + ": " + cause.getMessage() + ".", cause);
  }
}
