package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.spark.Columns;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.ingest.table.SparkTableIngest;

/**
 * The registry of {@code bench synth --suite}: every table is a committed real sample with its
 * target column, and ingests as {@code ingest-table} would into a silver table whose target is a
 * categorical column with every class of the file.
 */
class SynthSuiteTest extends SparkTestBase {
  private static final Path TABLES = repoRoot().resolve("data/samples/tables");

  @Test
  void theSuiteHasAtLeastEightDistinctTables() {
    assertTrue(SynthSuite.TABLES.size() >= 8, SynthSuite.TABLES::toString);
    Set<String> tables = new HashSet<>();
    for (SynthSuite.Table t : SynthSuite.TABLES) {
      assertTrue(tables.add(t.table()), "twice: " + t.table());
      assertTrue(!t.domain().isBlank() && !t.source().isBlank(), t::toString);
    }
  }

  @Test
  void everyFileExistsWithItsTargetInTheHeader() throws IOException {
    for (SynthSuite.Table t : SynthSuite.TABLES) {
      Path file = TABLES.resolve(t.file());
      assertTrue(Files.isRegularFile(file), "missing " + file);
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        // No header of the suite holds a comma or a quote inside a name.
        List<String> header =
            Arrays.stream(r.readLine().split(",", -1)).map(h -> h.replace("\"", "")).toList();
        assertTrue(header.contains(t.target()), t.name() + ": no " + t.target() + " in " + header);
      }
    }
  }

  @Test
  void everyTableIngestsWithItsTargetAsACategoricalColumn() {
    SparkTableIngest ingest = new SparkTableIngest(spark, catalog, 1 << 20);
    for (SynthSuite.Table t : SynthSuite.TABLES) {
      String file = TABLES.resolve(t.file()).toString();
      RunSummary summary = new RunSummary("r", "ingest-table", Instant.now());
      ingest.ingest(t.table(), List.of(file), null, null, summary);
      Dataset<Row> csv = spark.read().option("header", "true").csv(file);
      Dataset<Row> silver =
          spark.read().format("delta").load(catalog.path(TableCatalog.silver(t.table())));
      summary.checkBalanced();
      SourceCounts c = summary.total(SparkTableIngest.STAGE + ":" + TableCatalog.silver(t.table()));
      assertEquals(csv.count(), c.in(), t.name());
      assertEquals(0, c.quarantined(), t.name() + " quarantined rows");
      assertEquals(c.out(), silver.count(), t.name());
      // Categorical: text, or a boolean when the classes read as one (telco's Yes/No).
      DataType type = silver.schema().apply(t.target()).dataType();
      assertTrue(
          type.equals(DataTypes.StringType) || type.equals(DataTypes.BooleanType),
          t.name() + ": " + type);
      long classes = classes(silver, t.target());
      assertEquals(classes(csv, t.target()), classes, t.name());
      assertTrue(classes >= 2, t.name());
    }
  }

  private static long classes(Dataset<Row> rows, String column) {
    return rows.select(Columns.col(column))
        .where(Columns.col(column).isNotNull())
        .distinct()
        .count();
  }

  @Test
  void selectKeepsTheOrderGivenAndNamesTheSuiteForAnUnknownTable() {
    assertEquals(SynthSuite.TABLES, SynthSuite.select(null));
    assertEquals(
        List.of("wine", "penguins"),
        SynthSuite.select(List.of("wine", "penguins")).stream()
            .map(SynthSuite.Table::name)
            .toList());
    SynthweaveException e =
        assertThrows(SynthweaveException.class, () -> SynthSuite.select(List.of("penguin")));
    assertTrue(e.getMessage().contains("penguins"), e::getMessage);
    assertTrue(e.getMessage().contains("--tables names penguin,"), e::getMessage);
  }
}
