package org.synthweave.embedding.text;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.synthweave.embedding.EmbeddingErrors;

/**
 * The sentence models the encoder can run. Both are all-MiniLM-L6-v2 (sentence-transformers: BERT,
 * 6 layers, 384 dimensions, mean pooling, L2 normalization, inputs cut at 256 tokens), as exported
 * to ONNX in langchain4j's model jars, which carry the {@code .onnx} file and {@code
 * tokenizer.json} on the classpath; nothing is fetched at run time.
 */
public enum TextModel {
  /** fp32 weights (90 MB). */
  ALL_MINILM_L6_V2(
      "all-minilm-l6-v2", "/all-minilm-l6-v2.onnx", "/all-minilm-l6-v2-tokenizer.json"),
  /** int8 dynamically quantized weights (23 MB): faster on CPU, slightly different vectors. */
  ALL_MINILM_L6_V2_Q(
      "all-minilm-l6-v2-q", "/all-minilm-l6-v2-q.onnx", "/all-minilm-l6-v2-q-tokenizer.json");

  /** Output dimensions of every model here. */
  public static final int DIMENSIONS = 384;

  /**
   * Tokens (special tokens included) sentence-transformers feeds the model; longer texts are split
   * into passages of at most this many.
   */
  public static final int MAX_TOKENS = 256;

  /** Position embeddings of the underlying BERT: no window can be longer. */
  public static final int MAX_POSITIONS = 512;

  private final String id;
  private final String onnxResource;
  private final String tokenizerResource;

  TextModel(String id, String onnxResource, String tokenizerResource) {
    this.id = id;
    this.onnxResource = onnxResource;
    this.tokenizerResource = tokenizerResource;
  }

  /** The name used in config ({@code embed.text.model}) and in the {@code model} column. */
  public String id() {
    return id;
  }

  String onnxResource() {
    return onnxResource;
  }

  String tokenizerResource() {
    return tokenizerResource;
  }

  /** The model named {@code id} (case-insensitive), or a clear error listing the choices. */
  public static TextModel of(String id) {
    for (TextModel m : values()) {
      if (m.id.equals(id == null ? null : id.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw EmbeddingErrors.unknownModel(
        id, Arrays.stream(values()).map(TextModel::id).collect(Collectors.joining(", ")));
  }
}
