package org.synthweave.augmentation;

import java.nio.charset.StandardCharsets;

/**
 * The seed of one op on one augmented row, for the ops written in Java (text, images): a pure
 * function of (run seed, source id, op index, copy), so it does not depend on partitioning. FNV-1a
 * over the id's UTF-8 bytes, then SplitMix64's finalizer over each part.
 */
public final class RowSeeds {
  private RowSeeds() {}

  public static long of(long seed, String sourceId, int op, int copy) {
    long h = 0xcbf29ce484222325L;
    for (byte b : sourceId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    long s = mix(seed);
    s = mix(s ^ h);
    s = mix(s ^ op);
    return mix(s ^ copy);
  }

  static long mix(long z) {
    z += 0x9e3779b97f4a7c15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
