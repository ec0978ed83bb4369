package org.synthweave.embedding.text;

/**
 * Decides whether a text can be embedded, and if not, why. The reasons are stable codes written to
 * {@code quarantine/embed}: a text that fails here is never silently replaced by a vector of
 * nothing.
 */
public final class TextCheck {
  /** Null or zero characters. */
  public static final String EMPTY = "empty_text";

  /** Only whitespace (including no-break and other Unicode spaces). */
  public static final String WHITESPACE_ONLY = "whitespace_only";

  /** A NUL character, or mostly control characters and U+FFFD: bytes decoded as if text. */
  public static final String BINARY = "binary_text";

  /** A lone UTF-16 surrogate: not a valid Unicode string. */
  public static final String INVALID = "invalid_text";

  /** The tokenizer keeps nothing of it (e.g. only characters BERT's normalizer removes). */
  public static final String NO_TOKENS = "no_tokens";

  /**
   * Share of control characters and U+FFFD (of all characters) from which a text is taken for
   * binary. Real text with a few bad bytes (a mail decoded with one replacement character) stays
   * well below it.
   */
  public static final double BINARY_SHARE = 0.10;

  private TextCheck() {}

  /** The reason {@code text} cannot be embedded, or null when it can. */
  public static String reason(String text) {
    if (text == null || text.isEmpty()) {
      return EMPTY;
    }
    int n = text.length();
    int odd = 0;
    boolean blank = true;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == 0) {
        return BINARY;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= n || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return INVALID;
        }
        i++;
        blank = false;
        continue;
      }
      if (Character.isLowSurrogate(c)) {
        return INVALID;
      }
      if (c == '\uFFFD' || (Character.isISOControl(c) && !Character.isWhitespace(c))) {
        odd++;
      }
      if (blank && !Character.isWhitespace(c) && !Character.isSpaceChar(c)) {
        blank = false;
      }
    }
    if (blank) {
      return WHITESPACE_ONLY;
    }
    if (odd > BINARY_SHARE * n) {
      return BINARY;
    }
    return null;
  }

  /** A short human-readable detail for a reason, for the quarantine table. */
  public static String detail(String reason, String text) {
    int n = text == null ? 0 : text.length();
    return switch (reason) {
      case EMPTY -> "the text is empty";
      case WHITESPACE_ONLY -> "the text holds only whitespace (" + n + " chars)";
      case BINARY ->
          "the text holds a NUL or more than "
              + Math.round(BINARY_SHARE * 100)
              + "% control/replacement characters ("
              + n
              + " chars): binary data, not text";
      case INVALID -> "the text holds an unpaired UTF-16 surrogate";
      case NO_TOKENS -> "the tokenizer keeps no token of the text (" + n + " chars)";
      default -> reason;
    };
  }
}
