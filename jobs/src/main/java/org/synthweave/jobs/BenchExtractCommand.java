package org.synthweave.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.synthweave.ingest.bench.ExtractionBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synthweave bench extract}: see {@link ExtractionBench}. */
@Command(
    name = "extract",
    mixinStandardHelpOptions = true,
    description = {
      "Main-text extraction quality of our HtmlExtractor vs Mozilla Readability 0.6.0 (on jsdom,"
          + " through Node) on real pages with gold text: Readability's own test pages (split by"
          + " a hash of the name into the part our defaults were tuned on and a held-out part)"
          + " and goose's news fixtures (held out). Token precision, recall and F1, macro means"
          + " over all pages and over long pages ("
          + ExtractionBench.LONG_PAGE_TOKENS
          + "+ gold tokens), and CPU ms per page (least of --passes). A table on stderr, one JSON line on stdout."
          + " Fetches the pages with data/scripts/bench/fetch-extract-pages.sh and installs the"
          + " pinned npm packages with "
          + BenchExtractCommand.HARNESS
          + "/install.sh on first use."
    })
final class BenchExtractCommand implements Runnable {
  static final String HARNESS = "ingest/src/test/node/readability";
  private static final String FETCH = "data/scripts/bench/fetch-extract-pages.sh";

  @Spec CommandSpec spec;

  @Option(
      names = "--pages",
      paramLabel = "DIR",
      description = "The pages folder (default: data/bench/extract of this checkout).")
  Path pagesDir;

  @Option(
      names = "--node-dir",
      paramLabel = "DIR",
      description = "The Readability harness folder (default: " + HARNESS + " of this checkout).")
  Path nodeDir;

  @Option(
      names = "--passes",
      defaultValue = "3",
      description =
          "Timed passes over all pages; each page's CPU time is its least (default ${DEFAULT-VALUE}).")
  int passes;

  @Option(names = "--per-page", description = "Also print each page's scores (stderr).")
  boolean perPage;

  @Override
  public void run() {
    if (passes < 1) {
      throw JobErrors.atLeastOne("--passes", passes);
    }
    Path root = checkout();
    Path harness = nodeDir != null ? nodeDir : root.resolve(HARNESS);
    try {
      Path pages = pagesDir != null ? pagesDir : fetchedPages(root);
      List<ExtractionBench.Scored> scored =
          new ExtractionBench(pages, harness, BenchCommand.workDir("extract"), passes).run();
      Map<String, List<ExtractionBench.Scored>> groups = ExtractionBench.groups(scored);
      if (perPage) {
        System.err.print(ExtractionBench.perPage(scored));
      }
      System.err.print(ExtractionBench.table(groups));
      Map<String, Object> fig = new LinkedHashMap<>();
      fig.put("bench", "extract");
      fig.put("long_page_min_gold_tokens", ExtractionBench.LONG_PAGE_TOKENS);
      List<Map<String, Object>> sets = new ArrayList<>();
      groups.forEach((name, group) -> sets.add(ExtractionBench.figures(name, group)));
      fig.put("sets", sets);
      PrintWriter out = spec.commandLine().getOut();
      out.println(new ObjectMapper().writeValueAsString(fig));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("figures are plain values", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** data/bench/extract of the checkout, filled by the fetch script first if it is not yet. */
  private static Path fetchedPages(Path root) throws IOException, InterruptedException {
    Path dir = root.resolve("data/bench/extract");
    if (!Files.exists(dir.resolve(".complete"))) {
      Process p = new ProcessBuilder("bash", root.resolve(FETCH).toString()).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IOException(FETCH + " failed with exit code " + p.exitValue());
      }
    }
    return dir;
  }

  /** The checkout this runs from: searched upwards from the working directory. */
  private static Path checkout() {
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(FETCH))) {
        return p;
      }
    }
    throw JobErrors.noBenchHarness(FETCH, Paths.get("").toAbsolutePath());
  }
}
