package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.testing.SparkTestBase;

/**
 * The index and search commands on MiniLM vectors of real mails: ingest 160 spam-assassin mails,
 * embed, index, search by text, filter and neighbour, measure recall, delete documents and update
 * the index, and refuse a query embedded with another model.
 */
class IndexSearchTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INDEX = "text-all-minilm-l6-v2";

  private static CliRun job(Path warehouse, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--set",
                "warehouse=" + warehouse,
                "--set",
                "spark.master=local[2]",
                "--set",
                "spark.conf.spark.driver.host=127.0.0.1",
                "--set",
                "progress.interval-ms=0"));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  /** The first {@code n/2} spam and ham mails of the labelled sample as crawl JSONL. */
  private static Path mails(Path dir, int n) throws Exception {
    List<String> lines =
        Files.readAllLines(
            SparkTestBase.repoRoot().resolve("data/samples/text/spam-ham.tsv"),
            StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    int spam = 0;
    int ham = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t", 4);
      boolean isSpam = f[1].equals("spam");
      if ((isSpam ? spam : ham) >= n / 2) {
        continue;
      }
      spam += isSpam ? 1 : 0;
      ham += isSpam ? 0 : 1;
      var node = JSON.createObjectNode();
      node.put("url", "urn:spamassassin:" + f[1] + ":" + f[2]);
      node.put("text", f[3]);
      out.append(JSON.writeValueAsString(node)).append('\n');
    }
    Path file = dir.resolve("mails.jsonl");
    Files.writeString(file, out, StandardCharsets.UTF_8);
    return file;
  }

  private static List<JsonNode> hits(CliRun r) throws Exception {
    assertEquals(0, r.code(), r.err());
    List<JsonNode> hits = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      if (line.startsWith("{")) {
        hits.add(JSON.readTree(line));
      }
    }
    return hits;
  }

  @Test
  void indexSearchEvaluateUpdateAndRefuseAnotherModel(@TempDir Path dir) throws Exception {
    Path wh = dir.resolve("wh");
    Path input = mails(dir, 160);
    CliRun ingest = job(wh, "--set", "ingest.crawl.inputs=" + input, "ingest", "--only", "crawl");
    assertEquals(0, ingest.code(), ingest.err());
    CliRun embed = job(wh, "embed", "--only", "text");
    assertEquals(0, embed.code(), embed.err());

    CliRun index = job(wh, "index");
    assertEquals(0, index.code(), index.err());
    assertTrue(index.out().contains("index:" + INDEX), index.out());
    JsonNode descriptor =
        JSON.readTree(wh.resolve("index").resolve(INDEX).resolve("index.json").toFile());
    long vectors = descriptor.get("vectors").asLong();
    assertTrue(vectors >= 160, "every mail has at least one passage: " + vectors);
    assertEquals(384, descriptor.get("dimensions").asInt());
    assertEquals("cosine", descriptor.get("similarity").asText());
    assertEquals("gold/embeddings", descriptor.get("source_table").asText());
    assertTrue(descriptor.get("source_version").asLong() >= 0);

    // A spammy query finds mostly spam; every hit carries its document, span and snippet.
    List<JsonNode> spam =
        hits(
            job(
                wh,
                "search",
                "Act now! Free money: claim your cash prize, limited time offer",
                "-k",
                "5",
                "--json"));
    assertEquals(5, spam.size());
    long spamHits = spam.stream().filter(h -> h.get("url").asText().contains(":spam:")).count();
    assertTrue(spamHits >= 4, "spam hits for a spam query: " + spamHits + " of 5 " + spam);
    for (JsonNode h : spam) {
      assertTrue(h.get("id").asText().startsWith(h.get("doc_id").asText() + "#"), h.toString());
      assertTrue(!h.get("snippet").asText().isBlank(), h.toString());
    }
    // Scores are in descending order.
    for (int i = 1; i < spam.size(); i++) {
      assertTrue(spam.get(i - 1).get("score").asDouble() >= spam.get(i).get("score").asDouble());
    }

    // A filter on a metadata field holds for every hit.
    for (JsonNode h :
        hits(
            job(
                wh,
                "search",
                "meeting next week",
                "-k",
                "8",
                "--filter",
                "language=en",
                "--json"))) {
      assertEquals("en", h.get("language").asText());
    }

    // Neighbours of an indexed passage start with the passage itself.
    String top = spam.get(0).get("id").asText();
    List<JsonNode> like = hits(job(wh, "search", "--like", top, "-k", "3", "--json"));
    assertEquals(top, like.get(0).get("id").asText());

    // Recall of the graph search against exact search over the same shards.
    CliRun eval = job(wh, "eval-index", "--queries", "60", "--candidates", "10,100");
    assertEquals(0, eval.code(), eval.err());
    String line = eval.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
    JsonNode points = JSON.readTree(line).get("points");
    assertTrue(points.get(1).get("recall_at_k").asDouble() >= 0.95, line);

    // A rerun changes nothing.
    CliRun again = job(wh, "index");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("+0 vectors, -0 removed"), again.out());

    // The top document's vectors are deleted from gold/embeddings: the next update removes its
    // passages and no search finds them again.
    String doc = spam.get(0).get("doc_id").asText();
    SparkSession spark = CliRun.deltaSession();
    long passages;
    try {
      DeltaTable gold = DeltaTable.forPath(spark, wh.resolve("gold/embeddings").toString());
      passages = gold.toDF().where("id = '" + doc + "'").count();
      gold.delete("id = '" + doc + "'");
    } finally {
      spark.stop();
      SparkSession.clearDefaultSession();
    }
    CliRun update = job(wh, "index");
    assertEquals(0, update.code(), update.err());
    assertTrue(update.out().contains("+0 vectors, -" + passages + " removed"), update.out());
    for (JsonNode h :
        hits(
            job(
                wh,
                "search",
                "Act now! Free money: claim your cash prize, limited time offer",
                "-k",
                "10",
                "--json"))) {
      assertNotEquals(doc, h.get("doc_id").asText());
    }

    // A query embedded with another model (the int8 one) would score nonsense: refused.
    CliRun other =
        job(
            wh,
            "--set",
            "embed.text.model=all-minilm-l6-v2-q",
            "search",
            "free money",
            "--index",
            INDEX);
    assertNotEquals(0, other.code());
    assertTrue(other.err().contains("all-minilm-l6-v2-q"), other.err());
    // Row indexes take no text.
    CliRun noIndex = job(wh, "search", "free money", "--index", "rows-silver-telemetry");
    assertNotEquals(0, noIndex.code());
    assertTrue(noIndex.err().contains("synthweave index"), noIndex.err());
  }
}
