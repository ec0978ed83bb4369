package org.synthweave.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.CoreConfig;
import org.synthweave.core.config.Settings;
import org.synthweave.core.config.SettingsLoader;
import org.synthweave.embedding.EmbeddingConfig;
import org.synthweave.vectors.IndexConfig;
import org.synthweave.vectors.ShardSearcher;
import org.synthweave.vectors.VectorIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code synthweave search}: k-NN over an index, without Spark. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Search a vector index: embed the query text with the index's sentence model (or take the"
          + " vector of an indexed id with --like) and print the k nearest, best first.",
      "Runs without Spark: the shards are memory-mapped and searched in parallel; filters apply"
          + " inside the graph search."
    })
final class SearchCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "QUERY",
      description = "Text to search for (text indexes).")
  String query;

  @Option(
      names = "--like",
      paramLabel = "ID",
      description = "Search for the neighbours of this indexed id instead of a text query.")
  String like;

  @Option(
      names = {"-k", "--top"},
      defaultValue = "10",
      description = "Results to print (default ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--index",
      paramLabel = "NAME",
      description =
          "Index to search (a folder under <warehouse>/index). Default: the text index of"
              + " embed.text.model, e.g. text-all-minilm-l6-v2.")
  String index;

  @Option(
      names = "--filter",
      paramLabel = "FIELD=VALUE",
      description =
          "Only vectors whose metadata field equals the value, e.g. --filter language=en."
              + " Repeatable (all must hold).")
  List<String> filters = new ArrayList<>();

  @Option(
      names = "--candidates",
      paramLabel = "N",
      description = "Search effort per shard (default index.search.candidates, at least k).")
  Integer candidates;

  @Option(names = "--json", description = "Print one JSON object per hit instead of a table.")
  boolean json;

  @Override
  public void run() {
    ConfigOptions o = Main.options(spec);
    if ((query == null) == (like == null)) {
      throw JobErrors.eitherOr(
          "a query text", "--like ID", query != null, "synthweave search \"tax relief\" -k 5");
    }
    if (k < 1) {
      throw JobErrors.atLeastOne("-k", k);
    }
    Settings settings = new SettingsLoader(JobContext.registry()).load(o.confFile, o.sets);
    EmbeddingConfig embed = EmbeddingConfig.from(settings);
    IndexConfig cfg = IndexConfig.from(settings);
    TableCatalog catalog = new TableCatalog(CoreConfig.from(settings).warehouse());
    try (VectorIndex vi =
        VectorIndex.open(
            Indexes.dir(catalog, embed, index), cfg.searchThreads(), cfg.searchSpinMicros())) {
      float[] vector;
      if (like != null) {
        vector = vi.vector(like);
        if (vector == null) {
          throw JobErrors.unknownId(vi.descriptor().name(), like);
        }
      } else {
        vector = Indexes.embedQuery(vi, embed, query);
      }
      int effort = Math.max(k, candidates != null ? candidates : cfg.searchCandidates());
      long t = System.nanoTime();
      List<ShardSearcher.Hit> hits = vi.search(vector, k, effort, Indexes.filters(filters));
      double ms = (System.nanoTime() - t) / 1e6;
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        for (ShardSearcher.Hit h : hits) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", h.id());
          m.put("score", h.score());
          m.putAll(h.fields());
          out.println(JSON.writeValueAsString(m));
        }
      } else {
        out.printf(
            Locale.ROOT,
            "%s (%s, %d vectors in %d shards): %d hits in %.1f ms%n",
            vi.descriptor().name(),
            vi.descriptor().model(),
            vi.descriptor().vectors(),
            vi.descriptor().shards().size(),
            hits.size(),
            ms);
        int rank = 1;
        for (ShardSearcher.Hit h : hits) {
          out.printf(Locale.ROOT, "%3d  %.4f  %s%n", rank++, h.score(), h.id());
          String title = h.fields().getOrDefault("title", h.fields().get("url"));
          if (title != null) {
            out.println("           " + oneLine(title, 100));
          }
          String snippet = h.fields().get("snippet");
          if (snippet != null) {
            out.println("           " + oneLine(snippet, 160));
          }
          if (title == null && snippet == null && !h.fields().isEmpty()) {
            out.println("           " + h.fields());
          }
        }
      }
      out.flush();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String oneLine(String s, int max) {
    String flat = s.replaceAll("\\s+", " ").trim();
    return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
  }
}
