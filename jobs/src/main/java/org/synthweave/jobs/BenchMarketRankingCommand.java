package org.synthweave.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.synthweave.core.ContentIds;
import org.synthweave.core.config.Settings;
import org.synthweave.core.config.SettingsLoader;
import org.synthweave.embedding.EmbeddingConfig;
import org.synthweave.embedding.text.TextEncoder;
import org.synthweave.market.CatalogSearch;
import org.synthweave.market.bench.RankingEval;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synthweave bench market-ranking --data FILE}: see {@link RankingEval}. */
@Command(
    name = "market-ranking",
    mixinStandardHelpOptions = true,
    description = {
      "Ranking quality of market search: a known-item evaluation on real dataset metadata. Every"
          + " line of --data is one listing and a query written apart from it; the listings are"
          + " indexed by the market's CatalogSearch (with the configured text encoder) and each"
          + " query runs as BM25 only, vectors only and hybrid.",
      "Prints one JSON line: MRR@10 and recall@10 per mode, over all queries and over the"
          + " paraphrased ones (at most half of their words in the listing), with the file's name"
          + " and SHA-256. Make the files with data/scripts/bench/market-eval-data.sh."
    })
final class BenchMarketRankingCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "FILE",
      required = true,
      description =
          "Known-item JSONL: {id, title, description, keywords, columns, query} per line, e.g."
              + " data/bench/market-ranking/r-datasets.jsonl.")
  Path data;

  @Override
  public void run() {
    ConfigOptions o = Main.options(spec);
    List<RankingEval.Item> items;
    String sha256;
    try {
      items = RankingEval.read(data);
      sha256 = ContentIds.sha256Hex(Files.readAllBytes(data));
    } catch (IOException | IllegalArgumentException e) {
      throw JobErrors.rankingDataUnusable(data, e);
    }
    if (items.isEmpty()) {
      throw JobErrors.rankingDataUnusable(data, new IllegalArgumentException("it has no items"));
    }
    Settings settings = new SettingsLoader(JobContext.registry()).load(o.confFile, o.sets);
    EmbeddingConfig embed = EmbeddingConfig.from(settings);
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("bench", "market-ranking");
    fig.put("data", data.getFileName().toString());
    fig.put("sha256", sha256);
    try (TextEncoder encoder = TextEncoder.open(embed.textModel(), embed.encoder())) {
      RankingEval.Result r = RankingEval.run(items, encoder::encode);
      fig.put("items", r.items());
      fig.put("queries", r.all().hybrid().queries());
      fig.put("k", RankingEval.K);
      fig.put("model", embed.textModel().id());
      fig.put("model_version", encoder.modelVersion());
      fig.put("vector_weight", CatalogSearch.VECTOR_WEIGHT);
      fig.put("depth", CatalogSearch.DEPTH);
      modes(fig, r.all());
      Map<String, Object> para = new LinkedHashMap<>();
      para.put("queries", r.paraphrased().hybrid().queries());
      para.put("max_overlap", RankingEval.PARAPHRASE_MAX_OVERLAP);
      modes(para, r.paraphrased());
      fig.put("paraphrased", para);
      fig.put("index_s", round(r.indexSeconds()));
      fig.put("search_s", round(r.searchSeconds()));
    }
    PrintWriter out = spec.commandLine().getOut();
    try {
      out.println(JSON.writeValueAsString(fig));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
  }

  private static void modes(Map<String, Object> into, RankingEval.ByMode m) {
    into.put("bm25", metrics(m.bm25()));
    into.put("vector", metrics(m.vector()));
    into.put("hybrid", metrics(m.hybrid()));
  }

  private static Map<String, Object> metrics(RankingEval.Metrics m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mrr_at_10", round(m.mrrAt10()));
    out.put("recall_at_10", round(m.recallAt10()));
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
