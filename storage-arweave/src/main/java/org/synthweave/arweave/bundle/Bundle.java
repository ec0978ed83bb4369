package org.synthweave.arweave.bundle;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.synthweave.arweave.ArweaveErrors;
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

  /**
   * Reads a bundle laid out by {@link #toBytes}: checks the header against the items (count,
   * lengths, ids) and every item's signature, and returns the items in order.
   */
  public static List<DataItem> parse(byte[] bundle) {
    if (bundle == null) {
      throw new IllegalArgumentException("bundle must not be null");
    }
    if (bundle.length < 32) {
      throw ArweaveErrors.badDataItem("a bundle of " + bundle.length + " bytes has no header");
    }
    try {
      long count = Bytes.readLittleEndian(bundle, 0, 32);
      if (count < 1 || 32 + count * 64 > bundle.length) {
        throw ArweaveErrors.badDataItem(
            "bundle header announces "
                + count
                + " items, which do not fit its "
                + bundle.length
                + " bytes");
      }
      List<DataItem> items = new ArrayList<>();
      long pos = 32 + count * 64;
      for (int i = 0; i < count; i++) {
        int entry = 32 + i * 64;
        long length = Bytes.readLittleEndian(bundle, entry, 32);
        if (length > bundle.length - pos) {
          throw ArweaveErrors.badDataItem(
              "bundle item " + i + " of " + length + " bytes runs past the end of the bundle");
        }
        DataItem item = DataItem.parse(Arrays.copyOfRange(bundle, (int) pos, (int) (pos + length)));
        if (!MessageDigest.isEqual(
            item.idBytes(), Arrays.copyOfRange(bundle, entry + 32, entry + 64))) {
          throw ArweaveErrors.badDataItem(
              "bundle item " + i + " has id " + item.id() + ", not the one in the bundle header");
        }
        items.add(item);
        pos += length;
      }
      if (pos != bundle.length) {
        throw ArweaveErrors.badDataItem(
            (bundle.length - pos) + " bytes follow the last item of the bundle");
      }
      return List.copyOf(items);
    } catch (IllegalArgumentException e) {
      throw ArweaveErrors.badDataItem("bundle field out of range: " + e.getMessage());
    }
  }
}
