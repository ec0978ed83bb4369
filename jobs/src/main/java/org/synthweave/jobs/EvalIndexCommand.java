package org.synthweave.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.synthweave.embedding.text.TextEncoder;
import org.synthweave.vectors.IndexConfig;
import org.synthweave.vectors.IndexEvaluation;
import org.synthweave.vectors.ShardSearcher;
import org.synthweave.vectors.VectorIndex;
import org.synthweave.vectors.VectorStoreErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synthweave eval-index}: recall@k against exact search, and speed, per search effort. */
@Command(
    name = "eval-index",
    mixinStandardHelpOptions = true,
    description = {
      "Measure an index: recall@k of its HNSW search against exact (brute-force) search over the"
          + " same shards, queries per second and latency, at each search effort.",
      "Queries are --queries vectors drawn from the index with --seed (each query's own id is"
          + " left out of both result lists), or the lines of --queries-file embedded with the"
          + " index's sentence model. Prints a table and one JSON line."
    })
final class EvalIndexCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(
      names = "--index",
      paramLabel = "NAME",
      description = "Index to measure. Default: the text index of embed.text.model.")
  String index;

  @Option(
      names = "--queries",
      defaultValue = "200",
      description = "Query vectors drawn from the index (default ${DEFAULT-VALUE}).")
  int queries;

  @Option(
      names = "--queries-file",
      paramLabel = "FILE",
      description = "Text queries, one per line, instead of vectors drawn from the index.")
  Path queriesFile;

  @Option(
      names = {"-k", "--top"},
      defaultValue = "10",
      description = "k of recall@k (default ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--candidates",
      split = ",",
      defaultValue = "10,20,50,100,200",
      description = "Search efforts to measure (default ${DEFAULT-VALUE}).")
  int[] candidates;

  @Option(
      names = "--filter",
      paramLabel = "FIELD=VALUE",
      description = "Measure filtered search (repeatable).")
  List<String> filters = new ArrayList<>();

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the query sample.")
  long seed;

  @Override
  public void run() {
    ConfigOptions o = Main.options(spec);
    if (k < 1) {
      throw JobErrors.atLeastOne("-k", k);
    }
    if (queries < 1) {
      throw JobErrors.atLeastOne("--queries", queries);
    }
    Settings settings = new SettingsLoader(JobContext.registry()).load(o.confFile, o.sets);
    EmbeddingConfig embed = EmbeddingConfig.from(settings);
    IndexConfig cfg = IndexConfig.from(settings);
    TableCatalog catalog = new TableCatalog(CoreConfig.from(settings).warehouse());
    try (VectorIndex vi =
        VectorIndex.open(
            Indexes.dir(catalog, embed, index), cfg.searchThreads(), cfg.searchSpinMicros())) {
      float[][] vectors;
      String[] self = null;
      String source;
      if (queriesFile != null) {
        List<String> lines = readQueries(queriesFile);
        Indexes.embedQuery(vi, embed, lines.get(0)); // checks kind, model and version
        try (TextEncoder encoder = TextEncoder.open(embed.textModel(), embed.encoder())) {
          vectors = encoder.encode(lines);
        }
        source = queriesFile.toString();
      } else {
        Sampled sample = sample(vi, queries, seed);
        vectors = sample.vectors();
        self = sample.ids();
        source = "index sample, seed " + seed;
      }
      if (vectors[0].length != vi.descriptor().dimensions()) {
        throw VectorStoreErrors.dimensionMismatch(vi.descriptor().dimensions(), vectors[0].length);
      }
      List<IndexEvaluation.Point> points =
          IndexEvaluation.evaluate(vi, vectors, self, k, candidates, Indexes.filters(filters));
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          Locale.ROOT,
          "%s: %d vectors in %d shards, %d queries (%s), recall@%d against exact search%n",
          vi.descriptor().name(),
          vi.descriptor().vectors(),
          vi.descriptor().shards().size(),
          vectors.length,
          source,
          k);
      out.println("candidates  recall    qps      p50 ms   p99 ms");
      List<Map<String, Object>> rows = new ArrayList<>();
      for (IndexEvaluation.Point p : points) {
        out.printf(
            Locale.ROOT,
            "%10d  %.4f  %8.1f  %7.2f  %7.2f%n",
            p.candidates(),
            p.recall(),
            p.qps(),
            p.p50Ms(),
            p.p99Ms());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("candidates", p.candidates());
        m.put("recall_at_k", round(p.recall()));
        m.put("qps", round(p.qps()));
        m.put("p50_ms", round(p.p50Ms()));
        m.put("p99_ms", round(p.p99Ms()));
        rows.add(m);
      }
      Map<String, Object> fig = new LinkedHashMap<>();
      fig.put("index", vi.descriptor().name());
      fig.put("vectors", vi.descriptor().vectors());
      fig.put("shards", vi.descriptor().shards().size());
      fig.put("queries", vectors.length);
      fig.put("k", k);
      fig.put("points", rows);
      out.println(JSON.writeValueAsString(fig));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("figures are plain values", e);
    }
  }

  /** Query vectors drawn from an index, with their ids (each left out of its own results). */
  record Sampled(float[][] vectors, String[] ids) {}

  /** {@code n} vectors drawn from {@code vi} with {@code seed}; an empty index is a user error. */
  static Sampled sample(VectorIndex vi, int n, long seed) {
    List<ShardSearcher.Sample> sample = vi.sample(n, seed);
    if (sample.isEmpty()) {
      throw JobErrors.emptyIndex(vi.descriptor().name());
    }
    return new Sampled(
        sample.stream().map(ShardSearcher.Sample::vector).toArray(float[][]::new),
        sample.stream().map(ShardSearcher.Sample::id).toArray(String[]::new));
  }

  /** The non-blank lines of {@code file}, trimmed; a user error when there are none. */
  private static List<String> readQueries(Path file) {
    List<String> lines = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          lines.add(line.trim());
        }
      }
    } catch (IOException e) {
      throw JobErrors.queriesFileUnreadable(file, e);
    }
    if (lines.isEmpty()) {
      throw JobErrors.emptyQueriesFile(file);
    }
    return lines;
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
