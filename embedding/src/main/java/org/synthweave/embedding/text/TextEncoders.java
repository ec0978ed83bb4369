package org.synthweave.embedding.text;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link TextEncoder} per model and options per JVM, shared by every task of a Spark executor
 * (and every caller of a notebook or server), so the 90 MB model is loaded once. The encoders are
 * closed when the JVM shuts down.
 */
public final class TextEncoders {
  private static final Map<Key, TextEncoder> SHARED = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(TextEncoders::closeAll, "synthweave-close-text-encoders"));
  }

  private record Key(TextModel model, EncoderOptions options) {}

  private TextEncoders() {}

  /** The JVM's encoder for {@code model} with {@code options}, opened on first use. */
  public static TextEncoder shared(TextModel model, EncoderOptions options) {
    return SHARED.computeIfAbsent(
        new Key(model, options), k -> TextEncoder.open(k.model, k.options));
  }

  /** Closes and forgets every shared encoder (at shutdown, or to free memory in a long session). */
  public static synchronized void closeAll() {
    for (Key k : SHARED.keySet()) {
      TextEncoder e = SHARED.remove(k);
      if (e != null) {
        e.close();
      }
    }
  }
}
