package org.synthweave.synthesis.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.Settings;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.synthesis.Condition;
import org.synthweave.synthesis.RealTables;
import org.synthweave.synthesis.SynthesisConfig;
import org.synthweave.synthesis.ctgan.Checkpoint;
import org.synthweave.synthesis.ctgan.ParamState;
import org.synthweave.synthesis.data.ColumnModel;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.model.ModelFiles;

/** The synthesis stage on a local SparkSession with the real Telco churn and credit tables. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkSynthesisTest extends SparkTestBase {
  private long seed;
  private final PrintStream quiet =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  @BeforeAll
  void registerTables() {
    seed = org.synthweave.synthesis.RealTables.seed();
    System.out.println("SparkSynthesisTest seed " + seed);
    register("telco_churn", "telco-churn.csv");
    register("credit_data", "credit-data.csv");
  }

  private void register(String name, String file) {
    spark
        .read()
        .option("header", "true")
        .option("inferSchema", "true")
        .csv(RealTables.path(file).toString())
        .write()
        .format("delta")
        .save(catalog.path(TableCatalog.silver(name)));
  }

  private SynthesisConfig config(String synthesizer, int partitions, int epochs) {
    return config(synthesizer, partitions, epochs, "");
  }

  private SynthesisConfig config(
      String synthesizer, int partitions, int epochs, String classifierTarget) {
    return SynthesisConfig.from(
        Settings.defaults()
            .with(SynthesisConfig.SYNTHESIZER.name(), synthesizer)
            .with(SynthesisConfig.SEED.name(), seed)
            .with(SynthesisConfig.TRAIN_PARTITIONS.name(), partitions)
            .with(SynthesisConfig.EPOCHS.name(), epochs)
            .with(SynthesisConfig.CLASSIFIER_TARGET.name(), classifierTarget));
  }

  @Test
  void specsFollowTheColumnTypes() {
    SparkSynthesis s = new SparkSynthesis(spark, catalog, config("copula", 1, 1), quiet);
    List<ColumnSpec> specs = s.prepare("silver/telco_churn").specs();
    assertEquals(20, specs.size());
    assertEquals(
        List.of("tenure", "monthly_charges", "total_charges"),
        specs.stream()
            .filter(c -> c.kind() == ColumnSpec.Kind.CONTINUOUS)
            .map(ColumnSpec::name)
            .toList());
    assertEquals(
        "int", specs.stream().filter(c -> c.name().equals("female")).findFirst().get().sqlType());
  }

  @Test
  void copulaSynthesizesTheGoldTableOnceWithProvenance() {
    SparkSynthesis s = new SparkSynthesis(spark, catalog, config("copula", 1, 1), quiet);
    RunSummary summary = new RunSummary("t", "test", Instant.now());
    long inserted = s.synthesize("silver/telco_churn", false, summary);
    assertEquals(7043, inserted);
    Dataset<Row> gold =
        spark.read().format("delta").load(catalog.path("gold/telco_churn_synthetic"));
    Dataset<Row> real = spark.read().format("delta").load(catalog.path("silver/telco_churn"));
    for (StructField f : real.schema().fields()) {
      assertEquals(f.dataType(), gold.schema().apply(f.name()).dataType(), f.name());
    }
    assertEquals(1, gold.select("origin").distinct().count());
    assertEquals("synthetic", gold.select("origin").first().getString(0));
    assertTrue(gold.select("generator").first().getString(0).startsWith("copula-"));
    assertEquals(seed, gold.select("seed").first().getLong(0));
    // churn rate and mean tenure close to the real ones
    double realChurn = real.filter(col("churn").equalTo("Yes")).count() / 7043.0;
    double synthChurn = gold.filter(col("churn").equalTo("Yes")).count() / 7043.0;
    assertEquals(realChurn, synthChurn, 0.03, "seed " + seed);
    // a rerun reuses the saved model and the same seed gives the same ids: nothing new
    assertEquals(0, s.synthesize("silver/telco_churn", false, summary));
    summary.checkBalanced();
  }

  /**
   * With {@code total_charges = tenure * monthly_charges} declared, both synthesizers model the
   * ratio, the model files keep the relation, and every sampled row holds it within the spread of
   * the real ratios; a model without the relation is refused for a table that declares one.
   */
  @Test
  void aDeclaredRelationHoldsInEverySampledRow() {
    Settings withRelation =
        Settings.defaults()
            .with(SynthesisConfig.SEED.name(), seed)
            .with(SynthesisConfig.EPOCHS.name(), 1)
            .with(SynthesisConfig.RELATIONS.name(), "total_charges = tenure * monthly_charges");
    Dataset<Row> real = spark.read().format("delta").load(catalog.path("silver/telco_churn"));
    Row range =
        real.filter("tenure > 0")
            .selectExpr(
                "min(total_charges / (tenure * monthly_charges))",
                "max(total_charges / (tenure * monthly_charges))")
            .first();
    for (String kind : List.of("copula", "ctgan")) {
      SynthesisConfig cfg =
          SynthesisConfig.from(withRelation.with(SynthesisConfig.SYNTHESIZER.name(), kind));
      SparkSynthesis s = new SparkSynthesis(spark, catalog, cfg, quiet);
      ColumnSpec total =
          s.prepare("silver/telco_churn").specs().stream()
              .filter(c -> c.name().equals("total_charges"))
              .findFirst()
              .get();
      assertEquals(List.of("tenure", "monthly_charges"), total.ratioOf());
      SparkSynthesis.Trained t = s.train("silver/telco_churn", true);
      ModelFiles.Loaded loaded = s.load(t.dir());
      assertTrue(loaded.model().columns().contains(total), kind + " model file keeps the relation");
      Dataset<Row> rows = s.sample(loaded, t.dir(), 2000, 3, null).cache();
      assertEquals("double", rows.schema().apply("total_charges").dataType().simpleString());
      Row held =
          rows.selectExpr(
                  "count_if(tenure > 0 and total_charges is not null)",
                  "min(total_charges / (tenure * monthly_charges))",
                  "max(total_charges / (tenure * monthly_charges))",
                  "count_if(tenure = 0 and total_charges is not null)")
              .first();
      // Real totals are missing in 0.2% of rows; the copula keeps that share, a CTGAN after one
      // epoch has not learnt it yet.
      long minimum = kind.equals("copula") ? 1900 : 100;
      assertTrue(held.getLong(0) > minimum, kind + " rows with a total: " + held.getLong(0));
      assertTrue(held.getDouble(1) >= range.getDouble(0) - 1e-9, kind + " ratio " + held);
      assertTrue(held.getDouble(2) <= range.getDouble(1) + 1e-9, kind + " ratio " + held);
      assertEquals(0, held.getLong(3), kind + ": no total where the product is 0");
      rows.unpersist();
    }
    // A model trained without the relation does not serve a table that declares it.
    SparkSynthesis plain = new SparkSynthesis(spark, catalog, config("copula", 1, 1), quiet);
    ModelFiles.Loaded noRelation = plain.load(plain.train("silver/telco_churn", true).dir());
    SparkSynthesis related =
        new SparkSynthesis(
            spark,
            catalog,
            SynthesisConfig.from(withRelation.with(SynthesisConfig.SYNTHESIZER.name(), "copula")),
            quiet);
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class,
            () ->
                ModelFiles.checkSchema(
                    noRelation.model(),
                    noRelation.info().id(),
                    "silver/telco_churn",
                    related.prepare("silver/telco_churn").specs()));
    assertTrue(e.getMessage().contains("declared the product of tenure"), e.getMessage());
    SynthweaveException bad =
        assertThrows(
            SynthweaveException.class,
            () ->
                new SparkSynthesis(
                        spark,
                        catalog,
                        SynthesisConfig.from(
                            withRelation.with(
                                SynthesisConfig.RELATIONS.name(), "total_charges = tenure * nope")),
                        quiet)
                    .prepare("silver/telco_churn"));
    assertTrue(bad.getMessage().contains("the table has no column nope"), bad.getMessage());
  }

  @Test
  void ctganTrainsDataParallelSavesAModelAndSamplesWithACondition() throws Exception {
    // With the auxiliary classifier, whose weights the driver averages with the others.
    SparkSynthesis s = new SparkSynthesis(spark, catalog, config("ctgan", 2, 2, "churn"), quiet);
    SparkSynthesis.Trained t = s.train("silver/telco_churn", true);
    assertFalse(t.reused());
    assertTrue(Files.exists(Path.of(t.dir(), ModelFiles.MODEL_JSON)));
    assertTrue(Files.exists(Path.of(t.dir(), ModelFiles.WEIGHTS)));
    assertFalse(Files.exists(Path.of(t.dir(), "checkpoint")), "checkpoint removed after training");
    ModelFiles.Loaded loaded = s.load(t.dir());
    assertEquals(t.loaded().info().version(), loaded.info().version());
    Dataset<Row> rows = s.sample(loaded, t.dir(), 1000, 7, new Condition("churn", "Yes"));
    List<Row> a = rows.collectAsList();
    assertEquals(1000, a.size());
    assertTrue(a.stream().allMatch(r -> "Yes".equals(r.getString(r.fieldIndex("churn")))));
    // deterministic per seed, across Spark tasks
    assertEquals(
        a, s.sample(loaded, t.dir(), 1000, 7, new Condition("churn", "Yes")).collectAsList());
    // a model of telco does not serve the credit table
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class,
            () ->
                ModelFiles.checkSchema(
                    loaded.model(),
                    loaded.info().id(),
                    "silver/credit_data",
                    s.prepare("silver/credit_data").specs()));
    assertTrue(e.getMessage().contains("column churn is missing"), e.getMessage());
    assertTrue(e.getMessage().contains("retrain"), e.getMessage());
  }

  /**
   * TVAE end to end on the driver: trained for two epochs on Telco, saved with its decoder, loaded
   * back, sampled with a condition by Spark tasks (the same rows for the same seed), and reused
   * rather than retrained by a second synthesize. The condition is the majority label: after two
   * epochs TVAE's argmax decoding does not produce the minority one yet (TvaeTest covers rarer
   * conditions on a longer training).
   */
  @Test
  void tvaeTrainsSavesAndSamplesWithACondition() throws Exception {
    SynthesisConfig cfg =
        SynthesisConfig.from(
            Settings.defaults()
                .with(SynthesisConfig.SYNTHESIZER.name(), "tvae")
                .with(SynthesisConfig.SEED.name(), seed)
                .with(SynthesisConfig.TVAE_EPOCHS.name(), 2));
    SparkSynthesis s = new SparkSynthesis(spark, catalog, cfg, quiet);
    SparkSynthesis.Trained t = s.train("silver/telco_churn", true);
    assertFalse(t.reused());
    assertEquals(2, t.epochsRun());
    assertTrue(t.dir().endsWith("/tvae"), t.dir());
    assertTrue(Files.exists(Path.of(t.dir(), ModelFiles.WEIGHTS)));
    assertFalse(Files.exists(Path.of(t.dir(), "checkpoint")), "checkpoint removed after training");
    ModelFiles.Loaded loaded = s.load(t.dir());
    assertEquals("tvae", loaded.info().kind());
    assertTrue(loaded.info().id().startsWith("tvae-"));
    Dataset<Row> rows = s.sample(loaded, t.dir(), 500, 7, new Condition("churn", "No"));
    List<Row> a = rows.collectAsList();
    assertEquals(500, a.size());
    assertTrue(a.stream().allMatch(r -> "No".equals(r.getString(r.fieldIndex("churn")))));
    assertEquals(
        a, s.sample(loaded, t.dir(), 500, 7, new Condition("churn", "No")).collectAsList());
    assertTrue(s.train("silver/telco_churn", false).reused());
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class,
            () ->
                SynthesisConfig.from(
                    Settings.defaults().with(SynthesisConfig.SYNTHESIZER.name(), "vae")));
    assertTrue(e.getMessage().contains("'tvae'"), e.getMessage());
  }

  @Test
  void sparkFitFindsThePointMassesOfTheInMemoryFit() {
    SparkSynthesis s = new SparkSynthesis(spark, catalog, config("ctgan", 1, 1), quiet);
    SparkTableSpecs.Prepared p = s.prepare("silver/credit_data");
    List<Object[]> local = new java.util.ArrayList<>();
    for (Row r : p.rows().collectAsList()) {
      local.add(SparkTableSpecs.values(r, p.specs()));
    }
    // Two modes at most keep the Spark EM short; the point masses do not depend on it.
    DataTransformer onSpark = SparkModeNormalizer.fit(p.rows(), p.specs(), 2, 0.005, 0.1);
    DataTransformer inMemory = DataTransformer.fit(p.specs(), local, 2, 0.005, 0.1);
    boolean debtSeen = false;
    for (int c = 0; c < p.specs().size(); c++) {
      ColumnModel.Continuous a = onSpark.columns().get(c).continuous();
      if (a == null) {
        continue;
      }
      String name = p.specs().get(c).name();
      assertEquals(
          java.util.Arrays.toString(inMemory.columns().get(c).continuous().points()),
          java.util.Arrays.toString(a.points()),
          name);
      if (name.equals("Debt")) {
        debtSeen = true;
        // 82% of the debts are 0; the mixture is fitted on the others
        assertEquals("[0.0]", java.util.Arrays.toString(a.points()));
        for (double mean : a.means()) {
          assertTrue(mean > 50, "Debt mode at " + mean);
        }
      }
    }
    assertTrue(debtSeen);
  }

  @Test
  void checkpointsIgnoreAnotherTrainingsState() {
    ModelStore store = new ModelStore(spark.sparkContext().hadoopConfiguration());
    String dir = warehouse.resolve("cp").toString();
    ParamState state = new ParamState();
    state.put("g.w", new long[] {2}, new float[] {1, 2});
    state.counter("steps.g", 3);
    store.checkpoint(dir, "abc").save(state, 4);
    Checkpoint.Saved saved = store.checkpoint(dir, "abc").latest().orElseThrow();
    assertEquals(4, saved.epochsDone());
    assertEquals(2f, saved.state().values("g.w")[1]);
    assertTrue(store.checkpoint(dir, "other").latest().isEmpty());
  }

  @Test
  void aClassifierTargetMustBeACategoricalColumn() {
    SparkSynthesis s = new SparkSynthesis(spark, catalog, config("ctgan", 1, 1, "Amount"), quiet);
    SynthweaveException e =
        assertThrows(SynthweaveException.class, () -> s.train("silver/credit_data", true));
    assertTrue(e.getMessage().contains("synth.ctgan.classifier-target"), e.getMessage());
    assertTrue(e.getMessage().contains("not a categorical column"), e.getMessage());
    assertTrue(e.getMessage().contains("Status"), e.getMessage());
  }

  @Test
  void aMissingTableIsAClearError() {
    SparkSynthesis s = new SparkSynthesis(spark, catalog, config("copula", 1, 1), quiet);
    SynthweaveException e = assertThrows(SynthweaveException.class, () -> s.prepare("silver/nope"));
    assertTrue(e.getMessage().contains("ingest-table"), e.getMessage());
  }
}
