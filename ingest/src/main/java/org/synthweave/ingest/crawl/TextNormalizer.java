package org.synthweave.ingest.crawl;

import java.text.Normalizer;

/**
 * Canonical form of document text, applied before hashing so that the same text gets the same id
 * whatever its source format. In order: Unicode NFC; CR LF, CR, U+0085, U+2028 and U+2029 become
 * LF; tabs and other horizontal spaces (including NBSP) become a space; control and format
 * characters except LF are removed (zero-width spaces, BOMs, bidi marks); runs of spaces collapse
 * to one; every line is trimmed; more than one blank line in a row collapses to one (a paragraph
 * break); leading and trailing blank lines go. Idempotent: {@code normalize(normalize(s)) ==
 * normalize(s)}.
 */
public final class TextNormalizer {
  private TextNormalizer() {}

  /** Returns the normalized form of {@code text}. */
  public static String normalize(String text) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(nfc.length());
    int blankLines = 0;
    StringBuilder line = new StringBuilder();
    int i = 0;
    int n = nfc.length();
    while (i <= n) {
      int c = i < n ? nfc.codePointAt(i) : '\n';
      i += i < n ? Character.charCount(c) : 1;
      if (c == '\r') {
        // CR LF is one break; a lone CR is a break too.
        if (i < n && nfc.charAt(i) == '\n') {
          i++;
        }
        c = '\n';
      } else if (c == 0x85 || c == 0x2028 || c == 0x2029) {
        c = '\n';
      }
      if (c == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == ' ') {
          line.setLength(end - 1);
        }
        if (line.length() == 0) {
          blankLines++;
        } else {
          if (out.length() > 0) {
            out.append(blankLines > 0 ? "\n\n" : "\n");
          }
          out.append(line);
          blankLines = 0;
          line.setLength(0);
        }
        continue;
      }
      if (c == '\t' || Character.isSpaceChar(c) || Character.isWhitespace(c)) {
        if (line.length() > 0 && line.charAt(line.length() - 1) != ' ') {
          line.append(' ');
        }
        continue;
      }
      int type = Character.getType(c);
      if (type == Character.CONTROL || type == Character.FORMAT) {
        continue;
      }
      line.appendCodePoint(c);
    }
    // Removing format characters can bring a base letter and a combining mark together; compose
    // again so the result is NFC and a second pass changes nothing.
    return Normalizer.normalize(out, Normalizer.Form.NFC);
  }
}
