package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.config.CoreConfig;
import org.synthweave.core.config.SettingsLoader;
import org.synthweave.core.testing.SparkTestBase;

/**
 * explain-gpu on the bundled samples, run once for the class (one SparkSession for all stages):
 * RAPIDS' ExplainPlan finds no CPU fallback outside the declared list in the ingest deduplication,
 * the tabular and time-series augmentation, the row features and the synthetic evaluation.
 */
class ExplainGpuTest {
  private static final List<String> CHECKED = List.of("ingest", "augment", "features", "evaluate");
  private static final Map<String, JsonNode> STAGES = new LinkedHashMap<>();

  // explain-gpu works in a temporary warehouse of its own; this one only satisfies CliRun
  @TempDir static Path warehouse;

  @BeforeAll
  static void explainTheSamples() throws Exception {
    Path root = SparkTestBase.repoRoot();
    CliRun r =
        CliRun.inWarehouse(
            warehouse,
            "--set",
            "ingest.crawl.inputs=[\"" + root.resolve("data/samples/crawl") + "\"]",
            "--set",
            "ingest.telemetry.inputs=[\""
                + root.resolve("data/samples/telemetry/readings.jsonl")
                + "\", \""
                + root.resolve("data/samples/telemetry/readings.csv")
                + "\"]",
            "--set",
            "ingest.telemetry.schema=" + root.resolve("conf/telemetry-schema.conf"),
            "--set",
            "ingest.telemetry.devices=" + root.resolve("conf/devices.csv"),
            "--set",
            "ingest.table.wine.inputs=[\"" + root.resolve("data/samples/tables/wine.csv") + "\"]",
            "explain-gpu",
            "--stage",
            String.join(",", CHECKED),
            "--json");
    assertEquals(0, r.code(), () -> "explain-gpu failed:\n" + r.err() + r.out());
    ObjectMapper json = new ObjectMapper();
    for (String line : r.out().split("\n")) {
      JsonNode o = json.readTree(line);
      System.out.println(line); // the per-stage figures, for docs/BENCHMARKS.md
      STAGES.put(o.get("stage").asText(), o);
    }
  }

  @Test
  void everyCheckedStageHasNoUndeclaredCpuFallback() {
    assertEquals(CHECKED, List.copyOf(STAGES.keySet()));
    for (String stage : CHECKED) {
      JsonNode o = STAGES.get(stage);
      assertTrue(o.get("queries").asInt() > 0, stage + " ran no query: " + o);
      assertTrue(o.get("operators").asInt() > 0, stage + " has no operator: " + o);
      assertEquals(
          0,
          o.get("undeclared_fallbacks").size(),
          () ->
              stage
                  + " falls back to the CPU outside synthweave/gpu-cpu-fallbacks.txt: "
                  + o.get("undeclared_fallbacks").toPrettyString());
    }
  }

  @Test
  void theDeduplicationAndEvaluationAggregatesRunOnTheGpu() {
    // ingest deduplicates with a window (first record per content id) and counts by aggregates
    assertTrue(onGpu("ingest").contains("Exec WindowExec"), () -> "ingest: " + onGpu("ingest"));
    assertTrue(
        onGpu("ingest").contains("Exec HashAggregateExec"), () -> onGpu("ingest").toString());
    assertTrue(
        onGpu("evaluate").contains("Exec HashAggregateExec"), () -> onGpu("evaluate").toString());
    for (String stage : CHECKED) {
      double share = STAGES.get(stage).get("gpu_share").asDouble();
      assertTrue(share > 0 && share <= 1, stage + " gpu_share " + share);
    }
  }

  @Test
  void anUndeclaredFallbackIsReportedAndAKnockOnIsNot() {
    String explain =
        String.join(
            "\n",
            "!Exec <ProjectExec> cannot run on GPU because not all expressions can be replaced",
            "  @Expression <Alias> upper(name#1) AS u#2 could run on GPU",
            "  !Expression <Upper> upper(name#1) cannot run on GPU because the Expression Upper has"
                + " been disabled",
            "  *Expression <AttributeReference> name#1 will run on GPU",
            "!Exec <InMemoryTableScanExec> cannot run on GPU because ParquetCachedBatchSerializer is"
                + " not being used",
            "*Exec <HashAggregateExec> will run on GPU");
    List<GpuPlanReport.Entry> entries = GpuPlanReport.parse(explain);
    assertEquals(6, entries.size());
    GpuPlanReport.Stage stage = new GpuPlanReport.Stage("s", 1, entries);
    GpuFallbacks declared = GpuFallbacks.declared();
    List<String> undeclared = new ArrayList<>();
    stage.undeclared(declared).forEach(e -> undeclared.add(e.name()));
    // the disabled Upper is the cause; its Project and Alias only follow it; the cache is declared
    assertEquals(List.of("Upper"), undeclared);
    assertEquals(1, stage.operatorsOnGpu());
    assertEquals(3, stage.operators());
    assertFalse(stage.toJson(declared).contains("\"undeclared_fallbacks\":[]"));
  }

  @Test
  void gpuConfPassesTheRapidsSettingsToSpark() {
    Map<String, String> conf =
        CoreConfig.from(
                new SettingsLoader(JobContext.registry())
                    .load(SparkTestBase.repoRoot().resolve("conf/gpu.conf"), List.of()))
            .sparkConf();
    assertEquals("com.nvidia.spark.SQLPlugin", conf.get("spark.plugins"));
    assertEquals("1", conf.get("spark.executor.resource.gpu.amount"));
    assertEquals("0.25", conf.get("spark.task.resource.gpu.amount"));
    assertEquals("UTC", conf.get("spark.sql.session.timeZone"));
    assertEquals("NOT_ON_GPU", conf.get("spark.rapids.sql.explain"));
    assertTrue(conf.containsKey("spark.rapids.sql.concurrentGpuTasks"), conf::toString);
    assertTrue(conf.containsKey("spark.rapids.memory.pinnedPool.size"), conf::toString);
    assertTrue(conf.containsKey("spark.executor.resource.gpu.discoveryScript"), conf::toString);
  }

  @Test
  void everyDeclaredFallbackSaysWhy() {
    List<GpuFallbacks.Line> lines = GpuFallbacks.declared().lines();
    assertFalse(lines.isEmpty());
    for (GpuFallbacks.Line l : lines) {
      assertTrue(l.why().length() > 20, "too short a reason: " + l);
    }
  }

  /** Operators and expressions of which at least one instance runs on the GPU. */
  private static List<String> onGpu(String stage) {
    List<String> out = new ArrayList<>();
    STAGES.get(stage).get("on_gpu").forEach(n -> out.add(n.asText()));
    for (JsonNode f : STAGES.get(stage).get("not_on_gpu")) {
      if (f.get("on_gpu").asInt() > 0) {
        out.add(f.get("kind").asText() + " " + f.get("name").asText());
      }
    }
    return out;
  }
}
