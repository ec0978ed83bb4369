package org.synthweave.vectors;

import java.nio.file.Path;
import java.util.List;
import org.synthweave.core.CoreErrors;
import org.synthweave.core.SynthweaveException;

/** The one place where the vector store creates user-facing errors: what, why, how to fix. */
public final class VectorStoreErrors {
  private VectorStoreErrors() {}

  public static SynthweaveException unreadableShard(Path shard, Throwable cause) {
    return new SynthweaveException(
        "The index shard "
            + shard
            + " cannot be opened ("
            + cause.getClass().getSimpleName()
            + ": "
            + cause.getMessage()
            + "). The shard is damaged or was not written completely; rebuild the index with"
            + " `synthweave index --rebuild`.",
        cause);
  }

  public static SynthweaveException missingShard(Path index, String shard) {
    return new SynthweaveException(
        "The index "
            + index
            + " lists the shard "
            + shard
            + " in its "
            + IndexDescriptor.FILE
            + ", but the folder is missing. The index was copied incompletely or a shard was"
            + " deleted by hand; rebuild it with `synthweave index --rebuild`.");
  }

  public static SynthweaveException dimensionMismatch(int expected, int got) {
    return new SynthweaveException(
        "The query vector has "
            + got
            + " dimensions but the index holds "
            + expected
            + "-dimensional vectors. Embed the query with the model the index was built from (see"
            + " its descriptor).");
  }

  public static SynthweaveException modelMismatch(
      String index, String indexModel, String indexVersion, String queryModel, String queryVer) {
    return new SynthweaveException(
        "The index "
            + index
            + " holds vectors of "
            + indexModel
            + " version "
            + indexVersion
            + ", but the query was embedded with "
            + queryModel
            + " version "
            + queryVer
            + "; scores between the two mean nothing. Search with the index's model (set"
            + " embed.text.model and the passage window to match), or re-embed and rebuild the"
            + " index (`synthweave embed`, then `synthweave index`).");
  }

  public static SynthweaveException notFilterable(String index, String field, List<String> fields) {
    return new SynthweaveException(
        "The index "
            + index
            + " cannot filter on '"
            + field
            + "': it was built with the filterable fields "
            + fields
            + ". Filter on one of those, or add the field to the index and rebuild it.");
  }

  public static SynthweaveException noIndex(Path dir) {
    return new SynthweaveException(
        "There is no index in "
            + dir
            + " (no "
            + IndexDescriptor.FILE
            + "). Build one with `synthweave index` (after `synthweave embed`), or check the"
            + " --index name and the warehouse setting.");
  }

  public static SynthweaveException badDescriptor(String file, String why) {
    return new SynthweaveException(
        "The index descriptor "
            + file
            + " cannot be read ("
            + why
            + "). It was damaged or written by an incompatible version; rebuild the index with"
            + " `synthweave index --rebuild`.");
  }

  public static SynthweaveException badOption(String key, Object value, String why) {
    return CoreErrors.badOption(key, value, why);
  }

  public static SynthweaveException badIndexSettings(String why) {
    return new SynthweaveException(
        "The index.* settings are not usable: "
            + why
            + ". Fix them in the config file or pass --set index.<key>=<value>.");
  }

  public static SynthweaveException unknownIndex(String name, java.util.Collection<String> known) {
    return new SynthweaveException(
        "There is no index '"
            + name
            + "' to update: gold/embeddings has vectors for "
            + known
            + ". Pass one of those to --name, or leave --name out to update them all.");
  }

  public static SynthweaveException noEmbeddings(String table) {
    return new SynthweaveException(
        "There are no embeddings to index: "
            + table
            + " does not exist or is empty. Run `synthweave embed` first (after `synthweave"
            + " ingest`).");
  }
}
