package org.synthweave.ingest.crawl;

import com.optimaize.langdetect.DetectedLanguage;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObject;
import com.optimaize.langdetect.text.TextObjectFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Language identification with optimaize language-detector 0.6 and its 71 built-in profiles.
 *
 * <p>The detector loads all profiles (a few MB, about a second), so it is built once per JVM on
 * first use (holder idiom: lazy and thread-safe without locks) and shared by every executor thread;
 * optimaize's detector and text-object factory keep no per-call state.
 */
public final class LanguageDetector {
  private LanguageDetector() {}

  /** Returned when the text is too short or no language is probable enough. */
  public static final String UNDETERMINED = "und";

  /** Fewer letters than this give unreliable n-gram statistics, so the answer is {@code und}. */
  public static final int DEFAULT_MIN_LETTERS = 30;

  /** The top language must be at least this probable; optimaize's own default is 0.9999. */
  public static final double DEFAULT_MIN_PROBABILITY = 0.90;

  /**
   * Only a prefix is examined: n-gram statistics settle after a few thousand characters and a 50 MB
   * page should not cost 50 MB of n-grams.
   */
  public static final int DEFAULT_MAX_CHARS = 20_000;

  private static final class Holder {
    static final com.optimaize.langdetect.LanguageDetector DETECTOR = build();
    static final TextObjectFactory TEXTS = CommonTextObjectFactories.forDetectingOnLargeText();

    private static com.optimaize.langdetect.LanguageDetector build() {
      try {
        return LanguageDetectorBuilder.create(NgramExtractors.standard())
            .withProfiles(new LanguageProfileReader().readAllBuiltIn())
            .build();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot load the built-in language profiles of optimaize language-detector from the"
                + " classpath; the jar is missing or damaged",
            e);
      }
    }
  }

  /**
   * The ISO 639-1 code of the language of {@code text} (e.g. {@code en}, {@code de}), or {@link
   * #UNDETERMINED} when the text has fewer than {@link #DEFAULT_MIN_LETTERS} letters or no language
   * reaches {@link #DEFAULT_MIN_PROBABILITY}.
   */
  public static String detect(String text) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    String sample = text.length() > DEFAULT_MAX_CHARS ? text.substring(0, DEFAULT_MAX_CHARS) : text;
    if (letters(sample) < DEFAULT_MIN_LETTERS) {
      return UNDETERMINED;
    }
    TextObject object = Holder.TEXTS.forText(sample);
    List<DetectedLanguage> probabilities = Holder.DETECTOR.getProbabilities(object);
    if (probabilities.isEmpty()) {
      return UNDETERMINED;
    }
    // Sum per bare language first: zh-CN and zh-TW (or pt-PT and pt-BR) split the mass of one
    // language, and each alone could miss the threshold.
    Map<String, Double> byLanguage = new HashMap<>();
    for (DetectedLanguage language : probabilities) {
      byLanguage.merge(language.getLocale().getLanguage(), language.getProbability(), Double::sum);
    }
    Map.Entry<String, Double> best =
        Collections.max(byLanguage.entrySet(), Map.Entry.comparingByValue());
    return best.getValue() < DEFAULT_MIN_PROBABILITY ? UNDETERMINED : best.getKey();
  }

  private static int letters(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (Character.isLetter(s.charAt(i))) {
        n++;
      }
    }
    return n;
  }
}
