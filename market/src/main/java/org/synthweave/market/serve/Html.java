package org.synthweave.market.serve;

/**
 * The one HTML escaper of the market pages, for element text and quoted attribute values alike:
 * every listing text is untrusted, so nothing reaches a page without passing through {@link
 * #escape}. Control characters other than tab and line breaks are dropped, since HTML forbids them
 * and a browser may render them as anything.
 */
final class Html {
  private Html() {}

  /**
   * {@code s} with {@code & < > " '} replaced by character references and C0/C1 control characters
   * (except tab, line feed, carriage return) removed; {@code ""} for null. Safe inside element text
   * and inside single- or double-quoted attribute values.
   */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (c == '\t' || c == '\n' || c == '\r' || !(c < 0x20 || (c >= 0x7f && c <= 0x9f))) {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
