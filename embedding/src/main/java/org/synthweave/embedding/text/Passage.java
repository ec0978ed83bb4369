package org.synthweave.embedding.text;

/**
 * One token window of a text: what the model sees in one row of a batch.
 *
 * @param passageNo 0 for the first window of a text, then 1, 2, ...
 * @param charStart first character (UTF-16 index) of the text the window covers
 * @param charEnd one past its last character
 * @param tokenIds token ids, [CLS] and [SEP] included
 */
public record Passage(int passageNo, int charStart, int charEnd, long[] tokenIds) {
  public int tokens() {
    return tokenIds.length;
  }
}
