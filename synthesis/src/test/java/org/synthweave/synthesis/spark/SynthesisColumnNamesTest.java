package org.synthweave.synthesis.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.Settings;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.spark.Columns;
import org.synthweave.core.testing.HostileColumns;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.synthesis.Condition;
import org.synthweave.synthesis.RealTables;
import org.synthweave.synthesis.SynthesisConfig;

/**
 * Copula and CTGAN on the real wine table whose columns carry hostile names (issue 17, item 6): a
 * dot, backtick, quotes, space, comma, parentheses, unicode, and a star as the class label.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SynthesisColumnNamesTest extends SparkTestBase {
  private static final String TABLE = TableCatalog.silver("wine_hostile");
  private long seed;
  private final PrintStream quiet =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  @BeforeAll
  void registerTable() {
    seed = RealTables.seed();
    System.out.println("SynthesisColumnNamesTest seed " + seed);
    HostileColumns.wine(spark)
        .write()
        .format("delta")
        .option(Columns.COLUMN_MAPPING_MODE, "name")
        .save(catalog.path(TABLE));
  }

  private SynthesisConfig config(String synthesizer, String classifierTarget) {
    return SynthesisConfig.from(
        Settings.defaults()
            .with(SynthesisConfig.SYNTHESIZER.name(), synthesizer)
            .with(SynthesisConfig.SEED.name(), seed)
            .with(SynthesisConfig.TRAIN_PARTITIONS.name(), 1)
            .with(SynthesisConfig.EPOCHS.name(), 2)
            .with(SynthesisConfig.CLASSIFIER_TARGET.name(), classifierTarget));
  }

  @Test
  void copulaWritesEveryHostileColumnWithItsType() {
    SparkSynthesis s = new SparkSynthesis(spark, catalog, config("copula", ""), quiet);
    RunSummary summary = new RunSummary("t", "test", Instant.now());
    assertEquals(178, s.synthesize(TABLE, false, summary), "seed " + seed);
    summary.checkBalanced();
    Dataset<Row> gold =
        spark.read().format("delta").load(catalog.path("gold/wine_hostile_synthetic"));
    Dataset<Row> real = spark.read().format("delta").load(catalog.path(TABLE));
    // Columns starting with '_' (here the empty header's _c6) are bookkeeping, not modelled.
    for (StructField f : real.schema().fields()) {
      if (!f.name().startsWith("_")) {
        assertEquals(f.dataType(), gold.schema().apply(f.name()).dataType(), f.name());
      }
    }
    assertEquals(0, gold.where(Columns.col("a`b").isNull()).count(), "seed " + seed);
    assertTrue(
        List.of("class_0", "class_1", "class_2")
            .containsAll(
                gold.select(Columns.col("*"))
                    .distinct()
                    .as(org.apache.spark.sql.Encoders.STRING())
                    .collectAsList()),
        "seed " + seed);
  }

  @Test
  void ctganTrainsAndSamplesWithAConditionOnAHostileName() {
    SparkSynthesis s =
        new SparkSynthesis(spark, catalog, config("ctgan", HostileColumns.LABEL), quiet);
    SparkSynthesis.Trained t = s.train(TABLE, true);
    Dataset<Row> rows =
        s.sample(s.load(t.dir()), t.dir(), 200, 7, new Condition(HostileColumns.LABEL, "class_1"));
    List<Row> a = rows.collectAsList();
    assertEquals(200, a.size());
    assertTrue(
        a.stream().allMatch(r -> "class_1".equals(r.getString(r.fieldIndex("*")))), "seed " + seed);
    List<String> modelled = HostileColumns.NAMES.stream().filter(n -> !n.startsWith("_")).toList();
    assertEquals(modelled.size() + 4, rows.columns().length);
    assertTrue(List.of(rows.columns()).containsAll(modelled));
  }
}
