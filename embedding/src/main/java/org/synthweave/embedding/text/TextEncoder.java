package org.synthweave.embedding.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthweave.core.ContentIds;
import org.synthweave.embedding.EmbeddingErrors;

/**
 * Sentence embeddings with all-MiniLM-L6-v2 on ONNX Runtime: the Spark-free heart of the embed
 * stage, also used by the vector search to embed queries.
 *
 * <p>Gives the vectors sentence-transformers gives: HuggingFace tokenization (DJL's binding of the
 * Rust tokenizers, with the model's own {@code tokenizer.json}), the BERT encoder, mean pooling of
 * the last hidden state over the attention mask, then L2 normalization. Texts longer than one
 * window are split into {@link Passage}s of {@link EncoderOptions#maxTokens()} tokens overlapping
 * by {@link EncoderOptions#overlapTokens()}, so nothing past the model's limit is cut silently.
 *
 * <p>Throughput comes from batching: passages are sorted by length and run {@link
 * EncoderOptions#batchSize()} at a time, each batch padded only to its longest passage. An encoder
 * is thread-safe (ONNX Runtime sessions and the Rust tokenizer are); one per JVM is enough, see
 * {@link TextEncoders}.
 */
public final class TextEncoder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TextEncoder.class);

  private final TextModel model;
  private final EncoderOptions options;
  private final String modelVersion;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final String hiddenStateOutput;
  private final boolean takesTokenTypes;
  private final long clsId;
  private final long sepId;
  private final String provider;

  private TextEncoder(TextModel model, EncoderOptions options) {
    this.model = model;
    this.options = options;
    byte[] onnx = resource(model.onnxResource());
    byte[] tokenizerJson = resource(model.tokenizerResource());
    this.modelVersion = version(onnx, tokenizerJson, options);
    try {
      Map<String, String> tokenizerOptions = new HashMap<>();
      // Windows are cut here, not by the tokenizer: its file asks for truncation and padding to
      // 128.
      tokenizerOptions.put("truncation", "false");
      tokenizerOptions.put("padding", "false");
      tokenizerOptions.put("addSpecialTokens", "false");
      this.tokenizer =
          HuggingFaceTokenizer.newInstance(
              new ByteArrayInputStream(tokenizerJson), tokenizerOptions);
      long[] specials = tokenizer.encode("", true, false).getIds();
      if (specials.length != 2) {
        throw EmbeddingErrors.modelLoad(
            model, "its tokenizer does not frame a text with [CLS] ... [SEP]", null);
      }
      this.clsId = specials[0];
      this.sepId = specials[1];
    } catch (IOException | RuntimeException e) {
      throw EmbeddingErrors.modelLoad(model, "its tokenizer.json does not load", e);
    }
    this.env = OrtEnvironment.getEnvironment();
    String chosen = "cpu";
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      so.setIntraOpNumThreads(options.intraOpThreads());
      so.setInterOpNumThreads(1);
      if ("cuda".equals(options.executionProvider())) {
        try {
          so.addCUDA(0);
          chosen = "cuda";
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
          LOG.warn(
              "embed.onnx.execution-provider = cuda, but CUDA is not available here ({}); running"
                  + " {} on CPU",
              e.getMessage(),
              model.id());
        }
      }
      this.session = env.createSession(onnx, so);
      this.hiddenStateOutput = hiddenStateOutput(session, model);
      this.takesTokenTypes = session.getInputNames().contains("token_type_ids");
    } catch (OrtException e) {
      throw EmbeddingErrors.modelLoad(model, "ONNX Runtime cannot create a session for it", e);
    }
    this.provider = chosen;
  }

  /** Loads {@code model} from the classpath and opens an ONNX Runtime session for it. */
  public static TextEncoder open(TextModel model, EncoderOptions options) {
    if (model == null || options == null) {
      throw new IllegalArgumentException("model and options must not be null");
    }
    return new TextEncoder(model, options);
  }

  public TextModel model() {
    return model;
  }

  public EncoderOptions options() {
    return options;
  }

  /**
   * Identifies the vectors this encoder makes: the first 12 hex digits of the SHA-256 of the model
   * and tokenizer files, then the passage window and overlap, e.g. {@code 6fd5d72fe4d1-w256o32}.
   * Vectors of two encoders with the same version are interchangeable.
   */
  public String modelVersion() {
    return modelVersion;
  }

  public int dimensions() {
    return TextModel.DIMENSIONS;
  }

  /** {@code cpu} or {@code cuda}: where inference actually runs. */
  public String executionProvider() {
    return provider;
  }

  /**
   * Splits {@code text} into token windows. A text of at most {@code maxTokens - 2} tokens is one
   * passage, exactly what sentence-transformers feeds the model; a longer one becomes several,
   * overlapping by {@code overlapTokens}. Returns no passage when the tokenizer keeps no token.
   */
  public List<Passage> passages(String text) {
    Encoding enc = tokenizer.encode(text, false, false);
    long[] ids = enc.getIds();
    CharSpan[] spans = enc.getCharTokenSpans();
    int n = ids.length;
    List<Passage> out = new ArrayList<>(1 + n / Math.max(1, options.maxTokens() - 2));
    if (n == 0) {
      return out;
    }
    int content = options.maxTokens() - 2;
    int stride = content - options.overlapTokens();
    for (int start = 0, no = 0; ; start += stride, no++) {
      int end = Math.min(start + content, n);
      long[] window = new long[end - start + 2];
      window[0] = clsId;
      System.arraycopy(ids, start, window, 1, end - start);
      window[window.length - 1] = sepId;
      out.add(new Passage(no, charStart(spans, start, end), charEnd(spans, start, end), window));
      if (end == n) {
        return out;
      }
    }
  }

  /** One vector per text: its first passage, as sentence-transformers would cut it. */
  public float[][] encode(List<String> texts) {
    List<Passage> first = new ArrayList<>(texts.size());
    for (String t : texts) {
      List<Passage> ps = passages(t == null ? "" : t);
      first.add(ps.isEmpty() ? new Passage(0, 0, 0, new long[] {clsId, sepId}) : ps.get(0));
    }
    return embed(first);
  }

  /** Convenience for one text (a search query): its first passage's vector. */
  public float[] encode(String text) {
    return encode(List.of(text))[0];
  }

  /**
   * Vectors of {@code passages}, in their order. Runs them sorted by length in batches of at most
   * {@code batchSize} passages and {@code batchTokens} padded tokens, each padded to its longest
   * member.
   */
  public float[][] embed(List<Passage> passages) {
    int n = passages.size();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order, (a, b) -> Integer.compare(passages.get(a).tokens(), passages.get(b).tokens()));
    float[][] out = new float[n][];
    int from = 0;
    while (from < n) {
      // Sorted ascending, so the last passage added is the longest: the batch's padded length.
      int to = from + 1;
      while (to < n
          && to - from < options.batchSize()
          && (long) (to - from + 1) * passages.get(order[to]).tokens() <= options.batchTokens()) {
        to++;
      }
      List<Passage> slice = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        slice.add(passages.get(order[i]));
      }
      float[][] vectors = runBatch(slice);
      for (int i = from; i < to; i++) {
        out[order[i]] = vectors[i - from];
      }
      from = to;
    }
    return out;
  }

  private float[][] runBatch(List<Passage> batch) {
    int b = batch.size();
    int len = 0;
    for (Passage p : batch) {
      len = Math.max(len, p.tokens());
    }
    long[] ids = new long[b * len];
    long[] mask = new long[b * len];
    for (int i = 0; i < b; i++) {
      long[] t = batch.get(i).tokenIds();
      System.arraycopy(t, 0, ids, i * len, t.length);
      Arrays.fill(mask, i * len, i * len + t.length, 1L);
    }
    long[] shape = {b, len};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
      inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
      if (takesTokenTypes) {
        inputs.put(
            "token_type_ids",
            OnnxTensor.createTensor(env, LongBuffer.wrap(new long[b * len]), shape));
      }
      try (OrtSession.Result result = session.run(inputs, java.util.Set.of(hiddenStateOutput))) {
        OnnxValue value = result.get(0);
        FloatBuffer hidden = ((OnnxTensor) value).getFloatBuffer();
        return meanPoolAndNormalize(hidden, batch, len);
      }
    } catch (OrtException e) {
      throw EmbeddingErrors.inference(model, b, len, e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  /** Mean of the token states under the mask, then scaled to unit length. */
  private static float[][] meanPoolAndNormalize(FloatBuffer hidden, List<Passage> batch, int len) {
    int dims = TextModel.DIMENSIONS;
    float[] h = new float[hidden.remaining()];
    hidden.get(h);
    float[][] out = new float[batch.size()][dims];
    double[] sum = new double[dims];
    for (int i = 0; i < batch.size(); i++) {
      Arrays.fill(sum, 0);
      int tokens = batch.get(i).tokens();
      int base = i * len * dims;
      for (int t = 0; t < tokens; t++) {
        int row = base + t * dims;
        for (int d = 0; d < dims; d++) {
          sum[d] += h[row + d];
        }
      }
      double norm = 0;
      for (int d = 0; d < dims; d++) {
        sum[d] /= tokens;
        norm += sum[d] * sum[d];
      }
      // sentence-transformers' Normalize divides by max(norm, 1e-12).
      double scale = 1.0 / Math.max(Math.sqrt(norm), 1e-12);
      for (int d = 0; d < dims; d++) {
        out[i][d] = (float) (sum[d] * scale);
      }
    }
    return out;
  }

  private static int charStart(CharSpan[] spans, int start, int end) {
    for (int i = start; i < end; i++) {
      if (spans[i] != null) {
        return spans[i].getStart();
      }
    }
    return 0;
  }

  private static int charEnd(CharSpan[] spans, int start, int end) {
    for (int i = end - 1; i >= start; i--) {
      if (spans[i] != null) {
        return spans[i].getEnd();
      }
    }
    return 0;
  }

  private static String hiddenStateOutput(OrtSession session, TextModel model) throws OrtException {
    if (session.getOutputNames().contains("last_hidden_state")) {
      return "last_hidden_state";
    }
    for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
      if (e.getValue().getInfo() instanceof TensorInfo t && t.getShape().length == 3) {
        return e.getKey();
      }
    }
    throw EmbeddingErrors.modelLoad(
        model,
        "it has no 3-d output (batch, tokens, hidden) to pool: " + session.getOutputNames(),
        null);
  }

  private static byte[] resource(String name) {
    try (InputStream in = TextEncoder.class.getResourceAsStream(name)) {
      if (in == null) {
        throw EmbeddingErrors.modelMissing(name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw EmbeddingErrors.modelMissing(name);
    }
  }

  private static String version(byte[] onnx, byte[] tokenizer, EncoderOptions options) {
    MessageDigest sha = ContentIds.sha256();
    sha.update(onnx);
    sha.update(tokenizer);
    String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    return hash + "-w" + options.maxTokens() + "o" + options.overlapTokens();
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.warn("closing the ONNX session of {} failed: {}", model.id(), e.getMessage());
    }
    tokenizer.close();
  }
}
