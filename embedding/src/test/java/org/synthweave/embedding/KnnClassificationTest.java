package org.synthweave.embedding;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.synthweave.embedding.text.EncoderOptions;
import org.synthweave.embedding.text.TextEncoder;
import org.synthweave.embedding.text.TextModel;

/**
 * The vectors carry meaning: k-NN classification of real labelled e-mails (spam-assassin, spam /
 * ham) with MiniLM vectors beats the same k-NN on TF-IDF bag-of-words vectors, computed in this
 * test. (Measured on this sample for k = 1, 5, 15, 31: MiniLM 0.91, 0.90, 0.90, 0.90 against TF-IDF
 * 0.90, 0.89, 0.87, 0.88.)
 */
class KnnClassificationTest {
  private static final int K = 15;
  private static final Pattern WORD = Pattern.compile("\\p{L}+");

  record Review(String split, String label, String text) {}

  @Test
  void knnOnEmbeddingsBeatsBagOfWordsOnSpamAndHam() throws Exception {
    List<Review> reviews = new ArrayList<>();
    List<String> lines =
        Files.readAllLines(
            RealTexts.sample("data/samples/text/spam-ham.tsv"), StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t", 4);
      reviews.add(new Review(f[0], f[1], f[3]));
    }
    List<Review> train = reviews.stream().filter(r -> r.split().equals("train")).toList();
    List<Review> test = reviews.stream().filter(r -> r.split().equals("test")).toList();

    float[][] trainVec;
    float[][] testVec;
    try (TextEncoder enc =
        TextEncoder.open(
            TextModel.ALL_MINILM_L6_V2, EncoderOptions.defaults().withIntraOpThreads(2))) {
      trainVec = enc.encode(train.stream().map(Review::text).toList());
      testVec = enc.encode(test.stream().map(Review::text).toList());
    }
    double embedded = accuracy(train, test, trainVec, testVec);

    Map<String, Integer> vocabulary = new HashMap<>();
    Map<Integer, Integer> df = new HashMap<>();
    List<Map<Integer, Integer>> trainCounts = new ArrayList<>();
    for (Review r : train) {
      Map<Integer, Integer> c = counts(r.text(), vocabulary, true);
      c.keySet().forEach(t -> df.merge(t, 1, Integer::sum));
      trainCounts.add(c);
    }
    List<Map<Integer, Integer>> testCounts = new ArrayList<>();
    for (Review r : test) {
      testCounts.add(counts(r.text(), vocabulary, false));
    }
    float[][] trainBow = tfidf(trainCounts, df, vocabulary.size(), train.size());
    float[][] testBow = tfidf(testCounts, df, vocabulary.size(), train.size());
    double bagOfWords = accuracy(train, test, trainBow, testBow);

    System.out.printf(
        Locale.ROOT,
        "spam/ham, %d-NN accuracy on %d test mails: MiniLM %.3f, TF-IDF %.3f, majority %.3f%n",
        K,
        test.size(),
        embedded,
        bagOfWords,
        test.stream().filter(r -> r.label().equals("spam")).count() / (double) test.size());
    assertTrue(
        embedded > bagOfWords,
        "MiniLM k-NN accuracy " + embedded + " should beat TF-IDF's " + bagOfWords);
  }

  private static double accuracy(
      List<Review> train, List<Review> test, float[][] trainVec, float[][] testVec) {
    int right = 0;
    for (int i = 0; i < test.size(); i++) {
      double[] sims = new double[train.size()];
      for (int j = 0; j < train.size(); j++) {
        sims[j] = RealTexts.cosine(testVec[i], trainVec[j]);
      }
      Integer[] order = new Integer[train.size()];
      for (int j = 0; j < order.length; j++) {
        order[j] = j;
      }
      java.util.Arrays.sort(order, (a, b) -> Double.compare(sims[b], sims[a]));
      int spam = 0;
      for (int j = 0; j < K; j++) {
        if (train.get(order[j]).label().equals("spam")) {
          spam++;
        }
      }
      String predicted = spam * 2 > K ? "spam" : "ham";
      if (predicted.equals(test.get(i).label())) {
        right++;
      }
    }
    return right / (double) test.size();
  }

  private static Map<Integer, Integer> counts(
      String text, Map<String, Integer> vocabulary, boolean grow) {
    Map<Integer, Integer> c = new HashMap<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      Integer id = grow ? vocabulary.computeIfAbsent(m.group(), w -> vocabulary.size()) : null;
      if (!grow) {
        id = vocabulary.get(m.group());
      }
      if (id != null) {
        c.merge(id, 1, Integer::sum);
      }
    }
    return c;
  }

  private static float[][] tfidf(
      List<Map<Integer, Integer>> counts, Map<Integer, Integer> df, int terms, int docs) {
    float[][] out = new float[counts.size()][terms];
    for (int i = 0; i < counts.size(); i++) {
      for (Map.Entry<Integer, Integer> e : counts.get(i).entrySet()) {
        double idf = Math.log((1.0 + docs) / (1.0 + df.getOrDefault(e.getKey(), 0))) + 1;
        out[i][e.getKey()] = (float) (e.getValue() * idf);
      }
    }
    return out;
  }
}
