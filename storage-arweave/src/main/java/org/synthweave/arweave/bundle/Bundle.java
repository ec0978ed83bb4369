package org.synthweave.arweave.bundle;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.synthweave.arweave.crypto.Bytes;
import org.synthweave.arweave.tx.Tag;

/**
 * The ANS-104 binary bundle: item count, then (length, id) per item, then the items. It is the data
 * of an ordinary transaction tagged with {@link #TAGS}.
 */
public final class Bundle {
  /** Tags that mark a transaction's data as an ANS-104 binary bundle. */
  public static final List<Tag> TAGS =
      List.of(Tag.of("Bundle-Format", "binary"), Tag.of("Bundle-Version", "2.0.0"));

  private Bundle() {}

  /** Lays out {@code items} as one bundle. */
  public static byte[] toBytes(List<DataItem> items) {
    if (items == null || items.isEmpty()) {
      throw new IllegalArgumentException("items must contain at least one data item");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(Bytes.littleEndian(items.size(), 32));
    for (DataItem item : items) {
      out.writeBytes(Bytes.littleEndian(item.length(), 32));
      out.writeBytes(item.idBytes());
    }
    for (DataItem item : items) {
      out.writeBytes(item.bytes());
    }
    return out.toByteArray();
  }
}
