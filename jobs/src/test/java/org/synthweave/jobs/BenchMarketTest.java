package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.testing.SparkTestBase;

/**
 * {@code bench market} at a tiny size, as a user runs it: a real publish to a fresh arlocal, 20
 * derived listings posted and synced (all must verify, so the sync did the full work), and search
 * over 200 Debian packages with 20 queries in each mode. Checks the one JSON line's fields and that
 * they agree with each other; never a time.
 */
class BenchMarketTest {
  private static final String SAMPLES =
      SparkTestBase.repoRoot().resolve("data/samples/tables").toString();

  @Test
  void printsOneLineWithSyncAndSearchFigures(@TempDir Path dir) throws Exception {
    Path top = dir.resolve("top.tsv");
    CliRun r =
        CliRun.of(
            "--set",
            "spark.master=local[2]",
            "--set",
            "spark.conf.spark.driver.host=127.0.0.1",
            "bench",
            "market",
            "--listings",
            "20",
            "--search-listings",
            "200",
            "--queries",
            "20",
            "--warm-up",
            "5",
            "--serve-clients",
            "2",
            "--serve-seconds",
            "2",
            "--samples",
            SAMPLES,
            "--top-out",
            top.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    List<String> lines = new ArrayList<>();
    for (String l : r.out().split("\n")) {
      if (!l.isBlank()) {
        lines.add(l);
      }
    }
    assertEquals(1, lines.size(), r.out());
    JsonNode f = new ObjectMapper().readTree(lines.get(0));
    assertEquals("market", f.get("bench").asText());

    // Sync: the 20 derived listings and the one publish made for real are found; none is
    // unverified (the real one may be left for a later sync if arlocal has not indexed its bundle
    // yet, the derived ones are plain transactions).
    assertEquals(20, f.get("sync_posted").asInt());
    assertEquals(21, f.get("sync_found").asInt(), f.toString());
    assertTrue(f.get("sync_verified").asInt() >= 20, f.toString());
    assertEquals(0, f.get("sync_unverified").asInt(), f.toString());
    assertEquals(
        f.get("sync_found").asInt(),
        f.get("sync_verified").asInt()
            + f.get("sync_unverified").asInt()
            + f.get("sync_unreadable").asInt(),
        f.toString());
    for (String k : List.of("post_s", "sync_s", "sync_cpu_s", "sync_listings_per_s")) {
      assertTrue(f.get(k).asDouble() > 0, k + " in " + f);
    }

    // Search: the sizes asked for, every mode timed, the encoder's share a fraction.
    assertEquals(200, f.get("search_listings").asInt());
    assertEquals(20, f.get("search_queries").asInt());
    for (String mode : List.of("hybrid", "bm25", "vector")) {
      for (String k : List.of("_p50_ms", "_p99_ms", "_qps", "_thread_cpu_p99_ms")) {
        assertTrue(f.get(mode + k).asDouble() > 0, mode + k + " in " + f);
      }
      assertTrue(
          f.get(mode + "_p50_ms").asDouble() <= f.get(mode + "_p99_ms").asDouble(), f.toString());
    }
    double share = f.get("hybrid_encode_share").asDouble();
    assertTrue(share > 0 && share <= 1, f.toString());
    assertTrue(f.get("embed_s").asDouble() > 0, f.toString());
    // Serve: both modes loaded, every request answered with hits, p50 <= p99.
    for (String mode : List.of("hybrid", "bm25")) {
      String p = "serve_" + mode + "_";
      assertEquals(2, f.get(p + "clients").asInt(), f.toString());
      assertTrue(f.get(p + "requests").asInt() > 0, f.toString());
      assertEquals(0, f.get(p + "errors").asInt(), f.toString());
      assertTrue(f.get(p + "rps").asDouble() > 0, f.toString());
      assertTrue(f.get(p + "p50_ms").asDouble() <= f.get(p + "p99_ms").asDouble(), f.toString());
      assertTrue(f.get(p + "heap_after_mb").asDouble() > 0, f.toString());
    }

    // The rankings file: one line per query and mode, each with at most 10 ids.
    List<String> ranked = Files.readAllLines(top);
    assertEquals(60, ranked.size());
    for (String l : ranked) {
      String[] parts = l.split("\t", -1);
      assertEquals(3, parts.length, l);
      assertTrue(parts[2].split(",").length <= 10, l);
    }
  }
}
