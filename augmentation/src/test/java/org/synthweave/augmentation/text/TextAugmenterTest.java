package org.synthweave.augmentation.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.synthweave.augmentation.AugmentSamples;
import org.synthweave.core.testing.SparkTestBase;

/**
 * WordNet parsing and the EDA ops on real e-mails (data/samples/text/spam-ham.tsv). Seeds are
 * printed; rerun one with -Dtests.seed=N.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextAugmenterTest {
  private WordNetThesaurus wordnet;
  private List<String> texts;
  private long seed;

  /** WordNet's folder, fetched from Debian by data/scripts/text/fetch-wordnet.sh if missing. */
  static Path wordnetDir() throws IOException, InterruptedException {
    Path root = SparkTestBase.repoRoot();
    Path dir = root.resolve("data/bench/wordnet");
    if (!Files.exists(dir.resolve("data.adv"))) {
      Process p =
          new ProcessBuilder("bash", root.resolve("data/scripts/text/fetch-wordnet.sh").toString())
              .inheritIO()
              .start();
      if (p.waitFor() != 0) {
        throw new IOException("fetch-wordnet.sh failed with exit code " + p.exitValue());
      }
    }
    return dir;
  }

  @BeforeAll
  void load() throws Exception {
    seed = AugmentSamples.seed();
    System.out.println("TextAugmenterTest seed: " + seed + " (-Dtests.seed=" + seed + ")");
    wordnet = WordNetThesaurus.load(wordnetDir());
    texts = new ArrayList<>();
    List<String> lines =
        Files.readAllLines(
            SparkTestBase.repoRoot().resolve("data/samples/text/spam-ham.tsv"),
            StandardCharsets.UTF_8);
    for (String line : lines.subList(1, 201)) {
      texts.add(line.split("\t", 4)[3]);
    }
  }

  @Test
  void wordNetKnowsRealSynonyms() {
    // WordNet 3.0: car.n.01 = {car, auto, automobile, machine, motorcar}.
    assertTrue(Arrays.asList(wordnet.synonyms("car")).contains("automobile"));
    assertTrue(Arrays.asList(wordnet.synonyms("Automobile")).contains("car"));
    assertTrue(Arrays.asList(wordnet.synonyms("buy")).contains("purchase"));
    assertEquals(0, wordnet.synonyms("the").length);
    assertTrue(wordnet.size() > 50_000, "words with synonyms: " + wordnet.size());
    assertEquals(
        List.of("ice cream", "icecream"),
        WordNetThesaurus.synsetWords(
            "07614500 13 n 02 ice_cream 0 icecream 0 001 @ 07612996 n 0000 | a frozen dessert"));
    assertEquals(
        List.of("able"),
        WordNetThesaurus.synsetWords("00001740 00 a 01 able(a) 0 005 = 05207437 n 0000 | x"));
  }

  @Test
  void synonymReplacementUsesWordNetSynonymsOnly() {
    TextAugmenter t = new TextAugmenter(wordnet);
    int changed = 0;
    int differ = 0;
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      List<String> before = TextAugmenter.words(text);
      String out = t.synonymReplace(text, 0.1, new Random(seed + i));
      if (!out.equals(String.join(" ", before))) {
        differ++;
      }
      List<String> after = TextAugmenter.words(out);
      // Multi-word synonyms add words; compare word by word while there is no such synonym.
      if (before.size() != after.size()) {
        continue;
      }
      for (int w = 0; w < before.size(); w++) {
        if (!before.get(w).equals(after.get(w))) {
          String core = TextAugmenter.core(before.get(w));
          String got = TextAugmenter.core(after.get(w));
          assertTrue(
              Arrays.stream(wordnet.synonyms(core))
                  .anyMatch(x -> TextAugmenter.core(x).equals(got)),
              before.get(w) + " -> " + after.get(w) + ", seed " + seed);
          changed++;
        }
      }
    }
    // Texts that got a multi-word synonym are not compared word by word.
    assertTrue(changed > 50, "replaced " + changed + ", seed " + seed);
    assertTrue(differ > 190, differ + " of 200 texts changed, seed " + seed);
  }

  @Test
  void swapDeleteInsertAndShuffleKeepTheWordsTheySay() {
    TextAugmenter t = new TextAugmenter(wordnet);
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      List<String> words = TextAugmenter.words(text);
      Random rnd = new Random(seed + i);
      assertEquals(sorted(words), sorted(TextAugmenter.words(t.randomSwap(text, 0.1, rnd))));
      assertEquals(
          sorted(words), sorted(TextAugmenter.words(t.sentenceShuffle(text, rnd))), "shuffle");
      List<String> deleted = TextAugmenter.words(t.randomDelete(text, 0.3, rnd));
      assertTrue(!deleted.isEmpty() && deleted.size() <= words.size());
      assertTrue(subBag(deleted, words), "delete only removes words");
      String inserted = t.randomInsert(text, 0.1, rnd);
      assertTrue(TextAugmenter.words(inserted).size() >= words.size());
    }
  }

  @Test
  void sameSeedSameText() {
    TextAugmenter t = new TextAugmenter(wordnet);
    String text = texts.get(7);
    assertEquals(
        t.synonymReplace(text, 0.2, new Random(seed)),
        t.synonymReplace(text, 0.2, new Random(seed)));
    assertNotEquals(text, t.randomSwap(text, 0.2, new Random(seed)));
    assertArrayEquals(
        wordnet.synonyms("car"), WordNetThesaurus.load(wordnetDirUnchecked()).synonyms("car"));
  }

  private static Path wordnetDirUnchecked() {
    return SparkTestBase.repoRoot().resolve("data/bench/wordnet");
  }

  private static List<String> sorted(List<String> words) {
    List<String> s = new ArrayList<>(words);
    s.sort(null);
    return s;
  }

  private static Map<String, Integer> count(List<String> words) {
    Map<String, Integer> m = new HashMap<>();
    words.forEach(w -> m.merge(w, 1, Integer::sum));
    return m;
  }

  private static boolean subBag(List<String> small, List<String> big) {
    Map<String, Integer> b = count(big);
    for (Map.Entry<String, Integer> e : count(small).entrySet()) {
      if (b.getOrDefault(e.getKey(), 0) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
