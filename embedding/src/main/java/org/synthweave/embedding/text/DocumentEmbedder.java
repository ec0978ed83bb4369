package org.synthweave.embedding.text;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Streams documents through a {@link TextEncoder}: checks each text ({@link TextCheck}), splits it
 * into passages, reads ahead up to {@link EncoderOptions#sortWindow()} passages so that they can be
 * batched by length, and yields one {@link Result} per passage, or one rejection per unusable
 * document. Memory stays bounded by the window whatever the input's size (one huge document is
 * taken whole: its passages are never dropped).
 *
 * @param <K> what identifies a document to the caller (an id, or a Spark row)
 */
public final class DocumentEmbedder<K> implements Iterator<DocumentEmbedder.Result<K>> {
  /** A document to embed. */
  public record Document<K>(K key, String text) {}

  /**
   * One passage's vector, or (with {@code reason} set, no vector, and the document's text in {@code
   * rejectedText} for the quarantine table) the rejection of a whole document.
   */
  public record Result<K>(
      K key,
      int passageNo,
      int charStart,
      int charEnd,
      int tokens,
      float[] vector,
      String reason,
      String detail,
      String rejectedText) {
    public boolean rejected() {
      return reason != null;
    }
  }

  private record Pending<K>(K key, Passage passage) {}

  private final TextEncoder encoder;
  private final Iterator<Document<K>> documents;
  private final ArrayDeque<Result<K>> ready = new ArrayDeque<>();

  public DocumentEmbedder(TextEncoder encoder, Iterator<Document<K>> documents) {
    this.encoder = encoder;
    this.documents = documents;
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && documents.hasNext()) {
      fill();
    }
    return !ready.isEmpty();
  }

  @Override
  public Result<K> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }

  private void fill() {
    List<Pending<K>> window = new ArrayList<>();
    int limit = encoder.options().sortWindow();
    while (window.size() < limit && documents.hasNext()) {
      Document<K> d = documents.next();
      String reason = TextCheck.reason(d.text());
      List<Passage> passages = reason == null ? encoder.passages(d.text()) : List.of();
      if (reason == null && passages.isEmpty()) {
        reason = TextCheck.NO_TOKENS;
      }
      if (reason != null) {
        ready.add(
            new Result<>(
                d.key(), -1, 0, 0, 0, null, reason, TextCheck.detail(reason, d.text()), d.text()));
        continue;
      }
      for (Passage p : passages) {
        window.add(new Pending<>(d.key(), p));
      }
    }
    if (window.isEmpty()) {
      return;
    }
    float[][] vectors = encoder.embed(window.stream().map(Pending::passage).toList());
    for (int i = 0; i < window.size(); i++) {
      Pending<K> w = window.get(i);
      Passage p = w.passage();
      ready.add(
          new Result<>(
              w.key(),
              p.passageNo(),
              p.charStart(),
              p.charEnd(),
              p.tokens(),
              vectors[i],
              null,
              null,
              null));
    }
  }
}
