package org.synthweave.market.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.synthweave.market.CatalogSearch;
import org.synthweave.market.CatalogSearch.Hit;
import org.synthweave.market.CatalogSearch.Mode;
import org.synthweave.market.Listing;

/**
 * Known-item evaluation of {@link CatalogSearch}: every item is one listing and one query written
 * for it by someone else (an R data set's Rd title for its description, a Debian package's synopsis
 * for its long description); the query's own listing is the one right answer. Each query runs
 * through the real search in each {@link Mode}, and the rank of its listing among the top {@value
 * #K} gives
 *
 * <ul>
 *   <li>MRR@10: the mean over queries of 1/rank, 0 when the listing is not in the top 10;
 *   <li>recall@10: the share of queries whose listing is in the top 10.
 * </ul>
 *
 * <p>Queries that repeat the listing's words favour BM25, so the figures are also given for the
 * paraphrased queries alone: those of which at most {@value #PARAPHRASE_MAX_OVERLAP} of the
 * distinct words (stop words out) occur anywhere in the listing's text ({@link #overlap}).
 */
public final class RankingEval {
  /** Hits looked at per query. */
  public static final int K = 10;

  /** A query is paraphrased when at most this share of its words occurs in its listing. */
  public static final double PARAPHRASE_MAX_OVERLAP = 0.5;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  private static final Set<String> STOP_WORDS =
      Set.of(
          "a",
          "an",
          "and",
          "are",
          "as",
          "at",
          "be",
          "by",
          "for",
          "from",
          "in",
          "into",
          "is",
          "it",
          "of",
          "on",
          "or",
          "the",
          "to",
          "with",
          "data",
          "dataset",
          "datasets",
          "set",
          "sets");

  private RankingEval() {}

  /**
   * One listing and its query.
   *
   * @param id unique among the items
   * @param title the listing's title
   * @param description the listing's description
   * @param keywords the listing's keywords
   * @param columns the listing's column names
   * @param query the text searched for, written apart from the listing
   */
  public record Item(
      String id,
      String title,
      String description,
      List<String> keywords,
      List<String> columns,
      String query) {
    public Item {
      if (id == null || id.isBlank() || query == null || query.isBlank()) {
        throw new IllegalArgumentException("an item needs an id and a query: " + id);
      }
      keywords = keywords == null ? List.of() : List.copyOf(keywords);
      columns = columns == null ? List.of() : List.copyOf(columns);
    }
  }

  /**
   * Figures of one ranking over a set of queries.
   *
   * @param queries queries measured
   * @param mrrAt10 mean reciprocal rank of the known item, counting 0 beyond rank 10
   * @param recallAt10 share of queries with the known item in the top 10
   */
  public record Metrics(int queries, double mrrAt10, double recallAt10) {
    /**
     * The figures of {@code ranks}, each the 1-based rank of a query's known item, 0 when it is not
     * among the hits; ranks beyond {@link #K} count as misses.
     */
    public static Metrics of(int[] ranks) {
      double rr = 0;
      int found = 0;
      for (int r : ranks) {
        if (r < 0) {
          throw new IllegalArgumentException("a rank is 1 or more, or 0 for not found: " + r);
        }
        if (r >= 1 && r <= K) {
          rr += 1.0 / r;
          found++;
        }
      }
      int n = ranks.length;
      return new Metrics(n, n == 0 ? 0 : rr / n, n == 0 ? 0 : (double) found / n);
    }
  }

  /** The figures of the three rankings over the same queries. */
  public record ByMode(Metrics bm25, Metrics vector, Metrics hybrid) {}

  /**
   * Where one query's known item came in each mode.
   *
   * @param id the item
   * @param overlap the query's {@link #overlap}
   * @param bm25 1-based rank in the top {@value #K} by BM25, 0 when not there
   * @param vector the same by vector similarity
   * @param hybrid the same fused
   */
  public record Ranks(String id, double overlap, int bm25, int vector, int hybrid) {}

  /**
   * An evaluation.
   *
   * @param items listings indexed
   * @param ranks every query's ranks, in the items' order
   * @param all every query
   * @param paraphrased the queries with an {@link #overlap} of at most {@value
   *     #PARAPHRASE_MAX_OVERLAP}
   * @param indexSeconds building the index, embedding every listing included
   * @param searchSeconds running every query in every mode (query vectors are embedded once,
   *     before)
   */
  public record Result(
      int items,
      List<Ranks> ranks,
      ByMode all,
      ByMode paraphrased,
      double indexSeconds,
      double searchSeconds) {
    public Result {
      ranks = List.copyOf(ranks);
    }
  }

  /** Reads one {@link Item} per non-blank line of a JSONL file; ids must be unique. */
  public static List<Item> read(Path file) throws IOException {
    List<Item> items = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int no = 0;
      while ((line = r.readLine()) != null) {
        no++;
        if (line.isBlank()) {
          continue;
        }
        Item item;
        try {
          JsonNode n = JSON.readTree(line);
          item =
              new Item(
                  text(n, "id"),
                  text(n, "title"),
                  text(n, "description"),
                  strings(n, "keywords"),
                  strings(n, "columns"),
                  text(n, "query"));
        } catch (IOException | IllegalArgumentException e) {
          throw new IllegalArgumentException("line " + no + ": " + e.getMessage(), e);
        }
        if (!ids.add(item.id())) {
          throw new IllegalArgumentException("line " + no + ": the id " + item.id() + " repeats");
        }
        items.add(item);
      }
    }
    return items;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static List<String> strings(JsonNode n, String field) {
    List<String> out = new ArrayList<>();
    JsonNode v = n.get(field);
    if (v != null && v.isArray()) {
      v.forEach(e -> out.add(e.asText()));
    }
    return out;
  }

  /** The verified catalog listing of an item: its text, nothing else known. */
  public static Listing listing(Item item) {
    return new Listing(
        item.id(),
        "eval",
        "eval",
        item.id(),
        "1",
        item.title(),
        item.description(),
        item.keywords(),
        null,
        Map.of(),
        item.columns().stream().map(c -> new Listing.Column(c, "string")).toList(),
        null,
        null,
        null,
        Listing.Kind.REAL,
        0,
        0,
        null,
        Map.of(),
        null,
        null,
        null,
        0,
        Listing.Status.VERIFIED,
        null);
  }

  /**
   * The share of the query's distinct words (letters and digits, lower case, stop words out) that
   * occur as words in the item's title, description, keywords or column names; 1 when the query has
   * no word left.
   */
  public static double overlap(Item item) {
    Set<String> q = words(item.query());
    if (q.isEmpty()) {
      return 1;
    }
    Set<String> text =
        words(
            String.join(
                " ",
                item.title() == null ? "" : item.title(),
                item.description() == null ? "" : item.description(),
                String.join(" ", item.keywords()),
                String.join(" ", item.columns())));
    long in = q.stream().filter(text::contains).count();
    return (double) in / q.size();
  }

  private static Set<String> words(String s) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = WORD.matcher(s.toLowerCase(Locale.ROOT));
    while (m.find()) {
      String w = m.group();
      if (w.length() > 1 && !STOP_WORDS.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }

  /** Indexes every item with {@code encoder} and runs every query in each mode. */
  public static Result run(List<Item> items, CatalogSearch.Encoder encoder) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("no items to evaluate");
    }
    // every query is embedded once, in batches, before the index; the searches take the vectors
    // from here
    List<String> queries = items.stream().map(Item::query).distinct().toList();
    float[][] qv = encoder.encode(queries);
    Map<String, float[]> known = new HashMap<>();
    for (int i = 0; i < queries.size(); i++) {
      known.put(queries.get(i), qv[i]);
    }
    CatalogSearch.Encoder cached =
        texts ->
            texts.size() == 1 && known.containsKey(texts.get(0))
                ? new float[][] {known.get(texts.get(0))}
                : encoder.encode(texts);
    long t0 = System.nanoTime();
    CatalogSearch search =
        CatalogSearch.of(items.stream().map(RankingEval::listing).toList(), cached);
    double indexSeconds = (System.nanoTime() - t0) / 1e9;
    try (search) {
      Mode[] modes = {Mode.BM25, Mode.VECTOR, Mode.HYBRID};
      int[][] ranks = new int[modes.length][items.size()];
      long t1 = System.nanoTime();
      for (int i = 0; i < items.size(); i++) {
        Item item = items.get(i);
        for (int m = 0; m < modes.length; m++) {
          List<Hit> hits =
              search.search(
                  item.query(),
                  modes[m],
                  CatalogSearch.Filters.none(),
                  CatalogSearch.Sort.RELEVANCE,
                  K);
          ranks[m][i] = rank(hits, item.id());
        }
      }
      double searchSeconds = (System.nanoTime() - t1) / 1e9;
      boolean[] paraphrased = new boolean[items.size()];
      List<Ranks> perQuery = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        double overlap = overlap(items.get(i));
        paraphrased[i] = overlap <= PARAPHRASE_MAX_OVERLAP;
        perQuery.add(new Ranks(items.get(i).id(), overlap, ranks[0][i], ranks[1][i], ranks[2][i]));
      }
      return new Result(
          items.size(),
          perQuery,
          byMode(ranks, null),
          byMode(ranks, paraphrased),
          indexSeconds,
          searchSeconds);
    }
  }

  private static ByMode byMode(int[][] ranks, boolean[] keep) {
    Metrics[] m = new Metrics[ranks.length];
    for (int mode = 0; mode < ranks.length; mode++) {
      int[] r = ranks[mode];
      if (keep != null) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < r.length; i++) {
          if (keep[i]) {
            kept.add(r[i]);
          }
        }
        r = kept.stream().mapToInt(Integer::intValue).toArray();
      }
      m[mode] = Metrics.of(r);
    }
    return new ByMode(m[0], m[1], m[2]);
  }

  /** The 1-based rank of the listing {@code id} among {@code hits}, 0 when it is not there. */
  public static int rank(List<Hit> hits, String id) {
    for (int i = 0; i < hits.size(); i++) {
      if (hits.get(i).listing().id().equals(id)) {
        return i + 1;
      }
    }
    return 0;
  }
}
