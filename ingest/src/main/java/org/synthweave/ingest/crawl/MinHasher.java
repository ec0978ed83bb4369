package org.synthweave.ingest.crawl;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * MinHash signatures over word shingles, for near-duplicate detection with LSH banding.
 *
 * <p>Words are maximal runs of Unicode letters and digits in the lower-cased (root locale) text;
 * shingles are {@code k} consecutive words joined by one space (a text with fewer than {@code k}
 * words is one shingle, the empty text the empty shingle). Each word is hashed once to 64 bits
 * (FNV-1a over its UTF-8 bytes, then the MurmurHash3 {@code fmix64} finalizer) and a shingle's hash
 * {@code h} is {@code fmix64} folded over its words' hashes, so no shingle string is built. Hash
 * function {@code i} is the multiply-add-shift family {@code (a[i] * h + b[i]) >>> 32} (one
 * multiplication per hash, Dietzfelbinger's universal hashing), compared as unsigned 32-bit ints.
 * {@code a[i]} (forced odd) and {@code b[i]} are consecutive outputs of SplitMix64 started at
 * {@link #SEED}, so signatures are the same on every machine and release that keeps that constant.
 *
 * <p>With the defaults (128 hashes, 16 bands of 8 rows) two documents share at least one band key
 * with probability {@code 1 - (1 - J^8)^16}: about 0.95 at Jaccard 0.8, 0.06 at 0.5; the S-curve's
 * midpoint is {@code (1/16)^(1/8) ≈ 0.71}. Candidates are then confirmed with {@link
 * #estimatedJaccard(int[], int[])} ≥ {@link #DEFAULT_THRESHOLD}.
 *
 * <p>Immutable and thread-safe; Serializable for Spark closures.
 */
public final class MinHasher implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Words per shingle: 5 keeps single common phrases from matching unrelated texts. */
  public static final int DEFAULT_SHINGLE_WORDS = 5;

  /** Signature length; the standard error of the Jaccard estimate is about 0.04 at 128. */
  public static final int DEFAULT_NUM_HASHES = 128;

  /** LSH bands; with 128 hashes that is 8 rows per band. */
  public static final int DEFAULT_BANDS = 16;

  /** Estimated Jaccard similarity from which two documents count as near-duplicates. */
  public static final double DEFAULT_THRESHOLD = 0.8;

  /** Start of the SplitMix64 sequence that gives the per-hash seeds; never change it. */
  public static final long SEED = 0x5EED_5EED_2026_1125L;

  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  private final int shingleWords;
  private final long[] mult;
  private final long[] add;

  /** The default hasher: {@value #DEFAULT_SHINGLE_WORDS}-word shingles, 128 hashes. */
  public MinHasher() {
    this(DEFAULT_SHINGLE_WORDS, DEFAULT_NUM_HASHES);
  }

  public MinHasher(int shingleWords, int numHashes) {
    if (shingleWords < 1) {
      throw new IllegalArgumentException("shingleWords must be >= 1, got " + shingleWords);
    }
    if (numHashes < 1) {
      throw new IllegalArgumentException("numHashes must be >= 1, got " + numHashes);
    }
    this.shingleWords = shingleWords;
    this.mult = new long[numHashes];
    this.add = new long[numHashes];
    long state = SEED;
    for (int i = 0; i < numHashes; i++) {
      state += 0x9E3779B97F4A7C15L;
      mult[i] = splitMix(state) | 1L;
      state += 0x9E3779B97F4A7C15L;
      add[i] = splitMix(state);
    }
  }

  public int shingleWords() {
    return shingleWords;
  }

  public int numHashes() {
    return mult.length;
  }

  /** The MinHash signature of {@code text}: {@link #numHashes()} unsigned 32-bit minima. */
  public int[] signature(String text) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    String[] words = words(text);
    long[] wordHashes = new long[words.length];
    for (int w = 0; w < words.length; w++) {
      wordHashes[w] = fmix64(fnv1a64(words[w].getBytes(StandardCharsets.UTF_8)));
    }
    int n = mult.length;
    int[] sig = new int[n];
    java.util.Arrays.fill(sig, -1); // 0xFFFFFFFF, the unsigned maximum
    int shingles = words.length <= shingleWords ? 1 : words.length - shingleWords + 1;
    for (int s = 0; s < shingles; s++) {
      int end = Math.min(words.length, s + shingleWords);
      long h = 0x9E3779B97F4A7C15L;
      for (int w = s; w < end; w++) {
        h = fmix64(h ^ wordHashes[w]);
      }
      for (int i = 0; i < n; i++) {
        // Unsigned compare via the sign-bit flip, which the JIT turns into a plain int compare.
        int v = (int) ((mult[i] * h + add[i]) >>> 32);
        if ((v ^ Integer.MIN_VALUE) < (sig[i] ^ Integer.MIN_VALUE)) {
          sig[i] = v;
        }
      }
    }
    return sig;
  }

  /** Fraction of positions where the two signatures agree: an estimate of their Jaccard. */
  public static double estimatedJaccard(int[] a, int[] b) {
    if (a == null || b == null) {
      throw new IllegalArgumentException("signatures must not be null");
    }
    if (a.length != b.length || a.length == 0) {
      throw new IllegalArgumentException(
          "signatures must have the same non-zero length, got " + a.length + " and " + b.length);
    }
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i]) {
        same++;
      }
    }
    return (double) same / a.length;
  }

  /**
   * One LSH key per band: a 64-bit hash of the band's rows with the band index mixed in, so equal
   * row values in different bands never collide. Documents sharing any key are candidates. (The
   * Spark job bands the same way in SQL, {@code xxhash64(band, slice(minhash, ...))}, so that no
   * UDF is needed; its key values differ from these, its candidate pairs do not.)
   *
   * @throws IllegalArgumentException unless {@code bands} divides the signature length
   */
  public static long[] bandKeys(int[] signature, int bands) {
    if (signature == null) {
      throw new IllegalArgumentException("signature must not be null");
    }
    if (bands < 1 || signature.length % bands != 0) {
      throw new IllegalArgumentException(
          "bands must divide the signature length " + signature.length + ", got " + bands);
    }
    int rows = signature.length / bands;
    long[] keys = new long[bands];
    for (int b = 0; b < bands; b++) {
      long h = fmix64(0x9E3779B97F4A7C15L * (b + 1));
      for (int r = 0; r < rows; r++) {
        h = fmix64(h ^ (signature[b * rows + r] & 0xFFFFFFFFL));
      }
      keys[b] = h;
    }
    return keys;
  }

  /** {@link #bandKeys(int[], int)} with {@link #DEFAULT_BANDS}. */
  public static long[] bandKeys(int[] signature) {
    return bandKeys(signature, DEFAULT_BANDS);
  }

  private static String[] words(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    String[] parts = NON_WORD.split(lower);
    int start = parts.length > 0 && parts[0].isEmpty() ? 1 : 0;
    return java.util.Arrays.copyOfRange(parts, start, parts.length);
  }

  private static long fnv1a64(byte[] bytes) {
    long h = 0xcbf29ce484222325L;
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** MurmurHash3's 64-bit finalizer: every input bit affects every output bit. */
  static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  private static long splitMix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
