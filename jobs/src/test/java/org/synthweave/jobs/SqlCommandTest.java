package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code synthweave sql} as a user runs it: formats, limits, and one-line errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlCommandTest {
  private Path warehouse;

  @BeforeAll
  void writeTables() throws Exception {
    warehouse = Files.createTempDirectory("sql-command-test");
    SparkSession spark = CliRun.deltaSession();
    try {
      spark
          .createDataFrame(
              List.of(
                  RowFactory.create("a", "en", "x, \"quoted\""),
                  RowFactory.create("b", "de", null),
                  RowFactory.create("c", "en", "line")),
              new StructType()
                  .add("id", DataTypes.StringType)
                  .add("language", DataTypes.StringType)
                  .add("title", DataTypes.StringType))
          .write()
          .format("delta")
          .save(warehouse.resolve("silver/documents").toString());
      spark.range(2).write().format("delta").save(warehouse.resolve("quarantine/crawl").toString());
    } finally {
      spark.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
  }

  @AfterAll
  void delete() throws Exception {
    org.synthweave.core.testing.SparkTestBase.repoRoot(); // the test runs inside the checkout
    try (var s = Files.walk(warehouse)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private CliRun sql(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "sql";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRun.inWarehouse(warehouse, all);
  }

  @Test
  void tableFormatAlignsColumns() {
    CliRun r =
        sql(
            "SELECT language, count(*) AS n FROM silver.documents GROUP BY language ORDER BY n DESC");
    assertEquals(0, r.code(), r.err());
    assertEquals(
        "language | n\n-------- | -\nen       | 2\nde       | 1\n(2 rows)\n",
        r.out().replace("\r", ""));
  }

  @Test
  void csvQuotesAndJsonLines() {
    CliRun csv = sql("SELECT id, title FROM silver.documents ORDER BY id", "--format", "csv");
    assertEquals(0, csv.code(), csv.err());
    assertEquals("id,title\na,\"x, \"\"quoted\"\"\"\nb,\nc,line\n", csv.out());
    CliRun json =
        sql("SELECT id FROM silver.documents ORDER BY id", "--format", "json", "--limit", "2");
    assertEquals(0, json.code(), json.err());
    assertEquals("{\"id\":\"a\"}\n{\"id\":\"b\"}\n", json.out());
  }

  @Test
  void limitSaysMoreRowsExist() {
    CliRun r = sql("SELECT id FROM silver.documents ORDER BY id", "--limit", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("(1 row; more not shown, pass --limit N to see more)"), r.out());
  }

  @Test
  void missingTableListsTheTablesInOneLine() {
    CliRun r = sql("SELECT * FROM silver.docs");
    assertEquals(2, r.code(), r.out());
    String err = r.err().strip();
    assertFalse(err.contains("\n"), err);
    assertTrue(
        err.startsWith("synthweave: The SQL query cannot run: [TABLE_OR_VIEW_NOT_FOUND]"), err);
    assertTrue(err.endsWith("Its tables are: quarantine.crawl, silver.documents."), err);
    assertFalse(err.contains("\tat "), err);
  }

  @Test
  void badSyntaxIsOneLine() {
    CliRun r = sql("SELEC id FROM silver.documents");
    assertEquals(2, r.code(), r.out());
    String err = r.err().strip();
    assertFalse(err.contains("\n"), err);
    assertTrue(err.contains("PARSE_SYNTAX_ERROR"), err);
    assertTrue(err.contains("quarantine.crawl, silver.documents"), err);
  }

  @Test
  void badFormatIsRefusedBeforeSparkStarts() {
    CliRun r = sql("SELECT 1", "--format", "xml");
    assertEquals(2, r.code());
    assertTrue(
        r.err().contains("--format is 'xml', which is not one of table, csv, json"), r.err());
  }
}
