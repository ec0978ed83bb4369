package org.synthweave.market.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.embedding.text.EncoderOptions;
import org.synthweave.embedding.text.TextEncoder;
import org.synthweave.embedding.text.TextModel;
import org.synthweave.market.bench.RankingEval.Item;
import org.synthweave.market.bench.RankingEval.Metrics;
import org.synthweave.market.bench.RankingEval.Ranks;

/** The metrics on hand-made ranks, and a small known-item run with the real MiniLM encoder. */
class RankingEvalTest {
  @Test
  void metricsFromKnownRanks() {
    // 1 + 1/2 + 0 (missing) + 1/10 + 0 (rank 11, beyond the cut) + 1/5 over six queries
    Metrics m = Metrics.of(new int[] {1, 2, 0, 10, 11, 5});
    assertEquals(6, m.queries());
    assertEquals(1.8 / 6, m.mrrAt10(), 1e-12);
    assertEquals(4.0 / 6, m.recallAt10(), 1e-12);
    Metrics perfect = Metrics.of(new int[] {1, 1, 1});
    assertEquals(1.0, perfect.mrrAt10(), 1e-12);
    assertEquals(1.0, perfect.recallAt10(), 1e-12);
    assertEquals(0.0, Metrics.of(new int[] {0, 0}).recallAt10(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> Metrics.of(new int[] {-1}));
  }

  @Test
  void overlapCountsTheQueryWordsFoundInTheListing() {
    Item copy =
        new Item(
            "a",
            "Geyser eruptions",
            "Waiting times between eruptions of a geyser.",
            List.of(),
            List.of("waiting"),
            "Eruptions of the geyser");
    assertEquals(1.0, RankingEval.overlap(copy), 1e-12);
    Item para =
        new Item(
            "b",
            "Geyser eruptions",
            "Waiting times between eruptions of a geyser.",
            List.of(),
            List.of("waiting"),
            "Old Faithful outbursts, waiting times");
    // words: old, faithful, outbursts, waiting, times; waiting and times are in the listing
    assertEquals(2.0 / 5, RankingEval.overlap(para), 1e-12);
  }

  @Test
  void readsItemsAndNamesTheBadLine(@TempDir Path dir) throws IOException {
    Path ok = dir.resolve("ok.jsonl");
    Files.writeString(
        ok,
        "{\"id\":\"x\",\"title\":\"T\",\"description\":\"D\",\"keywords\":[\"k\"],"
            + "\"columns\":[\"c1\",\"c2\"],\"query\":\"q\"}\n\n"
            + "{\"id\":\"y\",\"query\":\"r\"}\n",
        StandardCharsets.UTF_8);
    List<Item> items = RankingEval.read(ok);
    assertEquals(2, items.size());
    assertEquals(List.of("c1", "c2"), items.get(0).columns());
    assertEquals(List.of("k"), items.get(0).keywords());
    assertEquals(List.of(), items.get(1).columns());
    assertEquals("c2", RankingEval.listing(items.get(0)).columns().get(1).name());

    Path dup = dir.resolve("dup.jsonl");
    Files.writeString(
        dup,
        "{\"id\":\"x\",\"query\":\"q\"}\n{\"id\":\"x\",\"query\":\"r\"}\n",
        StandardCharsets.UTF_8);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RankingEval.read(dup));
    assertTrue(e.getMessage().startsWith("line 2:"), e.getMessage());
    Path noQuery = dir.resolve("noquery.jsonl");
    Files.writeString(noQuery, "{\"id\":\"x\"}\n", StandardCharsets.UTF_8);
    e = assertThrows(IllegalArgumentException.class, () -> RankingEval.read(noQuery));
    assertTrue(e.getMessage().startsWith("line 1:"), e.getMessage());
  }

  @Test
  void realEncoderFindsParaphrasesThatBm25Misses() {
    List<Item> items =
        List.of(
            new Item(
                "geyser",
                "geyser (samples)",
                "Waiting time between eruptions and the duration of each eruption of a geyser in"
                    + " Yellowstone National Park.",
                List.of(),
                List.of("eruptions", "waiting"),
                // no word of this query is in any listing: only the vectors can find it
                "Old Faithful hot spring outbursts"),
            new Item(
                "taxi",
                "taxi (samples)",
                "Pickup and dropoff times, fares and tips of yellow cab rides in New York.",
                List.of(),
                List.of("pickup_time", "fare_amount", "tip_amount"),
                "yellow cab fares"),
            new Item(
                "wine",
                "wine (samples)",
                "Acidity, residual sugar, sulphates and alcohol of Portuguese red wines, with a"
                    + " sensory grade from tasters.",
                List.of(),
                List.of("fixed_acidity", "residual_sugar", "alcohol", "quality"),
                "Chemistry and taste scores of vinho verde"),
            new Item(
                "flowers",
                "flowers (samples)",
                "Sepal and petal length and width of three species of iris.",
                List.of(),
                List.of("sepal_length", "petal_length", "species"),
                "Measurements of iris blossoms"),
            new Item(
                "air",
                "air (samples)",
                "Daily ozone, solar radiation, wind and temperature in New York, May to September.",
                List.of(),
                List.of("ozone", "solar_r", "wind", "temp"),
                "New York air quality measurements"));
    RankingEval.Result r;
    try (TextEncoder encoder =
        TextEncoder.open(TextModel.ALL_MINILM_L6_V2, EncoderOptions.defaults())) {
      r = RankingEval.run(items, encoder::encode);
    }
    Map<String, Ranks> byId =
        r.ranks().stream().collect(Collectors.toMap(Ranks::id, Function.identity()));
    assertEquals(5, r.items());
    assertEquals(0, byId.get("geyser").bm25());
    assertEquals(1, byId.get("geyser").vector());
    assertTrue(byId.get("geyser").hybrid() >= 1, "hybrid keeps what the vectors found");
    assertEquals(1, byId.get("taxi").bm25());
    assertEquals(1, byId.get("taxi").hybrid());
    // the aggregate is the metrics of these ranks
    int[] bm25 = r.ranks().stream().mapToInt(Ranks::bm25).toArray();
    int[] hybrid = r.ranks().stream().mapToInt(Ranks::hybrid).toArray();
    assertEquals(Metrics.of(bm25), r.all().bm25());
    assertEquals(Metrics.of(hybrid), r.all().hybrid());
    assertTrue(r.all().bm25().recallAt10() < 1.0, "BM25 misses the geyser");
    assertEquals(1.0, r.all().vector().recallAt10(), 1e-12);
    long paraphrased =
        r.ranks().stream().filter(x -> x.overlap() <= RankingEval.PARAPHRASE_MAX_OVERLAP).count();
    assertEquals(paraphrased, r.paraphrased().hybrid().queries());
    assertTrue(paraphrased >= 1 && paraphrased < 5, "geyser is paraphrased, taxi is not");
  }
}
