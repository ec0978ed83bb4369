package org.synthweave.augmentation.text;

/** Lets tests of other packages fetch WordNet the way {@link TextAugmenterTest} does. */
public final class TextAugmenterTestSupport {
  private TextAugmenterTestSupport() {}

  public static void ensureWordNet() throws Exception {
    TextAugmenterTest.wordnetDir();
  }
}
