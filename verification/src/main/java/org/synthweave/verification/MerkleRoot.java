package org.synthweave.verification;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.synthweave.core.ContentIds;

/**
 * The Merkle root over a dataset's files, so that one hash commits to every file and a single file
 * can later be proved with a short path.
 *
 * <p>Definition (fixed; changing it breaks every published manifest): the leaves are the files'
 * SHA-256 digests in manifest order (sorted by path); a leaf hashes to {@code SHA256(0x00 ‖
 * fileSha256)}, an inner node to {@code SHA256(0x01 ‖ left ‖ right)}. Levels are built pairwise
 * from the left; an odd node at the end of a level is promoted unchanged to the next level. The
 * distinct leaf and node prefixes keep a leaf from being passed off as a node (second-preimage
 * attack). The root of no files is {@code SHA256("")}.
 */
public final class MerkleRoot {
  private static final byte LEAF = 0x00;
  private static final byte NODE = 0x01;

  private MerkleRoot() {}

  /** The root over {@code fileHashes} (each a 32-byte SHA-256), in the given order. */
  public static byte[] of(List<byte[]> fileHashes) {
    if (fileHashes == null) {
      throw new IllegalArgumentException("fileHashes must not be null");
    }
    if (fileHashes.isEmpty()) {
      return ContentIds.sha256().digest();
    }
    List<byte[]> level = new ArrayList<>(fileHashes.size());
    for (int i = 0; i < fileHashes.size(); i++) {
      byte[] h = fileHashes.get(i);
      if (h == null || h.length != 32) {
        throw new IllegalArgumentException(
            "fileHashes["
                + i
                + "] must be a 32-byte SHA-256, got "
                + (h == null ? null : h.length));
      }
      level.add(hash(LEAF, h, null));
    }
    while (level.size() > 1) {
      List<byte[]> next = new ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i + 1 < level.size(); i += 2) {
        next.add(hash(NODE, level.get(i), level.get(i + 1)));
      }
      if (level.size() % 2 == 1) {
        next.add(level.get(level.size() - 1));
      }
      level = next;
    }
    return level.get(0);
  }

  /** The root over lower-case hex SHA-256 strings, as hex. */
  public static String ofHex(List<String> fileSha256Hex) {
    if (fileSha256Hex == null) {
      throw new IllegalArgumentException("fileSha256Hex must not be null");
    }
    HexFormat hex = HexFormat.of();
    List<byte[]> hashes = new ArrayList<>(fileSha256Hex.size());
    for (String h : fileSha256Hex) {
      hashes.add(hex.parseHex(h));
    }
    return hex.formatHex(of(hashes));
  }

  private static byte[] hash(byte prefix, byte[] a, byte[] b) {
    MessageDigest md = ContentIds.sha256();
    md.update(prefix);
    md.update(a);
    if (b != null) {
      md.update(b);
    }
    return md.digest();
  }
}
