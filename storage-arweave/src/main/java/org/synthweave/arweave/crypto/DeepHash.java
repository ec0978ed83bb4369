package org.synthweave.arweave.crypto;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Arweave's deep hash (SHA-384 over a tree of blobs and lists), the message that transactions and
 * data items sign. Items are {@code byte[]} blobs or {@code List} of items.
 */
public final class DeepHash {
  private DeepHash() {}

  public static byte[] hash(Object item) {
    if (item instanceof byte[]) {
      byte[] blob = (byte[]) item;
      byte[] tag = ("blob" + blob.length).getBytes(StandardCharsets.US_ASCII);
      return Hashes.sha384(Hashes.sha384(tag), Hashes.sha384(blob));
    }
    if (item instanceof List) {
      List<?> list = (List<?>) item;
      byte[] acc = Hashes.sha384(("list" + list.size()).getBytes(StandardCharsets.US_ASCII));
      for (Object child : list) {
        acc = Hashes.sha384(acc, hash(child));
      }
      return acc;
    }
    throw new IllegalArgumentException(
        "deep hash items must be byte[] or List, got "
            + (item == null ? "null" : item.getClass().getName()));
  }
}
