package org.synthweave.vectors;

import java.util.function.IntPredicate;

/**
 * Brute-force k-NN with the same score function Lucene uses, for ground truth and recall. The
 * result of {@link #topK} is in order, best first; ties go to the lower index.
 */
public final class ExactSearch {
  private ExactSearch() {}

  /** Indices into {@code base} of the {@code k} best-scoring vectors among those {@code keep}s. */
  public static int[] topK(
      float[][] base, float[] query, int k, HnswParams.Similarity similarity, IntPredicate keep) {
    int[] best = new int[k];
    float[] score = new float[k];
    int found = 0;
    for (int i = 0; i < base.length; i++) {
      if (!keep.test(i)) {
        continue;
      }
      float s = similarity.lucene().compare(query, base[i]);
      if (found < k || s > score[found - 1]) {
        int j = Math.min(found, k - 1);
        while (j > 0 && score[j - 1] < s) {
          score[j] = score[j - 1];
          best[j] = best[j - 1];
          j--;
        }
        score[j] = s;
        best[j] = i;
        found = Math.min(k, found + 1);
      }
    }
    return found == k ? best : java.util.Arrays.copyOf(best, found);
  }

  /** Share of {@code exact}'s ids that {@code approximate} also returned. */
  public static double recall(String[] exact, java.util.Collection<String> approximate) {
    if (exact.length == 0) {
      return 1.0;
    }
    int hit = 0;
    for (String id : exact) {
      if (approximate.contains(id)) {
        hit++;
      }
    }
    return hit / (double) exact.length;
  }
}
