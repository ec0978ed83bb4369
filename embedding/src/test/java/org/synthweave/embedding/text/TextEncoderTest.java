package org.synthweave.embedding.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.synthweave.core.SynthweaveException;
import org.synthweave.embedding.RealTexts;

/** Passages, batching, text checks and the streaming embedder, on real text. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextEncoderTest {
  private TextEncoder encoder;
  private List<String> documents;

  @BeforeAll
  void open() {
    encoder = TextEncoder.open(TextModel.ALL_MINILM_L6_V2, EncoderOptions.defaults());
    documents = RealTexts.documents();
  }

  @AfterAll
  void close() {
    encoder.close();
  }

  @Test
  void aLongSpeechBecomesOverlappingPassagesThatCoverIt() {
    String speech = documents.get(39); // the longest of the 40 speeches in the sample
    List<Passage> ps = encoder.passages(speech);
    assertTrue(ps.size() > 3, "passages: " + ps.size());
    int overlap = encoder.options().overlapTokens();
    for (int i = 0; i < ps.size(); i++) {
      Passage p = ps.get(i);
      assertEquals(i, p.passageNo());
      assertTrue(p.tokens() <= TextModel.MAX_TOKENS, "tokens " + p.tokens());
      assertTrue(p.charStart() < p.charEnd() && p.charEnd() <= speech.length());
      assertTrue(!speech.substring(p.charStart(), p.charEnd()).isBlank());
      if (i > 0) {
        Passage prev = ps.get(i - 1);
        assertEquals(TextModel.MAX_TOKENS, prev.tokens(), "only the last window is short");
        // The last `overlap` content tokens of one window open the next.
        long[] tail =
            Arrays.copyOfRange(prev.tokenIds(), prev.tokens() - 1 - overlap, prev.tokens() - 1);
        long[] head = Arrays.copyOfRange(p.tokenIds(), 1, 1 + overlap);
        assertArrayEquals(tail, head);
        assertTrue(p.charStart() > prev.charStart() && p.charStart() < prev.charEnd());
      }
    }
    assertEquals(0, ps.get(0).charStart());
    assertEquals(speech.strip().length(), ps.get(ps.size() - 1).charEnd());
  }

  @Test
  void characterSpansAreJavaIndicesInChineseAndGermanText() {
    for (int line : new int[] {40, 47}) { // German, Chinese (Big5) spam mails
      String text = documents.get(line);
      for (Passage p : encoder.passages(text)) {
        String covered = text.substring(p.charStart(), p.charEnd());
        assertTrue(!covered.isBlank(), "line " + (line + 1));
      }
    }
    String chinese = documents.get(47);
    Passage first = encoder.passages(chinese).get(0);
    assertTrue(
        chinese
            .substring(first.charStart(), first.charEnd())
            .codePoints()
            .anyMatch(c -> c > 0x4E00),
        "the Chinese mail's first passage covers Chinese characters");
  }

  @Test
  void batchingAndPaddingDoNotChangeVectors() {
    List<String> sentences = RealTexts.sentences(25).subList(0, 60);
    float[][] batched = encoder.encode(sentences);
    try (TextEncoder single =
        TextEncoder.open(TextModel.ALL_MINILM_L6_V2, EncoderOptions.defaults().withBatch(1, 256))) {
      float[][] one = single.encode(sentences);
      for (int i = 0; i < sentences.size(); i++) {
        double c = RealTexts.cosine(batched[i], one[i]);
        assertTrue(c > 0.99999, "cosine " + c + " for " + sentences.get(i));
      }
    }
  }

  @Test
  void vectorsAreUnitLengthAndSimilarTextsAreCloser() {
    float[][] v =
        encoder.encode(
            List.of(
                "The Congress passed the budget for the coming fiscal year.",
                "Lawmakers approved next year's government spending plan.",
                "Dieses Produkt ist ein Sonderangebot nur für kurze Zeit."));
    for (float[] x : v) {
      double n = 0;
      for (float f : x) {
        n += f * f;
      }
      assertEquals(1.0, Math.sqrt(n), 1e-5);
    }
    assertTrue(RealTexts.cosine(v[0], v[1]) > RealTexts.cosine(v[0], v[2]) + 0.3);
  }

  @Test
  void textChecksNameWhatIsWrong() throws Exception {
    assertEquals(TextCheck.EMPTY, TextCheck.reason(null));
    assertEquals(TextCheck.EMPTY, TextCheck.reason(""));
    assertEquals(TextCheck.WHITESPACE_ONLY, TextCheck.reason(" \t\n\u00A0\u3000\u2003 "));
    assertEquals(TextCheck.BINARY, TextCheck.reason("abc\u0000def"));
    assertEquals(TextCheck.INVALID, TextCheck.reason("abc\uD800def"));
    assertEquals(TextCheck.INVALID, TextCheck.reason("abc\uDC00"));
    // Real binary data read as if it were text: a gzip file decoded as Latin-1.
    byte[] gz =
        Files.readAllBytes(
            RealTexts.sample(
                "data/samples/crawl/CC-MAIN-20140820021334-00006-ip-10-180-136-8.ec2.internal.warc.gz"));
    assertEquals(
        TextCheck.BINARY, TextCheck.reason(new String(gz, 0, 4096, StandardCharsets.ISO_8859_1)));
    // Real text with one bad byte (the Big5 mail, decoded with one U+FFFD) is text.
    assertNull(TextCheck.reason(documents.get(47)));
    for (String d : documents) {
      assertNull(TextCheck.reason(d));
    }
  }

  @Test
  void theEmbedderYieldsEveryPassageOrARejectionForEachDocument() {
    List<DocumentEmbedder.Document<Integer>> docs = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      docs.add(new DocumentEmbedder.Document<>(i, documents.get(i)));
    }
    int n = documents.size();
    docs.add(new DocumentEmbedder.Document<>(n, ""));
    docs.add(new DocumentEmbedder.Document<>(n + 1, "   \n "));
    docs.add(new DocumentEmbedder.Document<>(n + 2, "\u0007\u0008\u0001"));
    // A window smaller than one speech's passages: batches must still cover every passage.
    EncoderOptions small = new EncoderOptions(8, 2048, 256, 32, 16, 1, "cpu");
    try (TextEncoder enc = TextEncoder.open(TextModel.ALL_MINILM_L6_V2, small)) {
      int[] passages = new int[docs.size()];
      List<String> reasons = new ArrayList<>();
      new DocumentEmbedder<>(enc, docs.iterator())
          .forEachRemaining(
              r -> {
                if (r.rejected()) {
                  reasons.add(r.key() + ":" + r.reason());
                  assertNull(r.vector());
                } else {
                  passages[r.key()]++;
                  assertEquals(TextModel.DIMENSIONS, r.vector().length);
                }
              });
      for (int i = 0; i < n; i++) {
        assertEquals(enc.passages(documents.get(i)).size(), passages[i], "document " + i);
      }
      assertEquals(
          List.of(n + ":empty_text", (n + 1) + ":whitespace_only", (n + 2) + ":binary_text"),
          reasons);
    }
  }

  @Test
  void theQuantizedModelGivesCloseVectors() {
    List<String> sentences = RealTexts.sentences(50).subList(0, 40);
    try (TextEncoder q =
        TextEncoder.open(TextModel.ALL_MINILM_L6_V2_Q, EncoderOptions.defaults())) {
      assertTrue(!q.modelVersion().equals(encoder.modelVersion()));
      float[][] a = encoder.encode(sentences);
      float[][] b = q.encode(sentences);
      for (int i = 0; i < sentences.size(); i++) {
        double c = RealTexts.cosine(a[i], b[i]);
        assertTrue(c > 0.9, "cosine " + c + " for " + sentences.get(i));
      }
    }
  }

  @Test
  void cudaWithoutAGpuFallsBackToCpu() {
    EncoderOptions cuda = new EncoderOptions(32, 2048, 256, 32, 1024, 1, "cuda");
    try (TextEncoder enc = TextEncoder.open(TextModel.ALL_MINILM_L6_V2_Q, cuda)) {
      assertEquals("cpu", enc.executionProvider());
      assertEquals(TextModel.DIMENSIONS, enc.encode("A sentence to embed on the CPU.").length);
    }
  }

  @Test
  void badSettingsAndModelsFailClearly() {
    SynthweaveException e = assertThrows(SynthweaveException.class, () -> TextModel.of("bert"));
    assertTrue(e.getMessage().contains("all-minilm-l6-v2, all-minilm-l6-v2-q"), e.getMessage());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> new EncoderOptions(32, 2048, 600, 32, 64, 1, "cpu"));
    assertTrue(bad.getMessage().contains("maxTokens"), bad.getMessage());
    assertTrue(encoder.modelVersion().matches("[0-9a-f]{12}-w256o32"), encoder.modelVersion());
  }
}
