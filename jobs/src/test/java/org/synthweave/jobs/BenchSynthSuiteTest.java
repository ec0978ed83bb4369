package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.synthweave.core.testing.SparkTestBase;

/**
 * {@code bench synth --suite} as a user runs it, on the smallest suite table with the fast copula
 * (no GAN training in a test): one line per table with the label shares and goals, whose verdicts
 * follow from the figures on the same line, and a summary line of the same figures.
 */
class BenchSynthSuiteTest {
  private static final String SAMPLES =
      SparkTestBase.repoRoot().resolve("data/samples/tables").toString();

  @Test
  void aSuiteRunPrintsOneJudgedLinePerTableAndASummary() throws Exception {
    // copula alone, then auto over copula and a short TVAE (its candidates judged too).
    CliRun r =
        CliRun.of(
            "--set",
            "synth.auto.candidates=copula,tvae",
            "--set",
            "synth.tvae.epochs=3",
            // Batches of 500 (one step an epoch): a TVAE this short still decodes every species.
            "--set",
            "synth.tvae.batch-size=500",
            "bench",
            "synth",
            "--tables",
            "penguins",
            "--synthesizers",
            "copula,auto",
            "--samples",
            SAMPLES);
    assertEquals(0, r.code(), r.err());
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String l : r.out().split("\n")) {
      if (l.startsWith("{")) {
        lines.add(json.readTree(l));
      }
    }
    assertEquals(5, lines.size(), r.out());

    JsonNode line = lines.get(0);
    assertEquals("penguins", line.get("dataset").asText());
    assertEquals("species", line.get("target").asText());
    assertEquals("copula", line.get("synthesizer").asText());
    // Chinstrap is the rarest species (68 of 344); the seeded 80% split keeps it near 20%.
    assertEquals("Chinstrap", line.get("label_class").asText());
    assertEquals(68.0 / 344, line.get("label_share_real").asDouble(), 0.03);
    double diff = line.get("label_share_diff").asDouble();
    assertTrue(
        diff
            >= Math.abs(
                    line.get("label_share_real").asDouble()
                        - line.get("label_share_synthetic").asDouble())
                - 1e-3,
        line::toString);
    assertEquals(diff <= 0.05, line.get("goal_label_share").asBoolean(), line::toString);
    assertEquals(
        line.get("detection_auc").asDouble() < line.get("baseline_detection_auc").asDouble(),
        line.get("goal_detection_below_baseline").asBoolean(),
        line::toString);
    assertEquals(
        line.get("tstr_ratio").asDouble() >= 0.85,
        line.get("goal_tstr_ratio").asBoolean(),
        line::toString);
    assertTrue(line.get("goal_tstr_auc_ratio").isNull(), "three species: no ROC AUC ratio");
    assertEquals(
        line.get("exact_copy_rate").asDouble() <= 0.01,
        line.get("goal_exact_copies").asBoolean(),
        line::toString);
    boolean all =
        line.get("goal_label_share").asBoolean()
            && line.get("goal_detection_below_baseline").asBoolean()
            && line.get("goal_tstr_ratio").asBoolean()
            && line.get("goal_exact_copies").asBoolean();
    assertEquals(all, line.get("goals_met").asBoolean(), line::toString);

    JsonNode auto = lines.get(1);
    assertEquals("auto", auto.get("synthesizer").asText(), auto::toString);
    String chose = auto.get("auto_chose").asText();
    assertEquals(2, auto.get("auto_candidates").size(), auto::toString);
    for (int i = 2; i <= 3; i++) {
      JsonNode c = lines.get(i);
      assertEquals("auto", c.get("candidate_of").asText(), c::toString);
      assertEquals(i == 2 ? "copula" : "tvae", c.get("synthesizer").asText(), c::toString);
      assertTrue(c.get("detection_auc").isNumber(), c::toString);
      // The baseline depends on the split and the row count only: measured once, shared.
      assertEquals(auto.get("baseline_detection_auc"), c.get("baseline_detection_auc"));
      if (c.get("synthesizer").asText().equals(chose)) {
        assertEquals(auto.get("detection_auc"), c.get("detection_auc"), c::toString);
        assertEquals(auto.get("model"), c.get("model"), c::toString);
      } else {
        assertNotEquals(auto.get("model"), c.get("model"), c::toString);
      }
    }

    JsonNode summary = lines.get(4);
    assertTrue(summary.get("summary").asBoolean(), summary::toString);
    assertEquals(1, summary.get("tables").asInt());
    JsonNode copula = summary.get("synthesizers").get("copula");
    assertEquals(1, copula.get("tables").asInt());
    assertEquals(
        line.get("detection_auc").asDouble(), copula.get("median_detection_auc").asDouble(), 1e-9);
    assertEquals(
        line.get("tstr_ratio").asDouble(), copula.get("median_tstr_ratio").asDouble(), 1e-9);
    assertTrue(copula.get("median_tstr_auc_ratio").isNull(), copula::toString);
    assertEquals(all ? 1 : 0, copula.get("tables_meeting_all_goals").asInt(), copula::toString);
    assertEquals(0, copula.get("failed").size());
    JsonNode perSynth = summary.get("synthesizers");
    for (String name : List.of("auto", "auto:copula", "auto:tvae")) {
      assertEquals(1, perSynth.get(name).get("tables").asInt(), summary::toString);
    }
    assertEquals(
        lines.get(3).get("detection_auc").asDouble(),
        perSynth.get("auto:tvae").get("median_detection_auc").asDouble(),
        1e-9);
  }

  @Test
  void badSuiteOptionsFailBeforeAnyWork() {
    CliRun unknown = CliRun.of("bench", "synth", "--tables", "penguin", "--samples", SAMPLES);
    assertEquals(2, unknown.code(), unknown.err());
    assertTrue(unknown.err().contains("penguins, satellite"), unknown.err());
    CliRun both = CliRun.of("bench", "synth", "--suite", "--datasets", "wine");
    assertEquals(2, both.code(), both.err());
    assertTrue(both.err().contains("--datasets cannot be used together"), both.err());
    CliRun noEval = CliRun.of("bench", "synth", "--suite", "--no-evaluate");
    assertEquals(2, noEval.code(), noEval.err());
    assertTrue(noEval.err().contains("--no-evaluate"), noEval.err());
  }
}
