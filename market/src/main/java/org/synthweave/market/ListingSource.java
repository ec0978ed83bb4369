package org.synthweave.market;

import java.io.IOException;

/**
 * What the listing page, the preview API and {@code market show} need beyond the catalog row, read
 * from the gateway the listing was found on.
 */
public interface ListingSource {

  /** The listing's manifest, card, files and fidelity plots, read and checked now. */
  ListingDetail detail(Listing listing) throws IOException;

  /**
   * At most {@code maxRows} first rows of the listing's data, from a file whose hash matched the
   * signed manifest.
   */
  Preview preview(Listing listing, int maxRows) throws IOException;
}
