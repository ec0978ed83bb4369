package org.synthweave.notebook;

import org.synthweave.core.SynthweaveException;

/**
 * The one place where the notebook API creates user-facing errors; each says what went wrong, why,
 * and what to do. Errors the commands already describe (a table that does not exist, a bad filter)
 * come from their factories, so a notebook and the command line say the same.
 */
final class NotebookErrors {
  private NotebookErrors() {}

  static SynthweaveException unknownId(String index, String id) {
    return new SynthweaveException(
        "The index "
            + index
            + " holds no vector with the id '"
            + id
            + "'. Pass an id from a search result's id column; text passages have ids like"
            + " <document id>#<passage number>, table rows their row id.");
  }
}
