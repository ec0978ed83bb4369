package org.synthweave.arweave.bundle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.synthweave.arweave.ArweaveErrors;
import org.synthweave.arweave.crypto.Base64Url;
import org.synthweave.arweave.crypto.Bytes;
import org.synthweave.arweave.crypto.DeepHash;
import org.synthweave.arweave.crypto.Hashes;
import org.synthweave.arweave.crypto.RsaPss;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.wallet.Wallet;

/**
 * A signed ANS-104 data item with an Arweave (RSA-4096, type 1) signature. The signed message
 * follows arbundles, which gateways use to verify: the signature type is included and the tags are
 * hashed as one Avro blob.
 */
public final class DataItem {
  /** Signature type of Arweave RSA-PSS keys. */
  public static final int SIGNATURE_TYPE_ARWEAVE = 1;

  /** Maximum number of tags on a data item. */
  public static final int MAX_TAGS = 128;

  /** Maximum tag name length in bytes. */
  public static final int MAX_TAG_NAME_BYTES = 1024;

  /** Maximum tag value length in bytes. */
  public static final int MAX_TAG_VALUE_BYTES = 3072;

  /** Maximum Avro tag block arbundles accepts. */
  public static final int MAX_TAG_BLOCK_BYTES = 4096;

  private static final int SIG = 512;
  private static final int OWNER = 512;

  private final byte[] raw;

  private DataItem(byte[] raw) {
    this.raw = raw;
  }

  /** Creates and signs an item without target or anchor. */
  public static DataItem sign(Wallet wallet, byte[] data, List<Tag> tags) {
    return sign(wallet, data, tags, new byte[0], new byte[0]);
  }

  /** Creates and signs an item; {@code target} and {@code anchor} are empty or exactly 32 bytes. */
  public static DataItem sign(
      Wallet wallet, byte[] data, List<Tag> tags, byte[] target, byte[] anchor) {
    if (wallet == null || data == null || tags == null || target == null || anchor == null) {
      throw new IllegalArgumentException("wallet, data, tags, target and anchor must not be null");
    }
    if (target.length != 0 && target.length != 32) {
      throw new IllegalArgumentException("target must be empty or 32 bytes, got " + target.length);
    }
    if (anchor.length != 0 && anchor.length != 32) {
      throw new IllegalArgumentException("anchor must be empty or 32 bytes, got " + anchor.length);
    }
    checkTags(tags);
    byte[] owner = wallet.owner();
    byte[] avro = AvroTags.encode(tags);
    byte[] signature = wallet.sign(signatureData(owner, target, anchor, avro, data));
    ByteArrayOutputStream out = new ByteArrayOutputStream(1100 + avro.length + data.length);
    out.writeBytes(Bytes.littleEndian(SIGNATURE_TYPE_ARWEAVE, 2));
    out.writeBytes(signature);
    out.writeBytes(owner);
    out.writeBytes(afterOwner(target, anchor, tags.size(), avro, data));
    return new DataItem(out.toByteArray());
  }

  /** Parses and verifies a binary data item. */
  public static DataItem parse(byte[] bytes) {
    DataItem item = new DataItem(bytes.clone());
    item.layout(); // checks the structure
    if (!item.verify()) {
      throw ArweaveErrors.badDataItem("signature does not verify");
    }
    return item;
  }

  /** The bytes that follow the owner: target, anchor, tag count and length, tags, data. */
  static byte[] afterOwner(byte[] target, byte[] anchor, int tagCount, byte[] avro, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(target.length == 0 ? 0 : 1);
    out.writeBytes(target);
    out.write(anchor.length == 0 ? 0 : 1);
    out.writeBytes(anchor);
    out.writeBytes(Bytes.littleEndian(tagCount, 8));
    out.writeBytes(Bytes.littleEndian(avro.length, 8));
    out.writeBytes(avro);
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** The 48-byte deep hash a type-1 item signs (arbundles' layout). */
  public static byte[] signatureData(
      byte[] owner, byte[] target, byte[] anchor, byte[] avroTags, byte[] data) {
    return DeepHash.hash(
        List.of(
            "dataitem".getBytes(StandardCharsets.UTF_8),
            "1".getBytes(StandardCharsets.UTF_8),
            Integer.toString(SIGNATURE_TYPE_ARWEAVE).getBytes(StandardCharsets.UTF_8),
            owner,
            target,
            anchor,
            avroTags,
            data));
  }

  static void checkTags(List<Tag> tags) {
    if (tags.size() > MAX_TAGS) {
      throw ArweaveErrors.badDataItem(
          tags.size() + " tags, but at most " + MAX_TAGS + " are allowed; merge tags");
    }
    for (Tag t : tags) {
      int n = t.nameBytes().length;
      int v = t.valueBytes().length;
      if (n == 0 || n > MAX_TAG_NAME_BYTES || v == 0 || v > MAX_TAG_VALUE_BYTES) {
        throw ArweaveErrors.badDataItem(
            "tag \""
                + t.name()
                + "\" has a "
                + n
                + "-byte name and "
                + v
                + "-byte value; names must be 1.."
                + MAX_TAG_NAME_BYTES
                + " and values 1.."
                + MAX_TAG_VALUE_BYTES
                + " bytes");
      }
    }
    int block = AvroTags.encode(tags).length;
    if (block > MAX_TAG_BLOCK_BYTES) {
      throw ArweaveErrors.badDataItem(
          "tags encode to "
              + block
              + " bytes, over the "
              + MAX_TAG_BLOCK_BYTES
              + " gateways accept");
    }
  }

  /** The item id: base64url SHA-256 of the signature. */
  public String id() {
    return Base64Url.encode(idBytes());
  }

  byte[] idBytes() {
    return Hashes.sha256(Arrays.copyOfRange(raw, 2, 2 + SIG));
  }

  /** The binary item. */
  public byte[] bytes() {
    return raw.clone();
  }

  int length() {
    return raw.length;
  }

  public byte[] owner() {
    return Arrays.copyOfRange(raw, 2 + SIG, 2 + SIG + OWNER);
  }

  public List<Tag> tags() {
    int[] l = layout();
    return AvroTags.decode(Arrays.copyOfRange(raw, l[0], l[0] + l[1]));
  }

  public byte[] data() {
    int[] l = layout();
    return Arrays.copyOfRange(raw, l[0] + l[1], raw.length);
  }

  /** Checks the signature over the item's fields. */
  public boolean verify() {
    int[] l = layout();
    byte[] sigData =
        signatureData(
            owner(),
            Arrays.copyOfRange(raw, l[2], l[2] + l[3]),
            Arrays.copyOfRange(raw, l[4], l[4] + l[5]),
            Arrays.copyOfRange(raw, l[0], l[0] + l[1]),
            data());
    return RsaPss.verify(owner(), sigData, Arrays.copyOfRange(raw, 2, 2 + SIG));
  }

  /** {tagsStart, tagsLength, targetStart, targetLength, anchorStart, anchorLength}. */
  private int[] layout() {
    int pos = 2 + SIG + OWNER;
    if (raw.length < pos + 2 + 16 || Bytes.readLittleEndian(raw, 0, 2) != SIGNATURE_TYPE_ARWEAVE) {
      throw ArweaveErrors.badDataItem("not an Arweave-signed (type 1) item or too short");
    }
    int targetStart = pos + 1;
    int targetLen = raw[pos] == 1 ? 32 : 0;
    pos = targetStart + targetLen;
    int anchorStart = pos + 1;
    int anchorLen = raw[pos] == 1 ? 32 : 0;
    pos = anchorStart + anchorLen;
    long tagBytes = Bytes.readLittleEndian(raw, pos + 8, 8);
    pos += 16;
    if (pos + tagBytes > raw.length) {
      throw ArweaveErrors.badDataItem("tag block runs past the end of the item");
    }
    return new int[] {pos, (int) tagBytes, targetStart, targetLen, anchorStart, anchorLen};
  }
}
