package org.synthweave.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.synthweave.core.testing.SparkTestBase;

/**
 * Real third-party text from the bundled samples (data/samples/crawl/sotu-and-spam.jsonl: State of
 * the Union addresses and spam-assassin mails in German, Spanish, French and Chinese), cut into
 * sentences for the encoder tests.
 */
public final class RealTexts {
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?。！？])\\s+");
  private static final ObjectMapper JSON = new ObjectMapper();

  private RealTexts() {}

  public static Path sample(String relative) {
    return SparkTestBase.repoRoot().resolve(relative);
  }

  /** The plain text of every line of sotu-and-spam.jsonl (HTML bodies through jsoup). */
  public static List<String> documents() {
    List<String> docs = new ArrayList<>();
    try {
      for (String line :
          Files.readAllLines(
              sample("data/samples/crawl/sotu-and-spam.jsonl"), StandardCharsets.UTF_8)) {
        JsonNode n = JSON.readTree(line);
        docs.add(
            n.has("text") ? n.get("text").asText() : Jsoup.parse(n.get("html").asText()).text());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  /**
   * Sentences of 4 to 60 words: every {@code step}-th one of the speeches, and every sentence of
   * the non-English mails (lines 41, 42, 43, 48).
   */
  public static List<String> sentences(int step) {
    List<String> docs = documents();
    List<String> out = new ArrayList<>();
    int seen = 0;
    for (int i = 0; i < docs.size(); i++) {
      boolean foreign = i == 40 || i == 41 || i == 42 || i == 47;
      if (i >= 40 && !foreign) {
        continue;
      }
      for (String s : SENTENCE_END.split(docs.get(i))) {
        String t = s.strip();
        int words = t.isEmpty() ? 0 : t.split("\\s+").length;
        boolean cjk = foreign && i == 47 && t.length() >= 8;
        if ((words >= 4 && words <= 60) || (cjk && t.length() <= 200)) {
          if (foreign || seen++ % step == 0) {
            out.add(t);
          }
        }
      }
    }
    return out;
  }

  /** Cosine similarity; 0 when either vector is all zeros. */
  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
