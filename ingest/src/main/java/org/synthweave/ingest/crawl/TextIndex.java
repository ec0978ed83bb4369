package org.synthweave.ingest.crawl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.internal.StringUtil;
import org.jsoup.nodes.CDataNode;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.Tag;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The text measures {@link MainContent} asks of every element — the length of its text, the commas
 * in it, the characters inside its links, inside its list, heading and text-holding descendants,
 * and how many paragraphs, images, list items and inputs it holds — gathered for a whole subtree in
 * one bottom-up pass instead of reading each element's text again for each ancestor that is scored.
 *
 * <p>"Text" is exactly {@code element.text().strip()} of jsoup: the pass builds the text of the
 * root once, the way {@link Element#text()} does, and records where each element's part of it
 * begins and ends. An element's own {@code text()} differs from its part only by whitespace at the
 * two ends (the separators jsoup adds before and after blocks depend on what precedes them), which
 * the strip removes; {@code TextIndexTest} checks this on every element of the committed sample
 * pages.
 *
 * <p>The measures hold until the tree changes. {@link #removed} forgets the ancestors of a removed
 * element (their text changed; nothing else's did), and an element the index does not know is
 * measured with a pass over its own subtree.
 */
final class TextIndex {
  /** Measures of one element; counts and sums include the element itself unless said otherwise. */
  static final class Stats {
    /** The text of the pass that measured this element; its own is {@code [start, end)}. */
    private String source;

    private int start;
    private int end;
    private int length;
    private int commas;
    private int latinCommas;
    private int linkChars;
    private int inPageLinkChars;

    /** Characters of descendants (not the element) whose tag is in {@link #TEXTISH}. */
    private int textishChars;

    /** Characters of descendant headings. */
    private int headingChars;

    /** Characters of descendant lists ({@code ul}, {@code ol}). */
    private int listChars;

    private int paragraphs;
    private int images;
    private int listItems;
    private int inputs;
    private int marked;

    int length() {
      return length;
    }

    /** Characters of Readability's comma set (Latin, Arabic, CJK... commas). */
    int commas() {
      return commas;
    }

    /** Latin commas ({@code ,}) only. */
    int latinCommas() {
      return latinCommas;
    }

    /** Characters inside links over all characters; in-page links ({@code #...}) count 0.3. */
    double linkDensity() {
      return length == 0 ? 0 : (linkChars + inPageLinkChars * 0.3) / length;
    }

    double textishDensity() {
      return length == 0 ? 0 : (double) textishChars / length;
    }

    double headingDensity() {
      return length == 0 ? 0 : (double) headingChars / length;
    }

    int listChars() {
      return listChars;
    }

    int paragraphs() {
      return paragraphs;
    }

    int images() {
      return images;
    }

    int listItems() {
      return listItems;
    }

    int inputs() {
      return inputs;
    }

    /** Elements of the subtree (itself included) in the set given to the index. */
    int marked() {
      return marked;
    }
  }

  static final Set<String> TEXTISH =
      Set.of("span", "li", "td", "blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul");
  private static final Set<String> HEADINGS = Set.of("h1", "h2", "h3", "h4", "h5", "h6");

  private final Set<Element> marks;
  private final Map<Element, Stats> stats = new IdentityHashMap<>();

  /**
   * An index that measures elements on demand; {@code marks} are elements to count in {@link
   * Stats#marked()} (data tables, say), compared by identity.
   */
  TextIndex(Set<Element> marks) {
    this.marks = marks;
  }

  /** Measures {@code root} and everything under it in one pass. */
  TextIndex add(Element root) {
    Pass pass = new Pass();
    NodeTraversor.traverse(pass, root);
    String text = pass.text.toString();
    for (Stats s : pass.measured) {
      s.source = text;
    }
    return this;
  }

  /** The measures of {@code e}: from the last pass over it, or from a new pass over its subtree. */
  Stats of(Element e) {
    Stats s = stats.get(e);
    if (s == null) {
      add(e);
      s = stats.get(e);
    }
    return s;
  }

  /** {@code e.text().strip()}. */
  String text(Element e) {
    Stats s = of(e);
    return s.source.substring(s.start, s.end);
  }

  /**
   * Call before {@code e} is removed from the tree: its ancestors' measures are forgotten (the next
   * question about one measures it anew).
   */
  void removed(Element e) {
    for (Element a = e.parent(); a != null; a = a.parent()) {
      stats.remove(a);
    }
  }

  /**
   * Builds the text as {@link Element#text()} does (jsoup 1.24: a space before a block, a line
   * break or a non-empty text boundary, a space after a block followed by text or an inline
   * element, whitespace normalised outside preformatted elements) and measures each element on its
   * way out.
   */
  private final class Pass implements NodeVisitor {
    final StringBuilder text = new StringBuilder();
    final Deque<Stats> open = new ArrayDeque<>();
    final List<Stats> measured = new ArrayList<>();
    private int commas;
    private int latinCommas;

    @Override
    public void head(Node node, int depth) {
      if (node instanceof TextNode t) {
        int from = text.length();
        if (preserveWhitespace(t.parent()) || t instanceof CDataNode) {
          text.append(t.getWholeText());
        } else {
          StringUtil.appendNormalisedWhitespace(text, t.getWholeText(), lastCharIsSpace());
        }
        for (int i = from; i < text.length(); i++) {
          char c = text.charAt(i);
          if (c == ',') {
            latinCommas++;
          }
          if (isComma(c)) {
            commas++;
          }
        }
      } else if (node instanceof Element e) {
        Stats s = new Stats();
        s.start = text.length();
        s.commas = commas;
        s.latinCommas = latinCommas;
        open.push(s);
        if (text.length() > 0 && leadingSeparator(e) && !lastCharIsSpace()) {
          text.append(' ');
        }
      }
    }

    @Override
    public void tail(Node node, int depth) {
      if (!(node instanceof Element e)) {
        return;
      }
      Stats s = open.pop();
      int from = s.start;
      int to = text.length();
      // String.trim, then String.strip, as innerText does to text().
      while (from < to && text.charAt(from) <= ' ') {
        from++;
      }
      while (to > from && text.charAt(to - 1) <= ' ') {
        to--;
      }
      while (from < to && Character.isWhitespace(text.codePointAt(from))) {
        from += Character.charCount(text.codePointAt(from));
      }
      while (to > from && Character.isWhitespace(text.codePointBefore(to))) {
        to -= Character.charCount(text.codePointBefore(to));
      }
      s.start = from;
      s.end = to;
      s.length = to - from;
      s.commas = commas - s.commas;
      s.latinCommas = latinCommas - s.latinCommas;
      String tag = e.normalName();
      if (tag.equals("a")) {
        if (e.attr("href").startsWith("#")) {
          s.inPageLinkChars += s.length;
        } else {
          s.linkChars += s.length;
        }
      }
      s.paragraphs += tag.equals("p") ? 1 : 0;
      s.images += tag.equals("img") ? 1 : 0;
      s.listItems += tag.equals("li") ? 1 : 0;
      s.inputs += tag.equals("input") ? 1 : 0;
      s.marked += marks.contains(e) ? 1 : 0;
      Stats parent = open.peek();
      if (parent != null) {
        parent.linkChars += s.linkChars;
        parent.inPageLinkChars += s.inPageLinkChars;
        parent.textishChars += s.textishChars + (TEXTISH.contains(tag) ? s.length : 0);
        parent.headingChars += s.headingChars + (HEADINGS.contains(tag) ? s.length : 0);
        parent.listChars += s.listChars + (tag.equals("ul") || tag.equals("ol") ? s.length : 0);
        parent.paragraphs += s.paragraphs;
        parent.images += s.images;
        parent.listItems += s.listItems;
        parent.inputs += s.inputs;
        parent.marked += s.marked;
      }
      stats.put(e, s);
      measured.add(s);
      Node next = e.nextSibling();
      if (trailingSeparator(e)
          && (next instanceof TextNode || next instanceof Element n && n.tag().isInline())
          && !lastCharIsSpace()) {
        text.append(' ');
      }
    }

    private boolean lastCharIsSpace() {
      return text.length() != 0 && text.charAt(text.length() - 1) == ' ';
    }
  }

  private static boolean leadingSeparator(Element e) {
    return e.isBlock()
        || e.nameIs("br")
        || (e.tag().is(Tag.TextBoundary) && e.childNodeSize() > 0 && e.hasText());
  }

  private static boolean trailingSeparator(Element e) {
    if (e.tag().is(Tag.TextBoundary) || !e.tag().isInline()) {
      return true;
    }
    for (int i = 0; i < e.childNodeSize(); i++) {
      if (e.childNode(i) instanceof Element c && c.isBlock()) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code e} or one of its five nearest ancestors keeps whitespace (pre, textarea...). */
  private static boolean preserveWhitespace(Element e) {
    int level = 0;
    for (Element a = e; a != null && level < 6; a = a.parent(), level++) {
      if (a.tag().preserveWhitespace()) {
        return true;
      }
    }
    return false;
  }

  /** Readability's commas: Latin, Arabic, small and full-width forms, and the reversed ones. */
  static boolean isComma(char c) {
    return switch (c) {
      case '\u002C',
          '\u060C',
          '\uFE50',
          '\uFE10',
          '\uFE11',
          '\u2E41',
          '\u2E34',
          '\u2E32',
          '\uFF0C' ->
          true;
      default -> false;
    };
  }
}
