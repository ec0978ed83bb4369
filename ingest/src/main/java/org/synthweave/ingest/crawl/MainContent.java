package org.synthweave.ingest.crawl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

/**
 * Finds the element that holds a page's main content, the way Mozilla Readability does (its {@code
 * grabArticle} and {@code prepArticle}, version 0.6): paragraphs score their parent and, less,
 * their further ancestors (a point, plus one per comma, plus one per 100 characters up to three);
 * class and id names that say "comment", "sidebar", "share"... lower a score and "article",
 * "content", "post"... raise it; each candidate's score is scaled by one minus its link density;
 * the best candidate and those of its siblings that score at least a fifth as well (or are plain
 * prose paragraphs) form the article, which is then cleaned of link-dense or list-heavy parts. An
 * attempt whose article has fewer than {@value #MIN_ARTICLE_CHARS} characters is repeated with the
 * class-name rules and the cleaning switched off one after the other, as Readability does. The
 * first {@code h1} or {@code h2} that repeats the page's title is left out, as Readability leaves
 * it out: the document's title field carries it.
 *
 * <p>{@link HtmlExtractor} then cuts the article into blocks as it does a whole page. When no
 * attempt reaches {@value #MIN_ARTICLE_CHARS} characters (a short page, or one that is all
 * navigation), it returns nothing and the extractor keeps the whole page: short pages keep their
 * recall.
 *
 * <p>The algorithm and its class-name and word lists are Mozilla Readability's (Apache License 2.0,
 * github.com/mozilla/readability), re-implemented on jsoup; {@code bench extract} compares the two
 * on the same pages.
 */
final class MainContent {
  /** Characters an article needs before the search for it stops relaxing its rules. */
  static final int MIN_ARTICLE_CHARS = 500;

  /**
   * Pages nested deeper than this are taken whole. Text is measured in one pass ({@link
   * TextIndex}), but some steps still walk an element's ancestors (is it inside a table, a figure?)
   * and cleaning measures an ancestor again after each removal below it: linear for real pages (a
   * few dozen levels), quadratic in the depth of a hostile one. The deepest page of `bench extract`
   * has 22 levels.
   */
  static final int MAX_DEPTH = 256;

  private MainContent() {}

  private static boolean deeperThan(Document page, int max) {
    boolean[] deep = {false};
    NodeTraversor.filter(
        new NodeFilter() {
          @Override
          public FilterResult head(Node node, int depth) {
            if (depth > max) {
              deep[0] = true;
              return FilterResult.STOP;
            }
            return FilterResult.CONTINUE;
          }

          @Override
          public FilterResult tail(Node node, int depth) {
            return FilterResult.CONTINUE;
          }
        },
        page);
    return deep[0];
  }

  private static final Pattern UNLIKELY =
      Pattern.compile(
          "-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer"
              + "|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper"
              + "|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup"
              + "|yom-remote",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern MAYBE_CANDIDATE =
      Pattern.compile(
          "and|article|body|column|content|main|mathjax|shadow", Pattern.CASE_INSENSITIVE);
  private static final Pattern POSITIVE =
      Pattern.compile(
          "article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern NEGATIVE =
      Pattern.compile(
          "-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr"
              + "|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar"
              + "|skyscraper|sponsor|shopping|tags|widget",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern BYLINE =
      Pattern.compile("byline|author|dateline|writtenby|p-author", Pattern.CASE_INSENSITIVE);
  private static final Pattern SHARE =
      Pattern.compile("(\\b|_)(share|sharedaddy)(\\b|_)", Pattern.CASE_INSENSITIVE);
  private static final Pattern SENTENCE_END = Pattern.compile("\\.( |$)");
  private static final Pattern AD_OR_LOADING =
      Pattern.compile(
          "^(ad(vertising|vertisement)?|pub(licité)?|werb(ung)?|广告|Реклама|Anuncio"
              + "|(loading|正在加载|Загрузка|chargement|cargando)(…|\\.\\.\\.)?)$",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  /** Longer than any word {@link #AD_OR_LOADING} matches. */
  private static final int AD_OR_LOADING_MAX_CHARS = 32;

  private static final Pattern DISPLAY_NONE =
      Pattern.compile("(display\\s*:\\s*none|visibility\\s*:\\s*hidden)", Pattern.CASE_INSENSITIVE);

  private static final Set<String> UNLIKELY_ROLES =
      Set.of("menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog");
  private static final Set<String> TAGS_TO_SCORE =
      Set.of("section", "h2", "h3", "h4", "h5", "h6", "p", "td", "pre");
  private static final Set<String> DIV_TO_P =
      Set.of("blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul");
  private static final Set<String> PHRASING =
      Set.of(
          "abbr",
          "audio",
          "b",
          "bdo",
          "br",
          "button",
          "cite",
          "code",
          "data",
          "datalist",
          "dfn",
          "em",
          "embed",
          "i",
          "img",
          "input",
          "kbd",
          "label",
          "mark",
          "math",
          "meter",
          "noscript",
          "object",
          "output",
          "progress",
          "q",
          "ruby",
          "samp",
          "script",
          "select",
          "small",
          "span",
          "strong",
          "sub",
          "sup",
          "textarea",
          "time",
          "var",
          "wbr");
  private static final Set<String> PHRASING_IF_CHILDREN_ARE = Set.of("a", "del", "ins");
  private static final Set<String> EMPTY_REMOVABLE =
      Set.of("div", "section", "header", "h1", "h2", "h3", "h4", "h5", "h6");

  /** Which of Readability's rules an attempt applies; later attempts switch them off. */
  private record Flags(boolean stripUnlikely, boolean weightClasses, boolean cleanConditionally) {}

  private static final List<Flags> ATTEMPTS =
      List.of(
          new Flags(true, true, true),
          new Flags(false, true, true),
          new Flags(false, false, true),
          new Flags(false, false, false));

  /**
   * The main content of {@code page} as a detached element, or null when no attempt finds {@value
   * #MIN_ARTICLE_CHARS} characters of it. {@code page} is not changed (each attempt works on a
   * copy).
   */
  static Element find(Document page) {
    if (deeperThan(page, MAX_DEPTH)) {
      return null;
    }
    for (Flags flags : ATTEMPTS) {
      Element article = new Attempt(page.clone(), flags).run();
      if (article != null && innerText(article).length() >= MIN_ARTICLE_CHARS) {
        return article;
      }
    }
    return null;
  }

  /** One run of the search on its own copy of the page. */
  private static final class Attempt {
    private final Document doc;
    private final Flags flags;
    private final Map<Element, Double> scores = new IdentityHashMap<>();
    private final Set<Element> dataTables = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Text measures of the pruned page: scoring and sibling gathering do not change the tree. */
    private TextIndex pageText;

    /** Text measures of the article while it is cleaned; null after a change it did not follow. */
    private TextIndex articleText;

    Attempt(Document doc, Flags flags) {
      this.doc = doc;
      this.flags = flags;
    }

    Element run() {
      Element body = doc.body();
      if (body == null) {
        return null;
      }
      List<Element> toScore = prune(body);
      pageText = new TextIndex(Set.of()).add(body);
      List<Element> candidates = score(toScore);
      Element top = topCandidate(body, candidates);
      Element article = gatherSiblings(top);
      prepare(article);
      return article;
    }

    /** Drops hidden, byline and unlikely elements and collects the elements to score. */
    private List<Element> prune(Element body) {
      List<Element> toScore = new ArrayList<>();
      boolean bylineSeen = false;
      boolean titleHeadingSeen = false;
      List<String> titleWords = words(doc.title());
      Deque<Element> stack = new ArrayDeque<>();
      pushChildren(stack, body);
      while (!stack.isEmpty()) {
        Element node = stack.pop();
        String tag = node.normalName();
        String match = node.className() + " " + node.id();
        if (!probablyVisible(node)) {
          node.remove();
          continue;
        }
        if (!bylineSeen && isByline(node, match)) {
          bylineSeen = true;
          node.remove();
          continue;
        }
        if (!titleHeadingSeen
            && (tag.equals("h1") || tag.equals("h2"))
            && repeatsTitle(titleWords, innerText(node))) {
          // The page's title, which the document carries in its own field.
          titleHeadingSeen = true;
          node.remove();
          continue;
        }
        if (flags.stripUnlikely()) {
          if (UNLIKELY.matcher(match).find()
              && !MAYBE_CANDIDATE.matcher(match).find()
              && !hasAncestor(node, "table")
              && !hasAncestor(node, "code")
              && !tag.equals("body")
              && !tag.equals("a")) {
            node.remove();
            continue;
          }
          if (UNLIKELY_ROLES.contains(node.attr("role").toLowerCase(Locale.ROOT))) {
            node.remove();
            continue;
          }
        }
        if (EMPTY_REMOVABLE.contains(tag) && withoutContent(node)) {
          node.remove();
          continue;
        }
        if (TAGS_TO_SCORE.contains(tag)) {
          toScore.add(node);
        }
        if (tag.equals("div")) {
          wrapPhrasingRuns(node);
          if (singleChildTag(node, "p") && linkDensity(node) < 0.25) {
            Element p = node.child(0);
            node.replaceWith(p);
            node = p;
            toScore.add(p);
          } else if (!hasBlockDescendant(node)) {
            node.tagName("p");
            toScore.add(node);
          }
        }
        pushChildren(stack, node);
      }
      return toScore;
    }

    /** Scores the ancestors of every paragraph-like element; returns them in first-seen order. */
    private List<Element> score(List<Element> toScore) {
      List<Element> candidates = new ArrayList<>();
      for (Element e : toScore) {
        if (e.parent() == null) {
          continue;
        }
        TextIndex.Stats text = pageText.of(e);
        if (text.length() < 25) {
          continue;
        }
        List<Element> ancestors = ancestors(e, 5);
        if (ancestors.isEmpty()) {
          continue;
        }
        // One point, one per comma-separated part, one per 100 characters up to three.
        double points = 1 + (text.commas() + 1) + Math.min(text.length() / 100, 3);
        for (int level = 0; level < ancestors.size(); level++) {
          Element a = ancestors.get(level);
          if (a.parent() == null || a.parent() instanceof Document) {
            continue;
          }
          if (!scores.containsKey(a)) {
            scores.put(a, initialScore(a));
            candidates.add(a);
          }
          double divider = level == 0 ? 1 : level == 1 ? 2 : level * 3;
          scores.merge(a, points / divider, Double::sum);
        }
      }
      return candidates;
    }

    private Element topCandidate(Element body, List<Element> candidates) {
      List<Element> top = new ArrayList<>();
      for (Element c : candidates) {
        double s = scores.get(c) * (1 - pageText.of(c).linkDensity());
        scores.put(c, s);
        int i = 0;
        while (i < top.size() && scores.get(top.get(i)) >= s) {
          i++;
        }
        if (i < 5) {
          top.add(i, c);
          if (top.size() > 5) {
            top.remove(5);
          }
        }
      }
      Element best = top.isEmpty() ? null : top.get(0);
      if (best == null || best.normalName().equals("body")) {
        Element all = new Element("div");
        for (Node child : new ArrayList<>(body.childNodes())) {
          all.appendChild(child);
        }
        body.appendChild(all);
        scores.put(all, initialScore(all));
        return all;
      }
      best = commonAncestorOfAlternatives(best, top);
      best = betterParent(best);
      Element parent = best.parent();
      while (parent != null && !parent.normalName().equals("body") && parent.childrenSize() == 1) {
        best = parent;
        parent = best.parent();
      }
      scores.putIfAbsent(best, initialScore(best));
      return best;
    }

    /** When 3+ near-as-good candidates share an ancestor with the best, that ancestor wins. */
    private Element commonAncestorOfAlternatives(Element best, List<Element> top) {
      double bestScore = scores.get(best);
      List<List<Element>> alternatives = new ArrayList<>();
      for (int i = 1; i < top.size(); i++) {
        if (scores.get(top.get(i)) / bestScore >= 0.75) {
          alternatives.add(ancestors(top.get(i), 0));
        }
      }
      if (alternatives.size() < 3) {
        return best;
      }
      for (Element p = best.parent(); p != null && !p.normalName().equals("body"); p = p.parent()) {
        int containing = 0;
        for (List<Element> list : alternatives) {
          if (containsIdentity(list, p)) {
            containing++;
          }
        }
        if (containing >= 3) {
          scores.putIfAbsent(p, initialScore(p));
          return p;
        }
      }
      return best;
    }

    /** Walks up while the parents keep a third of the score, to a parent that scores higher. */
    private Element betterParent(Element best) {
      double last = scores.get(best);
      double threshold = last / 3;
      for (Element p = best.parent(); p != null && !p.normalName().equals("body"); p = p.parent()) {
        Double s = scores.get(p);
        if (s == null) {
          continue;
        }
        if (s < threshold) {
          break;
        }
        if (s > last) {
          return p;
        }
        last = s;
      }
      return best;
    }

    private Element gatherSiblings(Element top) {
      Element article = new Element("div");
      double topScore = scores.getOrDefault(top, 0.0);
      double threshold = Math.max(10, topScore * 0.2);
      Element parent = top.parent();
      if (parent == null) {
        article.appendChild(top);
        return article;
      }
      for (Element sibling : new ArrayList<>(parent.children())) {
        boolean append = sibling == top;
        if (!append) {
          double bonus =
              !top.className().isEmpty() && sibling.className().equals(top.className())
                  ? topScore * 0.2
                  : 0;
          Double s = scores.get(sibling);
          if (s != null && s + bonus >= threshold) {
            append = true;
          } else if (sibling.normalName().equals("p")) {
            TextIndex.Stats text = pageText.of(sibling);
            double density = text.linkDensity();
            int len = text.length();
            append =
                (len > 80 && density < 0.25)
                    || (len < 80
                        && len > 0
                        && density == 0
                        && SENTENCE_END.matcher(pageText.text(sibling)).find());
          }
        }
        if (append) {
          article.appendChild(sibling);
        }
      }
      return article;
    }

    /** Readability's prepArticle, for what changes the text. */
    private void prepare(Element article) {
      for (Element t : article.select("table")) {
        if (isDataTable(t)) {
          dataTables.add(t);
        }
      }
      cleanConditionally(article, "form");
      cleanConditionally(article, "fieldset");
      articleText = null; // the removals below do not keep it up to date
      article.select("footer, aside, link").remove();
      for (Element child : new ArrayList<>(article.children())) {
        for (Element e : child.getAllElements()) {
          if (e != child
              && e.parent() != null
              && SHARE.matcher(e.className() + " " + e.id()).find()
              && e.text().length() < MIN_ARTICLE_CHARS) {
            e.remove();
          }
        }
      }
      for (Element h : article.select("h1, h2")) {
        if (classWeight(h) < 0) {
          h.remove();
        }
      }
      cleanConditionally(article, "table");
      cleanConditionally(article, "ul");
      cleanConditionally(article, "div");
    }

    private void cleanConditionally(Element article, String tag) {
      if (!flags.cleanConditionally()) {
        return;
      }
      List<Element> nodes = new ArrayList<>(article.getElementsByTag(tag));
      nodes.remove(article);
      if (nodes.isEmpty()) {
        return;
      }
      if (articleText == null) {
        articleText = new TextIndex(dataTables).add(article);
      }
      Collections.reverse(nodes); // innermost first, as Readability walks them
      for (Element node : nodes) {
        if (shouldRemove(node)) {
          articleText.removed(node);
          node.remove();
        }
      }
    }

    private boolean shouldRemove(Element node) {
      String tag = node.normalName();
      TextIndex.Stats text = articleText.of(node);
      int len = text.length();
      boolean isList = tag.equals("ul") || tag.equals("ol");
      if (!isList) {
        isList = len > 0 && (double) text.listChars() / len > 0.9;
      }
      if (tag.equals("table") && dataTables.contains(node)) {
        return false;
      }
      for (Element a = node.parent(); a != null; a = a.parent()) {
        if (a.normalName().equals("table") && dataTables.contains(a)
            || a.normalName().equals("code")) {
          return false;
        }
      }
      if (text.marked() > 0) { // a data table inside
        return false;
      }
      int weight = classWeight(node);
      if (weight < 0) {
        return true;
      }
      if (text.latinCommas() >= 10) {
        return false;
      }
      int p = text.paragraphs();
      int img = text.images();
      int li = text.listItems() - 100;
      int input = text.inputs();
      if (len <= AD_OR_LOADING_MAX_CHARS
          && AD_OR_LOADING.matcher(articleText.text(node)).matches()) {
        return true;
      }
      double headingDensity = text.headingDensity();
      double density = text.linkDensity();
      double textDensity = text.textishDensity();
      boolean inFigure = hasAncestor(node, "figure");
      boolean remove =
          (!inFigure && img > 1 && (double) p / img < 0.5)
              || (!isList && li > p)
              || (input > p / 3)
              || (!isList
                  && !inFigure
                  && headingDensity < 0.9
                  && len < 25
                  && (img == 0 || img > 2)
                  && density > 0)
              || (!isList && weight < 25 && density > 0.2)
              || (weight >= 25 && density > 0.5)
              || (img == 0 && textDensity == 0);
      if (isList && remove) {
        for (Element child : node.children()) {
          if (child.childrenSize() > 1) {
            return true;
          }
        }
        return text.images() != text.listItems();
      }
      return remove;
    }

    private double initialScore(Element e) {
      double s =
          switch (e.normalName()) {
            case "div" -> 5;
            case "pre", "td", "blockquote" -> 3;
            case "address", "ol", "ul", "dl", "dd", "dt", "li", "form" -> -3;
            case "h1", "h2", "h3", "h4", "h5", "h6", "th" -> -5;
            default -> 0;
          };
      return s + classWeight(e);
    }

    private int classWeight(Element e) {
      if (!flags.weightClasses()) {
        return 0;
      }
      int w = 0;
      String cls = e.className();
      if (!cls.isEmpty()) {
        w += NEGATIVE.matcher(cls).find() ? -25 : 0;
        w += POSITIVE.matcher(cls).find() ? 25 : 0;
      }
      String id = e.id();
      if (!id.isEmpty()) {
        w += NEGATIVE.matcher(id).find() ? -25 : 0;
        w += POSITIVE.matcher(id).find() ? 25 : 0;
      }
      return w;
    }
  }

  /** Pushes the child elements so that the first is on top (by index: no list of them is made). */
  private static void pushChildren(Deque<Element> stack, Element node) {
    for (int i = node.childNodeSize() - 1; i >= 0; i--) {
      if (node.childNode(i) instanceof Element child) {
        stack.push(child);
      }
    }
  }

  /** Readability's guess whether a table holds data (kept) or lays the page out. */
  private static boolean isDataTable(Element table) {
    if (table.attr("role").equals("presentation") || table.attr("datatable").equals("0")) {
      return false;
    }
    if (table.hasAttr("summary")) {
      return true;
    }
    Element caption = table.selectFirst("caption");
    if (caption != null && caption.childNodeSize() > 0) {
      return true;
    }
    if (!table.select("col, colgroup, tfoot, thead, th").isEmpty()) {
      return true;
    }
    if (table.getElementsByTag("table").size() > 1) {
      return false;
    }
    int rows = 0;
    int columns = 0;
    for (Element tr : table.getElementsByTag("tr")) {
      rows++;
      int cells = 0;
      for (Element td : tr.children()) {
        if (td.normalName().equals("td") || td.normalName().equals("th")) {
          cells += Math.max(1, parseIntOr(td.attr("colspan"), 1));
        }
      }
      columns = Math.max(columns, cells);
    }
    if (rows == 1 || columns == 1) {
      return false;
    }
    return rows >= 10 || columns > 4 || rows * columns > 10;
  }

  private static int parseIntOr(String s, int fallback) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static final Pattern NON_WORD = Pattern.compile("\\W+", Pattern.UNICODE_CHARACTER_CLASS);

  /**
   * Whether {@code heading} repeats the title: Readability's {@code _headerDuplicatesTitle}, which
   * drops the heading when more than three quarters of its characters (in words, joined by single
   * spaces) are words of the title.
   */
  static boolean repeatsTitle(List<String> titleWords, String heading) {
    List<String> words = words(heading);
    if (titleWords.isEmpty() || words.isEmpty()) {
      return false;
    }
    Set<String> title = Set.copyOf(titleWords);
    int all = words.size() - 1;
    int unique = -1;
    for (String w : words) {
      all += w.length();
      if (!title.contains(w)) {
        unique += w.length() + 1;
      }
    }
    double distance = Math.max(unique, 0) / (double) all;
    return 1 - distance > 0.75;
  }

  /** Lower-cased words (runs of letters, digits and underscores), as Readability tokenizes. */
  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String w : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  private static boolean probablyVisible(Element e) {
    return !DISPLAY_NONE.matcher(e.attr("style")).find()
        && !e.hasAttr("hidden")
        && !(e.attr("aria-hidden").equals("true") && !e.className().contains("fallback-image"));
  }

  private static boolean isByline(Element e, String match) {
    boolean marked =
        e.attr("rel").equals("author")
            || e.attr("itemprop").contains("author")
            || BYLINE.matcher(match).find();
    if (!marked) {
      return false;
    }
    String text = innerText(e);
    return !text.isEmpty() && text.length() < 100;
  }

  /** No text, and no child elements but line breaks and rules (children first: it is cheap). */
  private static boolean withoutContent(Element e) {
    for (Element child : e.children()) {
      String tag = child.normalName();
      if (!tag.equals("br") && !tag.equals("hr")) {
        return false;
      }
    }
    return e.text().isBlank();
  }

  /** Wraps each run of phrasing content directly inside {@code div} in a {@code p}. */
  private static void wrapPhrasingRuns(Element div) {
    Element p = null;
    for (Node child : new ArrayList<>(div.childNodes())) {
      if (isPhrasing(child)) {
        if (p != null) {
          p.appendChild(child);
        } else if (!isWhitespace(child)) {
          p = new Element("p");
          child.replaceWith(p);
          p.appendChild(child);
        }
      } else if (p != null) {
        while (p.childNodeSize() > 0 && isWhitespace(p.childNode(p.childNodeSize() - 1))) {
          p.childNode(p.childNodeSize() - 1).remove();
        }
        p = null;
      }
    }
  }

  /**
   * Text, a phrasing element, or an {@code a}/{@code del}/{@code ins} whose content is phrasing
   * (Readability's recursive rule, walked iteratively).
   */
  private static boolean isPhrasing(Node n) {
    if (n instanceof TextNode) {
      return true;
    }
    if (!(n instanceof Element e)) {
      return false;
    }
    String tag = e.normalName();
    if (PHRASING.contains(tag)) {
      return true;
    }
    if (!PHRASING_IF_CHILDREN_ARE.contains(tag)) {
      return false;
    }
    boolean[] phrasing = {true};
    NodeTraversor.filter(
        new NodeFilter() {
          @Override
          public FilterResult head(Node node, int depth) {
            if (node == e || !(node instanceof Element el)) {
              return FilterResult.CONTINUE;
            }
            String t = el.normalName();
            if (PHRASING.contains(t)) {
              return FilterResult.SKIP_CHILDREN;
            }
            if (PHRASING_IF_CHILDREN_ARE.contains(t)) {
              return FilterResult.CONTINUE;
            }
            phrasing[0] = false;
            return FilterResult.STOP;
          }

          @Override
          public FilterResult tail(Node node, int depth) {
            return FilterResult.CONTINUE;
          }
        },
        e);
    return phrasing[0];
  }

  private static boolean isWhitespace(Node n) {
    return n instanceof TextNode t
        ? t.isBlank()
        : n instanceof Element e && e.normalName().equals("br");
  }

  private static boolean singleChildTag(Element e, String tag) {
    if (e.childrenSize() != 1 || !e.child(0).normalName().equals(tag)) {
      return false;
    }
    for (Node n : e.childNodes()) {
      if (n instanceof TextNode t && !t.isBlank()) {
        return false;
      }
    }
    return true;
  }

  /** Iterative, like every walk here: a page may nest elements deeper than the stack allows. */
  private static boolean hasBlockDescendant(Element e) {
    boolean[] found = {false};
    NodeTraversor.filter(
        new NodeFilter() {
          @Override
          public FilterResult head(Node node, int depth) {
            if (node != e && node instanceof Element el && DIV_TO_P.contains(el.normalName())) {
              found[0] = true;
              return FilterResult.STOP;
            }
            return FilterResult.CONTINUE;
          }

          @Override
          public FilterResult tail(Node node, int depth) {
            return FilterResult.CONTINUE;
          }
        },
        e);
    return found[0];
  }

  private static boolean hasAncestor(Element e, String tag) {
    for (Element a = e.parent(); a != null; a = a.parent()) {
      if (a.normalName().equals(tag)) {
        return true;
      }
    }
    return false;
  }

  /** Parent, grandparent, ... up to {@code max} levels ({@code 0}: all). */
  private static List<Element> ancestors(Element e, int max) {
    List<Element> out = new ArrayList<>();
    for (Element a = e.parent(); a != null && (max == 0 || out.size() < max); a = a.parent()) {
      out.add(a);
    }
    return out;
  }

  private static boolean containsIdentity(List<Element> list, Element e) {
    for (Element x : list) {
      if (x == e) {
        return true;
      }
    }
    return false;
  }

  static String innerText(Element e) {
    return e.text().strip();
  }

  /** Characters inside links over all characters; in-page links count 0.3. */
  private static double linkDensity(Element e) {
    int len = innerText(e).length();
    if (len == 0) {
      return 0;
    }
    double links = 0;
    for (Element a : e.getElementsByTag("a")) {
      double coefficient = a.attr("href").startsWith("#") ? 0.3 : 1;
      links += innerText(a).length() * coefficient;
    }
    return links / len;
  }
}
