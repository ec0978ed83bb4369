package org.synthweave.embedding.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.synthweave.embedding.RealTexts;

/** Our vectors are sentence-transformers' vectors: checked against langchain4j's model. */
class TextEncoderMatchesLangchain4jTest {
  @Test
  void vectorsMatchLangchain4jOnRealSentences() {
    AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
    try (TextEncoder enc =
        TextEncoder.open(TextModel.ALL_MINILM_L6_V2, EncoderOptions.defaults())) {
      // sentence-transformers (and we) read 256 tokens; langchain4j keeps the truncation at 128
      // that the model's tokenizer.json carries. Compare where all three read the whole sentence.
      List<String> sentences =
          RealTexts.sentences(40).stream()
              .filter(s -> enc.passages(s).get(0).tokens() <= 128)
              .toList();
      assertTrue(sentences.size() > 100, "too few sentences: " + sentences.size());
      assertTrue(
          sentences.stream()
              .anyMatch(s -> s.codePoints().anyMatch(c -> c >= 0x4E00 && c <= 0x9FFF)),
          "Chinese sentences are compared too");
      assertTrue(
          sentences.stream().anyMatch(s -> s.matches(".*[äöüßéèàçñ].*")),
          "German, French and Spanish sentences are compared too");
      float[][] ours = enc.encode(sentences);
      var theirs = reference.embedAll(sentences.stream().map(TextSegment::from).toList()).content();
      double worst = 1;
      for (int i = 0; i < sentences.size(); i++) {
        assertEquals(TextModel.DIMENSIONS, ours[i].length);
        double c = RealTexts.cosine(ours[i], theirs.get(i).vector());
        worst = Math.min(worst, c);
        assertTrue(c >= 0.9999, "cosine " + c + " for: " + sentences.get(i));
      }
      System.out.println(sentences.size() + " sentences, worst cosine " + worst);
    }
  }
}
