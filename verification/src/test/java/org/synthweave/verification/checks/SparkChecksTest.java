package org.synthweave.verification.checks;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.config.CoreConfig;
import org.synthweave.core.config.SettingsLoader;
import org.synthweave.core.spark.Columns;
import org.synthweave.core.testing.SparkTestBase;

/**
 * The checks on the bundled wine table, whose columns are renamed to a name with a dot and one with
 * a backtick; expected values come from reading the CSV file in plain Java.
 */
class SparkChecksTest extends SparkTestBase {
  private static final String ALCOHOL = "alcohol.pct";
  private static final String CULTIVAR = "cul`tivar";

  private Dataset<Row> wine;
  private double minAlcohol = Double.MAX_VALUE;
  private double maxAlcohol = -Double.MAX_VALUE;
  private final Set<String> magnesium = new HashSet<>();
  private int rows;
  private int class2;

  @BeforeAll
  void load() throws IOException {
    Path csv = repoRoot().resolve("data/samples/tables/wine.csv");
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    List<String> header = List.of(lines.get(0).split(","));
    for (String line : lines.subList(1, lines.size())) {
      String[] v = line.split(",");
      double a = Double.parseDouble(v[header.indexOf("alcohol")]);
      minAlcohol = Math.min(minAlcohol, a);
      maxAlcohol = Math.max(maxAlcohol, a);
      magnesium.add(v[header.indexOf("magnesium")]);
      class2 += v[header.indexOf("cultivar")].equals("class_2") ? 1 : 0;
      rows++;
    }
    wine =
        spark
            .read()
            .option("header", "true")
            .option("inferSchema", "true")
            .csv(csv.toString())
            .withColumnRenamed("alcohol", ALCOHOL)
            .withColumnRenamed("cultivar", CULTIVAR)
            .cache();
  }

  private DatasetChecks checks(String hocon) throws IOException {
    Path conf = warehouse.resolve("checks-" + System.nanoTime() + ".conf");
    Files.writeString(conf, hocon, StandardCharsets.UTF_8);
    Map<String, Object> values =
        new SettingsLoader(CoreConfig.registry().family(DatasetChecks.PREFIX, DatasetChecks.KEYS))
            .load(conf, List.of())
            .explicitValues();
    return DatasetChecks.from("wine", values);
  }

  private static CheckResult result(List<CheckResult> rs, String check, String metric) {
    return rs.stream()
        .filter(r -> r.check().equals(check) && r.metric().equals(metric))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + check + " " + metric + " in " + rs));
  }

  @Test
  void declaredChecksPassOnTheRealTable() throws IOException {
    DatasetChecks c =
        checks(
            """
            verify.dataset.wine {
              rows { min = 100, max = 1000 }
              columns = [ { column = "alcohol.pct", type = double }, { column = "cul`tivar" } ]
              complete = [ { column = "alcohol.pct", min = 1.0 } ]
              range = [ { column = "alcohol.pct", min = 11, max = 15 } ]
              domain = [ { column = "cul`tivar", values = [class_0, class_1, class_2] } ]
            }
            """);
    List<CheckResult> rs = SparkChecks.run(wine, c);
    assertTrue(rs.stream().allMatch(CheckResult::pass), rs.toString());
    assertEquals(rows, result(rs, "rows", "count").value());
    assertEquals(minAlcohol, result(rs, "range", "min").value());
    assertEquals(maxAlcohol, result(rs, "range", "max").value());
    assertEquals("double", result(rs, "columns", "type").actual());
    assertEquals(0, result(rs, "domain", "outside_domain").value());
  }

  @Test
  void failingChecksCarryTheirValueAndThreshold() throws IOException {
    DatasetChecks c =
        checks(
            """
            verify.dataset.wine {
              rows.min = 1000
              columns = [ { column = "alcohol.pct", type = long }, { column = gone } ]
              complete = [ { column = "alcohol.pct", min = 0.99 } ]
              unique = [ magnesium ]
              range = [ { column = "alcohol.pct", max = 14 } ]
              domain = [ { column = "cul`tivar", values = [class_0, class_1] } ]
            }
            """);
    // Class 2's alcohol made null: completeness is the other classes' share.
    Dataset<Row> holed =
        wine.withColumn(
            ALCOHOL,
            when(Columns.col(CULTIVAR).equalTo("class_2"), lit(null))
                .otherwise(Columns.col(ALCOHOL)));
    List<CheckResult> rs = SparkChecks.run(holed, c);
    assertFalse(rs.stream().anyMatch(CheckResult::pass), rs.toString());
    assertEquals(">= 1000", result(rs, "rows", "count").threshold());
    assertEquals((rows - class2) / (double) rows, result(rs, "complete", "completeness").value());
    assertEquals(magnesium.size() / (double) rows, result(rs, "unique", "distinct_ratio").value());
    assertEquals(class2, result(rs, "domain", "outside_domain").value());
    assertEquals("<= 14", result(rs, "range", "max").threshold());
    assertTrue(result(rs, "range", "max").value() > 14);
    List<String> types =
        rs.stream().filter(r -> r.check().equals("columns")).map(CheckResult::actual).toList();
    assertEquals(List.of("double", "missing"), types);
    assertTrue(
        result(rs, "complete", "completeness").describe().startsWith("FAIL complete(alcohol.pct)"));

    // The same table with no nulls: the range's maximum is the file's.
    List<CheckResult> whole = SparkChecks.run(wine, c);
    assertEquals(maxAlcohol, result(whole, "range", "max").value());
    assertEquals(1.0, result(whole, "complete", "completeness").value());
  }

  @Test
  void badConfigurationIsAOneLineErrorBeforeAnyWork() throws IOException {
    SynthweaveException unknown =
        assertThrows(
            SynthweaveException.class, () -> checks("verify.dataset.wine.uniqe = [magnesium]"));
    assertTrue(unknown.getMessage().contains("Unknown check 'uniqe'"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("Did you mean 'unique'?"), unknown.getMessage());
    assertFalse(unknown.getMessage().contains("\n"), unknown.getMessage());

    DatasetChecks noColumn = checks("verify.dataset.wine.complete = [ { column = alcohol } ]");
    SynthweaveException missing =
        assertThrows(SynthweaveException.class, () -> SparkChecks.run(wine, noColumn));
    assertTrue(missing.getMessage().contains("'alcohol'"), missing.getMessage());
    assertTrue(missing.getMessage().contains("alcohol.pct"), "lists the real columns");

    DatasetChecks textRange =
        checks("verify.dataset.wine.range = [ { column = \"cul`tivar\", max = 1 } ]");
    SynthweaveException notNumber =
        assertThrows(SynthweaveException.class, () -> SparkChecks.run(wine, textRange));
    assertTrue(notNumber.getMessage().contains("not a number"), notNumber.getMessage());

    SynthweaveException badField =
        assertThrows(
            SynthweaveException.class,
            () -> checks("verify.dataset.wine.complete = [ { column = x, minimum = 1 } ]"));
    assertTrue(badField.getMessage().contains("no field 'minimum'"), badField.getMessage());
  }

  @Test
  void everyAggregateComesFromOneAggregation() {
    List<Aggregate> aggs =
        List.of(
            Aggregate.rows(),
            Aggregate.of(Aggregate.Op.DISTINCT, "magnesium"),
            Aggregate.of(Aggregate.Op.DISTINCT, ALCOHOL),
            Aggregate.of(Aggregate.Op.MAX, ALCOHOL));
    Map<Aggregate, Double> one = SparkChecks.measure(wine, aggs);
    for (Aggregate a : aggs) {
      assertEquals(SparkChecks.measure(wine, List.of(a)).get(a), one.get(a), a.toString());
    }
    assertEquals(magnesium.size(), one.get(aggs.get(1)));
  }
}
