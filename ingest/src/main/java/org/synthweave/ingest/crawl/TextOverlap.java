package org.synthweave.ingest.crawl;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How much of a gold main text an extraction holds, as bag-of-tokens precision, recall and F1: the
 * measure of main-text extraction benchmarks (CleanEval without its alignment; trafilatura's and
 * the article-extraction benchmarks' token scores). A token is a maximal run of Unicode letters,
 * digits and combining marks, after NFC and lower-casing (root locale), so punctuation, spacing and
 * case do not count. Tokens are matched as multisets: a word extracted three times where the gold
 * has it once counts once as correct and twice as noise.
 *
 * @param predicted tokens in the extraction
 * @param gold tokens in the gold text
 * @param common tokens in both, counted with multiplicity (the size of the multiset intersection)
 */
public record TextOverlap(int predicted, int gold, int common) {
  public TextOverlap {
    if (predicted < 0 || gold < 0 || common < 0 || common > Math.min(predicted, gold)) {
      throw new IllegalArgumentException(
          "need 0 <= common <= min(predicted, gold), got predicted="
              + predicted
              + ", gold="
              + gold
              + ", common="
              + common);
    }
  }

  /** The overlap of {@code extracted} with {@code gold} (both plain text). */
  public static TextOverlap of(String extracted, String gold) {
    if (extracted == null || gold == null) {
      throw new IllegalArgumentException("extracted and gold must not be null");
    }
    List<String> ours = tokens(extracted);
    List<String> theirs = tokens(gold);
    Map<String, Integer> counts = new HashMap<>();
    for (String t : theirs) {
      counts.merge(t, 1, Integer::sum);
    }
    int common = 0;
    for (String t : ours) {
      Integer left = counts.get(t);
      if (left != null && left > 0) {
        counts.put(t, left - 1);
        common++;
      }
    }
    return new TextOverlap(ours.size(), theirs.size(), common);
  }

  /** The tokens of {@code text}, in order. */
  public static List<String> tokens(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      boolean word = Character.isLetterOrDigit(cp) || isMark(cp);
      if (word && start < 0) {
        start = i;
      } else if (!word && start >= 0) {
        out.add(s.substring(start, i));
        start = -1;
      }
      i += Character.charCount(cp);
    }
    if (start >= 0) {
      out.add(s.substring(start));
    }
    return out;
  }

  private static boolean isMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  /** Share of extracted tokens that are gold; 1 for an empty extraction of an empty gold. */
  public double precision() {
    return predicted == 0 ? (gold == 0 ? 1 : 0) : (double) common / predicted;
  }

  /** Share of gold tokens extracted; 1 when the gold is empty. */
  public double recall() {
    return gold == 0 ? 1 : (double) common / gold;
  }

  /** Harmonic mean of precision and recall; 0 when both are 0. */
  public double f1() {
    double p = precision();
    double r = recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }
}
