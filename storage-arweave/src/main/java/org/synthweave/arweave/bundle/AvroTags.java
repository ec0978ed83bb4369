package org.synthweave.arweave.bundle;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.synthweave.arweave.ArweaveErrors;
import org.synthweave.arweave.tx.Tag;

/**
 * The Avro encoding of data item tags (an array of {name: bytes, value: bytes} records) as
 * arbundles writes it: one block with a zig-zag count, then a terminating empty block; no tags at
 * all is zero bytes.
 */
public final class AvroTags {
  private AvroTags() {}

  public static byte[] encode(List<Tag> tags) {
    if (tags.isEmpty()) {
      return new byte[0];
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeLong(out, tags.size());
    for (Tag t : tags) {
      byte[] n = t.nameBytes();
      byte[] v = t.valueBytes();
      writeLong(out, n.length);
      out.write(n, 0, n.length);
      writeLong(out, v.length);
      out.write(v, 0, v.length);
    }
    out.write(0);
    return out.toByteArray();
  }

  public static List<Tag> decode(byte[] avro) {
    List<Tag> tags = new ArrayList<>();
    if (avro.length == 0) {
      return tags;
    }
    int[] pos = {0};
    while (true) {
      long count = readLong(avro, pos);
      if (count == 0) {
        break;
      }
      if (count < 0) {
        // A negative count is followed by the block's byte size, which we do not need.
        count = -count;
        readLong(avro, pos);
      }
      for (long i = 0; i < count; i++) {
        byte[] n = readBytes(avro, pos);
        byte[] v = readBytes(avro, pos);
        tags.add(Tag.ofBytes(n, v));
      }
    }
    if (pos[0] != avro.length) {
      throw ArweaveErrors.badDataItem(
          "tag block has " + (avro.length - pos[0]) + " trailing bytes");
    }
    return tags;
  }

  private static void writeLong(ByteArrayOutputStream out, long v) {
    long z = (v << 1) ^ (v >> 63);
    while ((z & ~0x7FL) != 0) {
      out.write((int) ((z & 0x7F) | 0x80));
      z >>>= 7;
    }
    out.write((int) z);
  }

  private static long readLong(byte[] b, int[] pos) {
    long z = 0;
    int shift = 0;
    while (true) {
      if (pos[0] >= b.length || shift > 63) {
        throw ArweaveErrors.badDataItem("tag block ends inside a varint");
      }
      int x = b[pos[0]++] & 0xff;
      z |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        break;
      }
      shift += 7;
    }
    return (z >>> 1) ^ -(z & 1);
  }

  private static byte[] readBytes(byte[] b, int[] pos) {
    long len = readLong(b, pos);
    if (len < 0 || pos[0] + len > b.length) {
      throw ArweaveErrors.badDataItem("tag length " + len + " runs past the tag block");
    }
    byte[] out = new byte[(int) len];
    System.arraycopy(b, pos[0], out, 0, out.length);
    pos[0] += out.length;
    return out;
  }
}
