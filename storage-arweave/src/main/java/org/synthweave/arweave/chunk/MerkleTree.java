package org.synthweave.arweave.chunk;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.synthweave.arweave.crypto.Bytes;
import org.synthweave.arweave.crypto.Hashes;

/**
 * The chunk merkle tree of a transaction's data, as arweave-js {@code merkle.ts} builds it. Only
 * hashes are kept (about 100 bytes per 256 KiB chunk), so {@link #build(DataSource)} reads the data
 * once and the uploader reads each chunk again when it sends it.
 *
 * <p>When the data length is a positive multiple of {@link #MAX_CHUNK_SIZE}, the tree ends with an
 * empty leaf. It is part of the root but is never uploaded; {@link #chunkCount()} excludes it.
 */
public final class MerkleTree {
  /** Largest chunk. */
  public static final int MAX_CHUNK_SIZE = 256 * 1024;

  /** Smallest chunk that may follow a full one; a smaller tail is split with its predecessor. */
  public static final int MIN_CHUNK_SIZE = 32 * 1024;

  private static final int HASH = 32;

  private final long dataSize;
  private final long[] leafEnds;
  private final byte[] dataHashes;
  // layers.get(0) are the leaves; the last layer holds the root alone.
  private final List<byte[]> layerIds;
  private final List<long[]> layerMax;
  private final byte[] sha256;

  private MerkleTree(
      long dataSize,
      long[] leafEnds,
      byte[] dataHashes,
      List<byte[]> layerIds,
      List<long[]> layerMax,
      byte[] sha256) {
    this.dataSize = dataSize;
    this.leafEnds = leafEnds;
    this.dataHashes = dataHashes;
    this.layerIds = layerIds;
    this.layerMax = layerMax;
    this.sha256 = sha256;
  }

  /**
   * The exclusive end offsets of the chunks of {@code size} bytes, including the trailing empty
   * leaf when there is one. Empty for size 0.
   */
  public static long[] chunkEnds(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, got " + size);
    }
    if (size == 0) {
      return new long[0];
    }
    long[] ends = new long[Math.toIntExact(size / (MIN_CHUNK_SIZE * 4L) + 2)];
    int n = 0;
    long cursor = 0;
    long rest = size;
    while (rest >= MAX_CHUNK_SIZE) {
      long chunk = MAX_CHUNK_SIZE;
      long next = rest - MAX_CHUNK_SIZE;
      if (next > 0 && next < MIN_CHUNK_SIZE) {
        chunk = (rest + 1) / 2;
      }
      cursor += chunk;
      rest -= chunk;
      ends[n++] = cursor;
    }
    ends[n++] = cursor + rest;
    return Arrays.copyOf(ends, n);
  }

  public static MerkleTree build(byte[] data) {
    try (DataSource src = DataSource.of(data)) {
      return build(src);
    } catch (IOException e) {
      throw new AssertionError("in-memory data cannot fail", e);
    }
  }

  /** Reads {@code source} once from start to end and builds the tree. */
  public static MerkleTree build(DataSource source) throws IOException {
    long size = source.size();
    long[] ends = chunkEnds(size);
    byte[] dataHashes = new byte[ends.length * HASH];
    byte[] leafIds = new byte[ends.length * HASH];
    MessageDigest whole = Hashes.sha256();
    MessageDigest chunkDigest = Hashes.sha256();
    byte[] buf = new byte[MAX_CHUNK_SIZE];
    long start = 0;
    for (int i = 0; i < ends.length; i++) {
      int len = (int) (ends[i] - start);
      byte[] view = len == buf.length ? buf : new byte[len];
      source.readFully(start, view);
      whole.update(view);
      chunkDigest.update(view);
      byte[] dataHash = chunkDigest.digest();
      System.arraycopy(dataHash, 0, dataHashes, i * HASH, HASH);
      byte[] id = Hashes.sha256(Hashes.sha256(dataHash), Hashes.sha256(Bytes.note(ends[i])));
      System.arraycopy(id, 0, leafIds, i * HASH, HASH);
      start = ends[i];
    }
    List<byte[]> ids = new ArrayList<>();
    List<long[]> max = new ArrayList<>();
    ids.add(leafIds);
    max.add(ends);
    while (max.get(max.size() - 1).length > 1) {
      byte[] lowerIds = ids.get(ids.size() - 1);
      long[] lowerMax = max.get(max.size() - 1);
      int n = (lowerMax.length + 1) / 2;
      byte[] upperIds = new byte[n * HASH];
      long[] upperMax = new long[n];
      for (int j = 0; j < n; j++) {
        int left = 2 * j;
        int right = left + 1;
        if (right >= lowerMax.length) {
          // An odd last node moves up unchanged; it is not paired with itself.
          System.arraycopy(lowerIds, left * HASH, upperIds, j * HASH, HASH);
          upperMax[j] = lowerMax[left];
          continue;
        }
        byte[] id =
            Hashes.sha256(
                Hashes.sha256(Arrays.copyOfRange(lowerIds, left * HASH, left * HASH + HASH)),
                Hashes.sha256(Arrays.copyOfRange(lowerIds, right * HASH, right * HASH + HASH)),
                Hashes.sha256(Bytes.note(lowerMax[left])));
        System.arraycopy(id, 0, upperIds, j * HASH, HASH);
        upperMax[j] = lowerMax[right];
      }
      ids.add(upperIds);
      max.add(upperMax);
    }
    return new MerkleTree(size, ends, dataHashes, ids, max, whole.digest());
  }

  public long dataSize() {
    return dataSize;
  }

  /** The 32-byte root, or an empty array for empty data (which has no data_root). */
  public byte[] dataRoot() {
    if (leafEnds.length == 0) {
      return new byte[0];
    }
    return layerIds.get(layerIds.size() - 1).clone();
  }

  /** SHA-256 of the whole data, computed in the same pass, for end-to-end download checks. */
  public byte[] sha256() {
    return sha256.clone();
  }

  /** Number of chunks to upload (the hidden empty leaf is not counted). */
  public int chunkCount() {
    int n = leafEnds.length;
    if (n > 0 && chunkStart(n - 1) == leafEnds[n - 1]) {
      return n - 1;
    }
    return n;
  }

  public long chunkStart(int index) {
    return index == 0 ? 0 : leafEnds[index - 1];
  }

  /** Exclusive end offset of chunk {@code index}. */
  public long chunkEnd(int index) {
    return leafEnds[index];
  }

  public int chunkLength(int index) {
    return (int) (chunkEnd(index) - chunkStart(index));
  }

  /** SHA-256 of chunk {@code index}. */
  public byte[] dataHash(int index) {
    return Arrays.copyOfRange(dataHashes, index * HASH, index * HASH + HASH);
  }

  /** The proof for chunk {@code index}: branches from the root down, then the leaf. */
  public byte[] dataPath(int index) {
    if (index < 0 || index >= chunkCount()) {
      throw new IllegalArgumentException(
          "index must be in [0, " + chunkCount() + "), got " + index);
    }
    List<byte[]> branches = new ArrayList<>();
    for (int level = 0; level < layerIds.size() - 1; level++) {
      int j = index >> level;
      int left = j & ~1;
      int right = left + 1;
      long[] maxes = layerMax.get(level);
      if (right >= maxes.length) {
        continue; // promoted unchanged: no branch at this level
      }
      byte[] ids = layerIds.get(level);
      byte[] branch = new byte[3 * HASH];
      System.arraycopy(ids, left * HASH, branch, 0, HASH);
      System.arraycopy(ids, right * HASH, branch, HASH, HASH);
      System.arraycopy(Bytes.note(maxes[left]), 0, branch, 2 * HASH, HASH);
      branches.add(branch);
    }
    byte[] path = new byte[branches.size() * 3 * HASH + 2 * HASH];
    int pos = 0;
    for (int b = branches.size() - 1; b >= 0; b--) {
      System.arraycopy(branches.get(b), 0, path, pos, 3 * HASH);
      pos += 3 * HASH;
    }
    System.arraycopy(dataHashes, index * HASH, path, pos, HASH);
    System.arraycopy(Bytes.note(leafEnds[index]), 0, path, pos + HASH, HASH);
    return path;
  }
}
