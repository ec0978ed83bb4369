package org.synthweave.market;

import java.io.IOException;

/**
 * What a listing's publisher sent cannot be shown: a file whose bytes are not the ones the manifest
 * signed, an unsafe path, a file over the size limit, data that is not Parquet, a listing that does
 * not verify. Trying again does not help, unlike a plain {@link IOException} from {@link
 * ListingSource}, which means the gateway could not answer now. The message names the listing and
 * the file; it may quote publisher text (a path), so escape it like any listing text.
 */
public final class ListingDataException extends IOException {
  private static final long serialVersionUID = 1L;

  public ListingDataException(String message) {
    super(message);
  }

  public ListingDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
