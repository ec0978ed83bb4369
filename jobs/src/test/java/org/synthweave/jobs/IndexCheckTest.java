package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.config.SettingsLoader;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.vectors.HnswParams;
import org.synthweave.vectors.HnswShardWriter;
import org.synthweave.vectors.IndexConfig;
import org.synthweave.vectors.IndexDescriptor;
import org.synthweave.verification.checks.CheckResult;
import org.synthweave.verification.checks.IndexCheck;

/**
 * Index checks on small indexes of the bundled wine table's standardized numeric columns (178
 * vectors of 13 dimensions in two shards): recall@10 is eval-index's figure, and a wrong model,
 * dimension count or a graph too sparse for the recall fails with its value. Then {@code check}
 * runs them with a synthetic-table check on the ingested wine table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndexCheckTest {
  private static final String MODEL = "wine-columns";

  @TempDir static Path warehouse;
  private IndexConfig config;

  @BeforeAll
  void build() throws IOException {
    List<float[]> vectors = wineVectors();
    write("rows-wine", vectors, HnswParams.defaults(HnswParams.Similarity.EUCLIDEAN));
    // The sparsest graph Lucene builds: two neighbours per node, a beam of one.
    write(
        "rows-wine-sparse",
        vectors,
        new HnswParams(HnswParams.Similarity.EUCLIDEAN, 2, 1, HnswParams.Quantization.NONE));
    config = IndexConfig.from(new SettingsLoader(JobContext.registry()).load(null, List.of()));
  }

  /** The wine table's numeric columns, each standardized over the table. */
  private static List<float[]> wineVectors() throws IOException {
    List<String> lines =
        Files.readAllLines(
            SparkTestBase.repoRoot().resolve("data/samples/tables/wine.csv"),
            StandardCharsets.UTF_8);
    List<String> header = List.of(lines.get(0).split(","));
    int label = header.indexOf("cultivar");
    List<double[]> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      double[] v = new double[header.size() - 1];
      for (int i = 0, j = 0; i < f.length; i++) {
        if (i != label) {
          v[j++] = Double.parseDouble(f[i]);
        }
      }
      rows.add(v);
    }
    int d = rows.get(0).length;
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (double[] r : rows) {
      for (int i = 0; i < d; i++) {
        mean[i] += r[i] / rows.size();
      }
    }
    for (double[] r : rows) {
      for (int i = 0; i < d; i++) {
        sd[i] += (r[i] - mean[i]) * (r[i] - mean[i]) / rows.size();
      }
    }
    List<float[]> out = new ArrayList<>();
    for (double[] r : rows) {
      float[] v = new float[d];
      for (int i = 0; i < d; i++) {
        v[i] = (float) ((r[i] - mean[i]) / Math.sqrt(sd[i]));
      }
      out.add(v);
    }
    return out;
  }

  /** An index as the index stage lays it out: shards and the index.json that commits them. */
  private void write(String name, List<float[]> vectors, HnswParams params) throws IOException {
    Path dir = warehouse.resolve("index").resolve(name);
    List<IndexDescriptor.Shard> shards = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      String shard = "g1-p" + s;
      long n = 0;
      try (HnswShardWriter w =
          new HnswShardWriter(dir.resolve(shard), vectors.get(0).length, params)) {
        for (int i = s; i < vectors.size(); i += 2) {
          w.add("wine-" + i, vectors.get(i), Map.of());
          n++;
        }
      }
      shards.add(new IndexDescriptor.Shard(shard, n, 0));
    }
    IndexDescriptor d =
        new IndexDescriptor(
            name,
            vectors.get(0).length,
            params,
            "row",
            MODEL,
            "v1",
            "silver/wine",
            0,
            List.of(),
            List.of(),
            1,
            shards,
            "2026-12-05T00:00:00Z");
    Files.write(dir.resolve(IndexDescriptor.FILE), d.toJson());
  }

  private List<CheckResult> check(String index, IndexCheck c) {
    return DatasetChecking.runIndex(warehouse.resolve("index").resolve(index), c, config);
  }

  @Test
  void recallIsEvalIndexsFigureAndTheExpectedModelAndDimensionsPass() throws Exception {
    List<CheckResult> rs = check("rows-wine", new IndexCheck("", 0.95, MODEL, 13, 100, 50));
    assertTrue(rs.stream().allMatch(CheckResult::pass), rs.toString());
    assertEquals(
        List.of("recall_at_10", "model", "dimensions"),
        rs.stream().map(CheckResult::metric).toList());
    assertEquals("rows-wine", rs.get(0).column());

    CliRun eval =
        CliRun.of(
            "--set",
            "warehouse=" + warehouse,
            "eval-index",
            "--index",
            "rows-wine",
            "--queries",
            "100",
            "--candidates",
            "50",
            "--seed",
            Long.toString(IndexCheck.SEED));
    assertEquals(0, eval.code(), eval.err());
    String line = eval.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
    JsonNode point = new ObjectMapper().readTree(line).get("points").get(0);
    assertEquals(point.get("recall_at_k").asDouble(), rs.get(0).value(), 0.00005);
  }

  @Test
  void anotherModelOrDimensionOrASparseGraphFails() {
    List<CheckResult> rs =
        check("rows-wine", new IndexCheck("", Double.NaN, "all-MiniLM-L6-v2@" + "v1", 384, 100, 0));
    assertEquals(
        List.of(
            "FAIL index(rows-wine) model = wine-columns@v1, needs = all-MiniLM-L6-v2@v1",
            "FAIL index(rows-wine) dimensions = 13, needs = 384"),
        rs.stream().map(CheckResult::describe).toList());

    IndexCheck strict = new IndexCheck("", 1.0, "", 0, 178, 1);
    CheckResult dense = check("rows-wine", strict).get(0);
    CheckResult sparse = check("rows-wine-sparse", strict).get(0);
    assertTrue(sparse.value() < dense.value(), sparse + " vs " + dense);
    assertFalse(sparse.pass(), sparse.toString());
    assertEquals(">= 1", sparse.threshold());
  }

  @Test
  void checkRunsTheSyntheticAndIndexChecksAndWritesTheQualityPage() throws Exception {
    Path wine = SparkTestBase.repoRoot().resolve("data/samples/tables/wine.csv");
    List<String> base =
        List.of(
            "--set",
            "warehouse=" + warehouse,
            "--set",
            "spark.master=local[2]",
            "--set",
            "spark.conf.spark.driver.host=127.0.0.1",
            "--set",
            "progress.interval-ms=0");
    List<String> ingest = new ArrayList<>(base);
    ingest.addAll(List.of("ingest-table", "wine", wine.toString()));
    CliRun in = CliRun.of(ingest.toArray(String[]::new));
    assertEquals(0, in.code(), in.err());
    // The real table checked as its own synthetic copy: the privacy threshold fails.
    Path conf = warehouse.resolve("checks.conf");
    Files.writeString(
        conf,
        """
        verify.synthetic { trees = 10, max-depth = 5 }
        verify.dataset.wine {
          table = "silver/wine"
          rows.min = 100
          synthetic { real = "silver/wine", target = cultivar, exact-copy-max = 0.01 }
          index { name = rows-wine, recall-min = 0.9, model = wine-columns, dimensions = 13 }
        }
        """,
        StandardCharsets.UTF_8);
    Path export = warehouse.resolve("datasets/silver_wine/0");
    Files.createDirectories(export);
    List<String> check = new ArrayList<>(base);
    check.addAll(List.of("--conf", conf.toString(), "check", "wine"));
    CliRun r = CliRun.of(check.toArray(String[]::new));
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("ok   rows count = 178, needs >= 100"), r.out());
    assertTrue(r.out().contains("FAIL synthetic exact_copy_rate = "), r.out());
    assertTrue(r.out().contains("ok   index(rows-wine) recall_at_10 = "), r.out());
    assertTrue(r.out().contains("ok   index(rows-wine) model = wine-columns"), r.out());
    assertTrue(r.out().contains("wine: 5 checks, 4 passed, 1 failed"), r.out());
    assertTrue(r.err().contains("failed 1 check: synthetic exact_copy_rate = "), r.err());

    JsonNode q = new ObjectMapper().readTree(export.resolve("quality.json").toFile());
    assertFalse(q.get("passed").asBoolean());
    assertEquals(5, q.get("checks").size());
    JsonNode copies = q.get("checks").get(1);
    assertEquals("exact_copy_rate", copies.get("metric").asText());
    // Every real row is in the synthetic table: the training rows (about 80%) are copies.
    assertTrue(copies.get("value").asDouble() > 0.7, copies.toString());
    String html = Files.readString(export.resolve("quality.html"), StandardCharsets.UTF_8);
    org.jsoup.nodes.Document doc = org.jsoup.Jsoup.parse(html);
    assertEquals(5, doc.select("table#checks tbody tr").size(), html);
    assertEquals(1, doc.select("table#checks tbody tr.fail").size(), html);
  }
}
