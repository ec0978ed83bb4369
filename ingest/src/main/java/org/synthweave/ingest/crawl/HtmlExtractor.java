package org.synthweave.ingest.crawl;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

/**
 * Main-text extraction from HTML bytes with jsoup.
 *
 * <p>Charset: a byte order mark wins, then the HTTP Content-Type charset ({@code charsetHint}),
 * then the first {@code <meta charset>} or {@code http-equiv} Content-Type in the first {@value
 * Charsets#META_PRESCAN_BYTES} bytes, then UTF-8. Decoding is strict: bytes that are invalid in the
 * chosen charset raise {@link CrawlRejectReason#INVALID_ENCODING} instead of becoming U+FFFD, so a
 * mislabelled page is quarantined rather than indexed as mojibake.
 *
 * <p>Boilerplate: elements that never hold main text (script, style, noscript, nav, footer, aside,
 * iframe, form controls, ...) are removed first. {@code <header>} stays for the main-content
 * search, because articles put their introduction in one (the search drops site headers by their
 * scores and class names, as Readability does); it is removed when the page is taken whole. {@code
 * <form>} itself stays, because ASP.NET and many older sites wrap the whole page in one; a search
 * or login form has almost no text once its controls are gone. Permalink markers (an in-page {@code
 * <a href="#...">} whose text is one symbol, like Sphinx's pilcrow) are removed too.
 *
 * <p>Main content: {@link MainContent} then looks for the element that holds the article, as
 * Mozilla Readability does (paragraph scores given to ancestors, class and id hints, link density,
 * siblings, conditional cleaning). Blocks outside it (related stories, comments, sidebars written
 * as prose, bylines, share bars) are left out; that is what lifts precision. A page with less than
 * {@value MainContent#MIN_ARTICLE_CHARS} characters of article is taken whole.
 *
 * <p>Blocks: the main content (or the whole page) is cut into blocks at block-level elements
 * (paragraphs, headings, list items, table rows, pre). On a page taken whole, a block is dropped
 * when its link density — non-space characters inside {@code <a>} divided by all its non-space
 * characters — exceeds {@link #DEFAULT_MAX_LINK_DENSITY}; this is the link-density rule of
 * Boilerpipe (Kohlschütter et al., WSDM 2010) and jusText (Pomikálek 2011) without their learned or
 * context-heavy parts, and a heading whose section holds only dropped blocks is dropped too, since
 * it titles a menu ("Next topic"). Inside the main content no block is dropped for its links: the
 * search already weighed them per container.
 *
 * <p>Thread-safe and stateless.
 */
public final class HtmlExtractor {
  private HtmlExtractor() {}

  /**
   * Blocks with more than half of their text in links are menus, link lists or tag clouds. Half is
   * looser than jusText's 0.2 because reference pages (such as the Python docs) link every API name
   * in running text, and such paragraphs are content.
   */
  public static final double DEFAULT_MAX_LINK_DENSITY = 0.5;

  private static final String REMOVED =
      "script, style, noscript, nav, footer, aside, iframe, svg, template, object, embed,"
          + " input, button, select, textarea, [role=navigation], [hidden]";

  private static final Set<String> BLOCK_TAGS =
      Set.of(
          "p",
          "div",
          "h1",
          "h2",
          "h3",
          "h4",
          "h5",
          "h6",
          "li",
          "ul",
          "ol",
          "dl",
          "dt",
          "dd",
          "blockquote",
          "table",
          "tr",
          "thead",
          "tbody",
          "tfoot",
          "caption",
          "section",
          "article",
          "main",
          "figure",
          "figcaption",
          "address",
          "hr",
          "body",
          "center",
          "details",
          "summary",
          "fieldset",
          "legend");

  /** Blocks that are lines of a list or table: one newline between them, not a blank line. */
  private static final Set<String> LINE_TAGS = Set.of("li", "dt", "dd", "tr");

  private static final Set<String> HEADING_TAGS = Set.of("h1", "h2", "h3", "h4", "h5", "h6");

  /**
   * Extracts title and main text from {@code html}.
   *
   * @param html raw page bytes
   * @param charsetHint charset from the HTTP Content-Type, or null
   * @param url base URL for the page (only used by jsoup for relative links), or null
   * @throws CrawlContentException {@link CrawlRejectReason#INVALID_ENCODING} when the bytes are not
   *     valid in the chosen charset
   */
  public static ExtractedDocument extract(byte[] html, String charsetHint, String url)
      throws CrawlContentException {
    if (html == null) {
      throw new IllegalArgumentException("html must not be null");
    }
    Charset charset = chooseCharset(html, charsetHint);
    String decoded = Charsets.decodeStrictly(html, charset);
    return extract(decoded, url);
  }

  /** Extracts title and main text from an already decoded page (e.g. a JSONL {@code html}). */
  public static ExtractedDocument extract(String html, String url) {
    if (html == null) {
      throw new IllegalArgumentException("html must not be null");
    }
    Document doc = Jsoup.parse(html, url == null ? "" : url);
    String title = doc.title().strip();
    doc.select(REMOVED).remove();
    for (Element anchor : doc.select("a[href^=#]")) {
      String text = anchor.text().strip();
      if (text.codePointCount(0, text.length()) == 1
          && !Character.isLetterOrDigit(text.codePointAt(0))) {
        anchor.remove();
      }
    }
    Element main = MainContent.find(doc);
    // The article (if any) is a detached copy; on the page itself headers are site chrome, both
    // for a page taken whole and for the <h1> that stands in for a missing title.
    doc.select("header").remove();
    if (title.isEmpty()) {
      Element h1 = doc.selectFirst("h1");
      title = h1 == null ? "" : h1.text().strip();
    }
    // Inside the main content, MainContent's cleaning has already weighed link density (per
    // container, as Readability does); dropping link-dense blocks there again cut credits, "see
    // also" lists and reference links that belong to the article.
    BlockCollector collector = new BlockCollector(main != null ? 1 : DEFAULT_MAX_LINK_DENSITY);
    Element root = main != null ? main : doc.body() != null ? doc.body() : doc;
    NodeTraversor.filter(collector, root);
    collector.flush();
    return new ExtractedDocument(title.isEmpty() ? null : title, collector.join());
  }

  /** The charset {@link #extract(byte[], String, String)} decodes {@code html} with. */
  public static Charset chooseCharset(byte[] html, String charsetHint) {
    return Charsets.fromBom(html)
        .or(() -> Charsets.forLabel(charsetHint))
        .or(() -> Charsets.metaCharset(html).flatMap(Charsets::forLabel))
        .orElse(StandardCharsets.UTF_8);
  }

  private record Block(String tag, String text, boolean kept) {}

  /** Cuts the body into blocks and scores each by link density. */
  private static final class BlockCollector implements NodeFilter {
    private final List<Block> blocks = new ArrayList<>();
    private final double maxLinkDensity;

    BlockCollector(double maxLinkDensity) {
      this.maxLinkDensity = maxLinkDensity;
    }

    private final Deque<String> openBlocks = new ArrayDeque<>();
    private final StringBuilder current = new StringBuilder();
    private int textChars;
    private int linkChars;
    private int anchorDepth;

    @Override
    public FilterResult head(Node node, int depth) {
      if (node instanceof TextNode text) {
        append(text.getWholeText());
      } else if (node instanceof Element element) {
        String tag = element.normalName();
        switch (tag) {
          case "pre" -> {
            // Whitespace is meaning in code: keep the block verbatim.
            flush();
            String pre = element.wholeText();
            int links = nonSpace(element.select("a").text());
            addBlock("pre", pre.strip(), nonSpace(pre), links);
            return FilterResult.SKIP_ENTIRELY;
          }
          case "br" -> current.append('\n');
          case "a" -> anchorDepth++;
          case "td", "th" -> current.append(' ');
          default -> {}
        }
        if (BLOCK_TAGS.contains(tag)) {
          flush();
          openBlocks.push(tag);
        }
      }
      return FilterResult.CONTINUE;
    }

    @Override
    public FilterResult tail(Node node, int depth) {
      if (node instanceof Element element) {
        String tag = element.normalName();
        if (tag.equals("a")) {
          anchorDepth--;
        } else if (tag.equals("td") || tag.equals("th")) {
          current.append(' ');
        }
        if (BLOCK_TAGS.contains(tag)) {
          flush();
          openBlocks.pop();
        }
      }
      return FilterResult.CONTINUE;
    }

    private void append(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (Character.isWhitespace(c)) {
          // HTML collapses whitespace runs to one space; explicit <br> newlines stay.
          int last = current.length() - 1;
          if (last >= 0 && current.charAt(last) != ' ' && current.charAt(last) != '\n') {
            current.append(' ');
          }
        } else {
          current.append(c);
          textChars++;
          if (anchorDepth > 0) {
            linkChars++;
          }
        }
      }
    }

    void flush() {
      String text = current.toString().strip();
      if (!text.isEmpty()) {
        addBlock(openBlocks.isEmpty() ? "body" : openBlocks.peek(), text, textChars, linkChars);
      }
      current.setLength(0);
      textChars = 0;
      linkChars = 0;
    }

    private void addBlock(String tag, String text, int chars, int links) {
      if (text.isEmpty()) {
        return;
      }
      boolean kept = chars == 0 || (double) links / chars <= maxLinkDensity;
      blocks.add(new Block(tag, text, kept));
    }

    String join() {
      StringBuilder out = new StringBuilder();
      String previousTag = null;
      for (int i = 0; i < blocks.size(); i++) {
        Block block = blocks.get(i);
        if (!block.kept() || (HEADING_TAGS.contains(block.tag()) && titlesOnlyMenus(i))) {
          continue;
        }
        if (previousTag != null) {
          boolean lines = LINE_TAGS.contains(previousTag) && LINE_TAGS.contains(block.tag());
          out.append(lines ? "\n" : "\n\n");
        }
        out.append(block.text());
        previousTag = block.tag();
      }
      return out.toString();
    }

    /** Whether the section after heading {@code i} has dropped blocks and no kept text. */
    private boolean titlesOnlyMenus(int i) {
      boolean sawDropped = false;
      for (int j = i + 1; j < blocks.size(); j++) {
        Block next = blocks.get(j);
        if (HEADING_TAGS.contains(next.tag())) {
          break;
        }
        if (next.kept()) {
          return false;
        }
        sawDropped = true;
      }
      return sawDropped;
    }

    private static int nonSpace(String s) {
      int n = 0;
      for (int i = 0; i < s.length(); i++) {
        if (!Character.isWhitespace(s.charAt(i))) {
          n++;
        }
      }
      return n;
    }
  }
}
