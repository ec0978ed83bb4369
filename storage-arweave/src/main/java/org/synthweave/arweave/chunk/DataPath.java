package org.synthweave.arweave.chunk;

import java.security.MessageDigest;
import java.util.Arrays;
import org.synthweave.arweave.ArweaveErrors;
import org.synthweave.arweave.crypto.Bytes;
import org.synthweave.arweave.crypto.Hashes;

/**
 * Validation of {@code data_path} proofs, as a node does it when it receives a chunk: walk from the
 * root towards {@code offset}, checking each branch hash, then check the leaf and the chunk bytes.
 */
public final class DataPath {
  private static final int HASH = 32;

  /** The byte range [start, end) of data that a valid proof covers. */
  public record Range(long start, long end) {}

  private DataPath() {}

  /**
   * Validates that {@code chunk} is the chunk containing byte {@code offset} of the data committed
   * to by {@code dataRoot}, and returns its range. Throws {@code ArweaveException} naming the step
   * that failed.
   */
  public static Range validate(
      byte[] dataRoot, long dataSize, long offset, byte[] path, byte[] chunk) {
    if (dataRoot == null || dataRoot.length != HASH) {
      throw new IllegalArgumentException("dataRoot must be 32 bytes");
    }
    if (path == null || chunk == null) {
      throw new IllegalArgumentException("path and chunk must not be null");
    }
    if (dataSize <= 0 || offset < 0 || offset >= dataSize) {
      throw ArweaveErrors.invalidProof(offset, "offset outside [0, data_size=" + dataSize + ")");
    }
    if ((path.length - 2 * HASH) % (3 * HASH) != 0 || path.length < 2 * HASH) {
      throw ArweaveErrors.invalidProof(offset, "proof length " + path.length + " is malformed");
    }
    byte[] expected = dataRoot;
    long left = 0;
    long right = dataSize;
    int pos = 0;
    while (path.length - pos > 2 * HASH) {
      byte[] l = Arrays.copyOfRange(path, pos, pos + HASH);
      byte[] r = Arrays.copyOfRange(path, pos + HASH, pos + 2 * HASH);
      byte[] note = Arrays.copyOfRange(path, pos + 2 * HASH, pos + 3 * HASH);
      byte[] id = Hashes.sha256(Hashes.sha256(l), Hashes.sha256(r), Hashes.sha256(note));
      if (!MessageDigest.isEqual(id, expected)) {
        throw ArweaveErrors.invalidProof(offset, "branch hash mismatch at proof byte " + pos);
      }
      long split = Bytes.readNote(note, 0);
      if (offset < split) {
        expected = l;
        right = Math.min(right, split);
      } else {
        expected = r;
        left = Math.max(left, split);
      }
      pos += 3 * HASH;
    }
    byte[] dataHash = Arrays.copyOfRange(path, pos, pos + HASH);
    byte[] endNote = Arrays.copyOfRange(path, pos + HASH, pos + 2 * HASH);
    byte[] leafId = Hashes.sha256(Hashes.sha256(dataHash), Hashes.sha256(endNote));
    if (!MessageDigest.isEqual(leafId, expected)) {
      throw ArweaveErrors.invalidProof(offset, "leaf hash mismatch");
    }
    long end = Bytes.readNote(endNote, 0);
    if (end != right || end <= left) {
      throw ArweaveErrors.invalidProof(
          offset,
          "leaf end " + end + " does not match the branch bounds [" + left + ", " + right + ")");
    }
    if (chunk.length != end - left) {
      throw ArweaveErrors.invalidProof(
          offset, "chunk is " + chunk.length + " bytes but the proof covers " + (end - left));
    }
    if (!MessageDigest.isEqual(Hashes.sha256(chunk), dataHash)) {
      throw ArweaveErrors.invalidProof(offset, "chunk bytes do not hash to the proven data hash");
    }
    return new Range(left, end);
  }
}
