package org.synthweave.notebook;

import java.util.List;

/**
 * Small HTML pieces for notebook output: the rapaio kernel shows a string as HTML with {@code
 * display("text/html", html)}. Every value is escaped, since table cells hold crawled text and
 * listings hold publishers' text.
 */
public final class Html {
  /** Characters of a cell shown at most; the rest is cut with an ellipsis. */
  public static final int MAX_CELL = 160;

  private Html() {}

  /** A table with a header row; {@code caption} (may be null) goes above it. */
  public static String table(String caption, List<String> header, List<List<String>> rows) {
    StringBuilder sb = new StringBuilder("<table class=\"synthweave\">");
    if (caption != null && !caption.isBlank()) {
      sb.append("<caption style=\"text-align:left\">").append(escape(caption)).append("</caption>");
    }
    sb.append("<thead><tr>");
    for (String h : header) {
      sb.append("<th>").append(escape(h)).append("</th>");
    }
    sb.append("</tr></thead><tbody>");
    for (List<String> r : rows) {
      sb.append("<tr>");
      for (String c : r) {
        sb.append("<td>").append(c == null ? "<i>null</i>" : escape(cut(c))).append("</td>");
      }
      sb.append("</tr>");
    }
    return sb.append("</tbody></table>").toString();
  }

  /** {@code s} safe inside HTML text and attribute values. */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String cut(String s) {
    String flat = s.replaceAll("[\\p{Cc}\\p{Cf}\\s]+", " ").strip();
    return flat.length() <= MAX_CELL ? flat : flat.substring(0, MAX_CELL - 1) + "…";
  }
}
