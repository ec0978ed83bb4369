package org.synthweave.arweave.tx;

import org.synthweave.arweave.ArweaveErrors;

/**
 * Mainnet limits from {@code ar_tx.erl} and {@code ar.hrl}. arlocal accepts transactions that break
 * them, so the client checks them before posting to fail the same way mainnet would.
 */
public final class TxLimits {
  /** Maximum total bytes of all tag names and values together. */
  public static final int MAX_TAG_BYTES = 2048;

  /** Maximum number of tags. */
  public static final int MAX_TAGS = 2048;

  /** Maximum owner length (the modulus of a 4096-bit key). */
  public static final int MAX_OWNER_BYTES = 512;

  /** Maximum anchor length (a block hash). */
  public static final int MAX_LAST_TX_BYTES = 48;

  /** Maximum data_root length. */
  public static final int MAX_DATA_ROOT_BYTES = 32;

  /** Length of a target address when present. */
  public static final int TARGET_BYTES = 32;

  /** Maximum HTTP POST body a node accepts (15 MiB). */
  public static final int MAX_BODY_BYTES = 15 * 1024 * 1024;

  private TxLimits() {}

  /** Checks the header fields and the JSON body size of {@code tx}. */
  public static void check(Transaction tx, long bodyBytes) {
    checkTags(tx.tags());
    checkField("owner", tx.ownerBytes().length, MAX_OWNER_BYTES);
    checkField("last_tx", tx.lastTxBytes().length, MAX_LAST_TX_BYTES);
    checkField("data_root", tx.dataRootBytes().length, MAX_DATA_ROOT_BYTES);
    int target = tx.targetBytes().length;
    if (target != 0 && target != TARGET_BYTES) {
      throw ArweaveErrors.fieldTooLong("target", target, TARGET_BYTES);
    }
    if (bodyBytes > MAX_BODY_BYTES) {
      throw ArweaveErrors.bodyTooLarge(bodyBytes, MAX_BODY_BYTES);
    }
  }

  /**
   * Checks the tag count and the total bytes of the names and values of {@code tags}, so that a
   * caller can refuse a tag set before it uploads anything; returns the total bytes.
   */
  public static int checkTags(java.util.List<Tag> tags) {
    if (tags == null) {
      throw new IllegalArgumentException("tags must not be null");
    }
    int tagBytes = 0;
    for (Tag t : tags) {
      tagBytes += t.byteLength();
    }
    if (tags.size() > MAX_TAGS) {
      throw ArweaveErrors.tooManyTags(tags.size(), MAX_TAGS);
    }
    if (tagBytes > MAX_TAG_BYTES) {
      throw ArweaveErrors.tagBytesTooLarge(tagBytes, MAX_TAG_BYTES);
    }
    return tagBytes;
  }

  private static void checkField(String field, int length, int max) {
    if (length > max) {
      throw ArweaveErrors.fieldTooLong(field, length, max);
    }
  }
}
