package org.synthweave.vectors;

import java.nio.file.Path;
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
            + " `synthweave index`, or remove the shard from the index descriptor.",
        cause);
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
}
