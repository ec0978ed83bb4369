package org.synthweave.augmentation.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * The EDA operations (Wei and Zou, 2019, "EDA: Easy Data Augmentation Techniques for Boosting
 * Performance on Text Classification Tasks") and sentence shuffling on whitespace-separated words.
 * Each call takes its own seeded {@link Random}, so a text's augmentation depends only on its seed.
 * Punctuation stays attached to its word; a replaced word keeps its leading capital and trailing
 * punctuation.
 */
public final class TextAugmenter {
  /** Common English function words, never replaced by a synonym (EDA's practice). */
  static final Set<String> STOP_WORDS =
      Set.of(
          "a",
          "about",
          "above",
          "after",
          "again",
          "against",
          "all",
          "am",
          "an",
          "and",
          "any",
          "are",
          "as",
          "at",
          "be",
          "because",
          "been",
          "before",
          "being",
          "below",
          "between",
          "both",
          "but",
          "by",
          "can",
          "could",
          "did",
          "do",
          "does",
          "doing",
          "down",
          "during",
          "each",
          "few",
          "for",
          "from",
          "further",
          "had",
          "has",
          "have",
          "having",
          "he",
          "her",
          "here",
          "hers",
          "herself",
          "him",
          "himself",
          "his",
          "how",
          "i",
          "if",
          "in",
          "into",
          "is",
          "it",
          "its",
          "itself",
          "just",
          "me",
          "more",
          "most",
          "my",
          "myself",
          "no",
          "nor",
          "not",
          "now",
          "of",
          "off",
          "on",
          "once",
          "only",
          "or",
          "other",
          "our",
          "ours",
          "ourselves",
          "out",
          "over",
          "own",
          "same",
          "she",
          "should",
          "so",
          "some",
          "such",
          "than",
          "that",
          "the",
          "their",
          "theirs",
          "them",
          "themselves",
          "then",
          "there",
          "these",
          "they",
          "this",
          "those",
          "through",
          "to",
          "too",
          "under",
          "until",
          "up",
          "very",
          "was",
          "we",
          "were",
          "what",
          "when",
          "where",
          "which",
          "while",
          "who",
          "whom",
          "why",
          "will",
          "with",
          "would",
          "you",
          "your",
          "yours",
          "yourself",
          "yourselves");

  private final WordNetThesaurus thesaurus;

  public TextAugmenter(WordNetThesaurus thesaurus) {
    this.thesaurus = thesaurus;
  }

  /** Replaces max(1, p x words) distinct words that have synonyms by a random synonym each. */
  public String synonymReplace(String text, double p, Random rnd) {
    List<String> words = words(text);
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String core = core(words.get(i));
      if (!core.isEmpty() && !STOP_WORDS.contains(core) && thesaurus.synonyms(core).length > 0) {
        candidates.add(i);
      }
    }
    Collections.shuffle(candidates, rnd);
    int n = Math.min(candidates.size(), count(words.size(), p));
    for (int k = 0; k < n; k++) {
      int i = candidates.get(k);
      String[] syn = thesaurus.synonyms(core(words.get(i)));
      words.set(i, recase(words.get(i), syn[rnd.nextInt(syn.length)]));
    }
    return String.join(" ", words);
  }

  /** Inserts a synonym of a random word at a random position, max(1, p x words) times. */
  public String randomInsert(String text, double p, Random rnd) {
    List<String> words = words(text);
    int n = count(words.size(), p);
    for (int k = 0; k < n && !words.isEmpty(); k++) {
      // Try a few words for one with synonyms, as EDA does.
      for (int attempt = 0; attempt < 10; attempt++) {
        String core = core(words.get(rnd.nextInt(words.size())));
        String[] syn = core.isEmpty() ? new String[0] : thesaurus.synonyms(core);
        if (syn.length > 0) {
          words.add(rnd.nextInt(words.size() + 1), syn[rnd.nextInt(syn.length)]);
          break;
        }
      }
    }
    return String.join(" ", words);
  }

  /** Swaps two random words, max(1, p x words) times. */
  public String randomSwap(String text, double p, Random rnd) {
    List<String> words = words(text);
    if (words.size() < 2) {
      return String.join(" ", words);
    }
    int n = count(words.size(), p);
    for (int k = 0; k < n; k++) {
      int i = rnd.nextInt(words.size());
      int j = rnd.nextInt(words.size() - 1);
      if (j >= i) {
        j++;
      }
      Collections.swap(words, i, j);
    }
    return String.join(" ", words);
  }

  /** Deletes each word with probability p; a text never loses its last word. */
  public String randomDelete(String text, double p, Random rnd) {
    List<String> words = words(text);
    if (words.size() <= 1) {
      return String.join(" ", words);
    }
    List<String> kept = new ArrayList<>(words.size());
    for (String w : words) {
      if (rnd.nextDouble() >= p) {
        kept.add(w);
      }
    }
    if (kept.isEmpty()) {
      kept.add(words.get(rnd.nextInt(words.size())));
    }
    return String.join(" ", kept);
  }

  /** Shuffles the sentences (split after '.', '!' or '?' followed by whitespace). */
  public String sentenceShuffle(String text, Random rnd) {
    List<String> sentences = new ArrayList<>(Arrays.asList(text.trim().split("(?<=[.!?])\\s+")));
    Collections.shuffle(sentences, rnd);
    return String.join(" ", sentences);
  }

  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String w : text.trim().split("\\s+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  /** The word without surrounding punctuation, lower-cased. */
  static String core(String word) {
    int s = 0;
    int e = word.length();
    while (s < e && !Character.isLetterOrDigit(word.charAt(s))) {
      s++;
    }
    while (e > s && !Character.isLetterOrDigit(word.charAt(e - 1))) {
      e--;
    }
    return word.substring(s, e).toLowerCase(Locale.ROOT);
  }

  /** {@code replacement} with the original's surrounding punctuation and leading capital. */
  static String recase(String original, String replacement) {
    int s = 0;
    int e = original.length();
    while (s < e && !Character.isLetterOrDigit(original.charAt(s))) {
      s++;
    }
    while (e > s && !Character.isLetterOrDigit(original.charAt(e - 1))) {
      e--;
    }
    String r = replacement;
    if (s < e && Character.isUpperCase(original.charAt(s)) && !r.isEmpty()) {
      r = Character.toUpperCase(r.charAt(0)) + r.substring(1);
    }
    return original.substring(0, s) + r + original.substring(e);
  }

  private static int count(int words, double p) {
    return Math.max(1, (int) (p * words));
  }
}
