package org.synthweave.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.testing.SparkTestBase;

/**
 * The notebook API on a small warehouse written here: tables by name, a missing name, SQL, history
 * and time travel, HTML output. One Workbench (one SparkSession) for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkbenchTest {
  private Path warehouse;
  private Workbench wb;

  private static final StructType DOCS =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("language", DataTypes.StringType)
          .add("tags", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));

  @BeforeAll
  void open() throws Exception {
    warehouse = Files.createTempDirectory("workbench-test");
    wb = Workbench.open(null, List.of("warehouse=" + warehouse, "spark.shuffle-partitions=2"));
    SparkSession spark = wb.spark();
    write(spark, "silver/documents", List.of(doc("a", "en"), doc("b", "de")), "overwrite");
    write(spark, "silver/documents", List.of(doc("c", "en")), "append");
    // version 2: b is replaced by b with another language
    wb.sql("SELECT 1").collectAsList();
    spark
        .sql(
            "UPDATE delta.`"
                + warehouse.resolve("silver/documents")
                + "` SET language = 'fr' WHERE id = 'b'")
        .collectAsList();
    Dataset<Row> runs =
        spark.createDataFrame(
            List.of(
                RowFactory.create(
                    "r1", "ingest", 3L, java.sql.Timestamp.valueOf("2026-01-01 10:00:00"), "*"),
                RowFactory.create(
                    "r2", "embed", 2L, java.sql.Timestamp.valueOf("2026-01-02 10:00:00"), "*")),
            new StructType()
                .add("run_id", DataTypes.StringType)
                .add("stage", DataTypes.StringType)
                .add("records_in", DataTypes.LongType)
                .add("finished_at", DataTypes.TimestampType)
                .add("source", DataTypes.StringType));
    runs.write().format("delta").save(warehouse.resolve("_runs").toString());
  }

  private static Row doc(String id, String language) {
    return RowFactory.create(id, language, scala.collection.immutable.Map$.MODULE$.empty());
  }

  private void write(SparkSession spark, String table, List<Row> rows, String mode) {
    spark
        .createDataFrame(rows, DOCS)
        .write()
        .format("delta")
        .mode(mode)
        .save(warehouse.resolve(table).toString());
  }

  @AfterAll
  void close() throws Exception {
    if (wb != null) {
      wb.close();
    }
    SparkTestBaseAccess.delete(warehouse);
  }

  @Test
  void tablesListsEveryTableWithItsSize() {
    Map<String, Row> byName =
        wb.tables().collectAsList().stream().collect(Collectors.toMap(r -> r.getString(0), r -> r));
    assertEquals(List.of("_runs", "silver.documents"), byName.keySet().stream().sorted().toList());
    Row docs = byName.get("silver.documents");
    assertEquals(2L, docs.getLong(1), "version");
    assertEquals(3L, docs.getLong(2), "rows");
    assertTrue(docs.getLong(4) > 0, "bytes");
    assertEquals(List.of("_runs", "silver.documents"), wb.tableNames());
  }

  @Test
  void tableByEitherName() {
    assertEquals(3, wb.table("silver.documents").count());
    assertEquals(3, wb.table("silver/documents").count());
    assertEquals(2, wb.table("silver.documents", 0).count());
  }

  @Test
  void missingTableSaysWhichExist() {
    SynthweaveException e = assertThrows(SynthweaveException.class, () -> wb.table("silver.docs"));
    assertTrue(e.getMessage().contains("no table silver.docs"), e.getMessage());
    assertTrue(e.getMessage().contains("_runs, silver.documents"), e.getMessage());
    SynthweaveException v =
        assertThrows(SynthweaveException.class, () -> wb.table("silver.documents", 7));
    assertTrue(v.getMessage().contains("versions are 0 to 2"), v.getMessage());
  }

  @Test
  void sqlSeesTablesUnderTheirNames() {
    List<Row> rows =
        wb.sql(
                "SELECT language, count(*) AS n FROM silver.documents GROUP BY language"
                    + " ORDER BY language")
            .collectAsList();
    assertEquals("[[en,2], [fr,1]]", rows.toString());
    assertEquals(2, wb.sql("SELECT * FROM _runs").count());
    SynthweaveException e =
        assertThrows(SynthweaveException.class, () -> wb.sql("SELECT * FROM gold.nothing"));
    assertTrue(e.getMessage().contains("TABLE_OR_VIEW_NOT_FOUND"), e.getMessage());
    assertTrue(e.getMessage().contains("_runs, silver.documents"), e.getMessage());
  }

  @Test
  void runsNewestFirst() {
    assertEquals("r2", wb.runs().first().getAs("run_id"));
  }

  @Test
  void historyAndDiffShowWhatChanged() {
    List<Row> h = wb.history("silver.documents").collectAsList();
    assertEquals(3, h.size());
    assertEquals("UPDATE", h.get(0).getAs("operation"));
    List<String> added =
        wb.diff("silver.documents", 0, 1).collectAsList().stream()
            .map(r -> r.getString(0) + ":" + r.getString(1))
            .toList();
    assertEquals(List.of("added:c"), added);
    List<String> changed =
        wb.diff("silver.documents", 1, 2).orderBy("_change").collectAsList().stream()
            .map(r -> r.getString(0) + ":" + r.getString(1) + ":" + r.getString(2))
            .toList();
    assertEquals(List.of("added:b:fr", "removed:b:de"), changed);
  }

  @Test
  void showEscapesCellsAsHtml() {
    Dataset<Row> rows =
        wb.spark()
            .createDataFrame(
                List.of(RowFactory.create("<script>x</script>", 1), RowFactory.create("b", 2)),
                new StructType().add("text", DataTypes.StringType).add("n", DataTypes.IntegerType));
    String html = wb.show(rows, 1);
    assertTrue(html.contains("&lt;script&gt;x&lt;/script&gt;"), html);
    assertTrue(html.contains("<th>text</th><th>n</th>"), html);
    assertTrue(html.contains("first 1 rows"), html);
    assertTrue(!html.contains(">b<"), html);
  }

  @Test
  void chartColumnsComeOutAsArrays() {
    double[][] xy =
        wb.xy(wb.sql("SELECT records_in AS a, records_in * 2 AS b FROM _runs"), "a", "b");
    assertEquals(2, xy[0].length);
    assertEquals(2.0, xy[0][0]);
    assertEquals(6.0, xy[1][1]);
    assertEquals(2, wb.series(wb.table("_runs"), "stage", "records_in", "records_in", 5).size());
  }

  /** The repository's recursive delete, without extending its Spark base. */
  private static final class SparkTestBaseAccess extends SparkTestBase {
    static void delete(Path dir) throws java.io.IOException {
      deleteRecursively(dir);
    }
  }
}
