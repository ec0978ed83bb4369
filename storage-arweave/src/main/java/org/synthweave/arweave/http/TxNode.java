package org.synthweave.arweave.http;

import java.util.List;
import org.synthweave.arweave.tx.Tag;

/**
 * One transaction (or bundled data item) as GraphQL returns it.
 *
 * @param id transaction or data item id
 * @param ownerAddress the signer's address
 * @param tags tags, decoded to plain text
 * @param dataSize bytes of data
 * @param contentType the Content-Type tag, or null
 * @param blockHeight the including block's height, or -1 while pending
 * @param blockTimestamp the including block's time in seconds since the epoch, or -1 while pending
 * @param cursor the paging cursor of this edge
 */
public record TxNode(
    String id,
    String ownerAddress,
    List<Tag> tags,
    long dataSize,
    String contentType,
    long blockHeight,
    long blockTimestamp,
    String cursor) {

  /** The value of the first tag named {@code name}, or null. */
  public String tag(String name) {
    for (Tag t : tags) {
      if (t.name().equals(name)) {
        return t.value();
      }
    }
    return null;
  }
}
