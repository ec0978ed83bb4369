package org.synthweave.jobs;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeSet;

/**
 * How well a synthetic table keeps the real label's class shares: the share of the real rows'
 * rarest class (for a binary target, its minority class) among the real and among the synthetic
 * rows, and the largest gap between real and synthetic share over every class seen in either (for a
 * binary target the same as the gap of the rarest class). Rows without a label are left out of the
 * shares.
 *
 * @param rarestClass the class with the fewest real rows (ties: the first by name)
 * @param real its share of the real rows
 * @param synthetic its share of the synthetic rows
 * @param maxDiff max over classes of |real share − synthetic share|
 */
record LabelShare(String rarestClass, double real, double synthetic, double maxDiff) {

  /**
   * The shares from rows per class of the real and the synthetic table.
   *
   * @throws IllegalArgumentException when {@code real} holds no labelled row
   */
  static LabelShare of(Map<String, Long> real, Map<String, Long> synthetic) {
    long realTotal = total(real);
    if (realTotal == 0) {
      throw new IllegalArgumentException("real holds no labelled row: " + real);
    }
    long synTotal = total(synthetic);
    String rarest =
        real.entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .min(
                Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
                    .thenComparing(Map.Entry::getKey))
            .orElseThrow()
            .getKey();
    TreeSet<String> classes = new TreeSet<>(real.keySet());
    classes.addAll(synthetic.keySet());
    double maxDiff = 0;
    for (String c : classes) {
      maxDiff =
          Math.max(maxDiff, Math.abs(share(real, c, realTotal) - share(synthetic, c, synTotal)));
    }
    return new LabelShare(
        rarest, share(real, rarest, realTotal), share(synthetic, rarest, synTotal), maxDiff);
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  private static double share(Map<String, Long> counts, String c, long total) {
    return total == 0 ? 0 : (double) counts.getOrDefault(c, 0L) / total;
  }
}
