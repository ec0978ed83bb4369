package org.synthweave.augmentation.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.synthweave.augmentation.AugmentSamples;
import org.synthweave.augmentation.DatasetSpec;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.spark.Columns;
import org.synthweave.core.testing.HostileColumns;
import org.synthweave.core.testing.SparkTestBase;

/**
 * The tabular ops on the real wine table whose columns carry hostile names (a dot, backtick,
 * quotes, space, comma, parentheses, a star as the label): issue 17, item 6.
 */
class AugmentColumnNamesTest extends SparkTestBase {
  @Test
  void everyTabularOpWorksOnHostileColumnNames() {
    long seed = AugmentSamples.seed();
    String why = "seed " + seed + " (-Dtests.seed=" + seed + ")";
    Dataset<Row> wine = HostileColumns.wine(spark).cache();
    DatasetSpec spec =
        AugmentSamples.spec(
            "wine_hostile",
            "label",
            HostileColumns.LABEL,
            "copies",
            2,
            "ops",
            List.of(
                Map.of("op", "smote", "k", 3),
                Map.of("op", "noise", "sigma", 0.05, "columns", "b.c|a b|x,y"),
                Map.of("op", "mixup"),
                Map.of("op", "scale", "range", 0.05)));
    SparkAugmentation augmentation =
        new SparkAugmentation(spark, catalog, AugmentSamples.config(seed), "test-run");
    RunSummary summary = new RunSummary("r1", "test", Instant.now());
    augmentation.augment(spec, wine, summary);
    summary.checkBalanced();
    SourceCounts counts = summary.total(SparkAugmentation.STAGE);
    assertTrue(counts.out() > 0, why);

    Dataset<Row> gold = spark.read().format("delta").load(catalog.path(spec.target()));
    List<String> columns = List.of(gold.columns());
    for (String name : HostileColumns.NAMES) {
      // Columns starting with '_' are bookkeeping by the augmentation's convention, left out.
      assertEquals(!name.startsWith("_"), columns.contains(name), name + ", " + why);
    }
    assertEquals(counts.out(), gold.count(), why);
    assertEquals(0, gold.where(Columns.col("b.c").isNull()).count(), why);
    // Noise moved the named columns; the label keeps the wine classes.
    assertTrue(
        gold.select(Columns.col(HostileColumns.LABEL)).distinct().count() <= 3, "labels, " + why);
    Row real = wine.agg(org.apache.spark.sql.functions.avg(Columns.col("x,y"))).first();
    Row aug = gold.agg(org.apache.spark.sql.functions.avg(Columns.col("x,y"))).first();
    assertEquals(real.getDouble(0), aug.getDouble(0), 0.2 * real.getDouble(0), why);

    RunSummary again = new RunSummary("r2", "test", Instant.now());
    augmentation.augment(spec, wine, again);
    again.checkBalanced();
    assertEquals(0, again.total(SparkAugmentation.STAGE).out(), why);
  }
}
