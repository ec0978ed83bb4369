package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.config.Settings;
import org.synthweave.core.config.SettingsLoader;
import org.synthweave.ingest.table.SparkTableIngest;
import org.synthweave.ingest.table.TableInputs;
import org.synthweave.verification.checks.DatasetChecks;

/** The tables {@code ingest} and {@code run} register, as the job config declares them. */
class TableInputsTest {
  private static Settings load(String... sets) {
    return new SettingsLoader(JobContext.registry()).load(null, List.of(sets));
  }

  @Test
  void theEmbeddedDefaultIngestsTheWineSample() {
    List<TableInputs> t = TableInputs.from(load());
    assertEquals(1, t.size(), t.toString());
    assertEquals("wine", t.get(0).name());
    assertEquals(List.of("data/samples/tables/wine.csv"), t.get(0).inputs());
    assertNull(t.get(0).format());
    assertNull(t.get(0).schema());
  }

  @Test
  void formatAndSchemaAreRead() {
    List<TableInputs> t =
        TableInputs.from(
            load(
                "ingest.tables=[wine, votes]",
                "ingest.table.votes.inputs=[a.jsonl]",
                "ingest.table.votes.format=JSON",
                "ingest.table.votes.schema=a INT, b STRING"));
    assertEquals(List.of("wine", "votes"), t.stream().map(TableInputs::name).toList());
    assertEquals(SparkTableIngest.Format.JSON, t.get(1).format());
    assertEquals("a INT, b STRING", t.get(1).schema());
  }

  @Test
  void aJobFileDropsWhatTheEmbeddedDefaultDeclaresWithNull(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("job.conf");
    Files.writeString(
        conf,
        "ingest.tables = []\ningest.table.wine = null\nverify.dataset.silver_wine = null\n",
        StandardCharsets.UTF_8);
    Settings s = new SettingsLoader(JobContext.registry()).load(conf, List.of());
    assertEquals(List.of(), TableInputs.from(s));
    assertFalse(s.explicitValues().containsKey("ingest.table.wine.inputs"));
    List<String> checked =
        DatasetChecks.all(s.explicitValues()).stream().map(DatasetChecks::name).toList();
    assertEquals(List.of("gold_wine_synthetic"), checked);
    assertEquals(conf.toString(), s.origin("ingest.tables"));
  }

  @Test
  void mistakesAreNamedWithTheFix() {
    SynthweaveException noInputs =
        assertThrows(
            SynthweaveException.class, () -> TableInputs.from(load("ingest.tables=[votes]")));
    assertTrue(noInputs.getMessage().contains("ingest.table.votes.inputs"), noInputs.getMessage());

    SynthweaveException badFormat =
        assertThrows(
            SynthweaveException.class,
            () -> TableInputs.from(load("ingest.table.wine.format=xlsx")));
    assertTrue(badFormat.getMessage().contains("csv, parquet, json"), badFormat.getMessage());

    SynthweaveException misspelt =
        assertThrows(
            SynthweaveException.class,
            () -> TableInputs.from(load("ingest.table.wine.input=[x.csv]")));
    assertTrue(misspelt.getMessage().contains("ingest.table.wine.inputs"), misspelt.getMessage());
  }
}
