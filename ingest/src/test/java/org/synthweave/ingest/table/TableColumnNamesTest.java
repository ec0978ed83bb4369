package org.synthweave.ingest.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.spark.Columns;
import org.synthweave.core.testing.HostileColumns;
import org.synthweave.core.testing.SparkTestBase;

/**
 * ingest-table with every kind of column name a CSV can hold (issue 17, item 6), and with wide
 * tables (item 9: inference linear in the columns; this test is functional, the timing is in
 * docs/BENCHMARKS.md).
 */
class TableColumnNamesTest extends SparkTestBase {
  private RunSummary summary() {
    return new RunSummary("t-" + System.nanoTime(), "ingest-table", Instant.now());
  }

  private static SourceCounts total(RunSummary s) {
    return s.rows().get(s.rows().size() - 1);
  }

  private static List<String> dataColumns(Dataset<Row> t) {
    return java.util.Arrays.stream(t.columns())
        .filter(c -> !c.startsWith("_") || isData(c))
        .toList();
  }

  private static boolean isData(String c) {
    return HostileColumns.NAMES.contains(c);
  }

  @Test
  void hostileHeadersAreKeptExactlyAndTheTableIsIdempotent(@TempDir Path dir) throws IOException {
    Path csv = HostileColumns.writeCsv(dir);
    SparkTableIngest ingest = new SparkTableIngest(spark, catalog, 1 << 20);
    RunSummary first = summary();
    String path = ingest.ingest("wine_hostile", List.of(csv.toString()), null, null, first);
    first.checkBalanced();
    assertEquals(178, total(first).in());
    assertEquals(178, total(first).out());

    Dataset<Row> t = spark.read().format("delta").load(path);
    assertEquals(HostileColumns.NAMES, dataColumns(t));
    StructType schema = t.schema();
    assertEquals(DataTypes.DoubleType, schema.apply("b.c").dataType());
    assertEquals(DataTypes.IntegerType, schema.apply("1st").dataType());
    assertEquals(DataTypes.IntegerType, schema.apply("`").dataType());
    assertEquals(DataTypes.StringType, schema.apply("*").dataType());
    // The values are the wine sample's, column for column.
    Dataset<Row> wine =
        spark
            .read()
            .option("header", "true")
            .option("inferSchema", "true")
            .csv(HostileColumns.wineCsv().toString());
    for (int i = 0; i < HostileColumns.NAMES.size(); i++) {
      String hostile = HostileColumns.NAMES.get(i);
      String plain = HostileColumns.WINE_NAMES.get(i);
      List<Row> a =
          t.select(Columns.col(hostile).cast("string"))
              .orderBy(Columns.col(hostile))
              .collectAsList();
      List<Row> b =
          wine.select(Columns.col(plain).cast("string"))
              .orderBy(Columns.col(plain))
              .collectAsList();
      assertEquals(b, a, hostile);
    }
    assertEquals(71, t.where(Columns.col("*").equalTo("class_1")).count());
    // Delta stores names with a space, comma or parenthesis only under column mapping.
    assertEquals(
        "name",
        DeltaTable.forPath(spark, path)
            .detail()
            .select(functions.col("properties").getItem(Columns.COLUMN_MAPPING_MODE))
            .first()
            .getString(0));

    // Delta 4.4 itself refuses such names without column mapping (so it is on only when needed).
    Exception refused =
        assertThrows(
            Exception.class,
            () -> t.write().format("delta").save(dir.resolve("plain-delta").toString()));
    assertTrue(
        refused.getMessage().toLowerCase(java.util.Locale.ROOT).contains("column mapping"),
        refused.getMessage());

    RunSummary second = summary();
    ingest.ingest("wine_hostile", List.of(csv.toString()), null, null, second);
    second.checkBalanced();
    assertEquals(0, total(second).out());
    assertEquals(178, total(second).duplicates());
  }

  @Test
  void aDeclaredSchemaWithHostileNamesQuarantinesByTheRightColumn(@TempDir Path dir)
      throws IOException {
    Path csv = HostileColumns.writeCsv(dir);
    List<String> lines = new ArrayList<>(Files.readAllLines(csv, StandardCharsets.UTF_8));
    lines.set(1, lines.get(1).replaceFirst("^14\\.23", "fourteen"));
    Files.write(csv, lines, StandardCharsets.UTF_8);
    String ddl =
        HostileColumns.NAMES.stream()
            .map(n -> Columns.quote(n) + (n.equals("*") ? " STRING" : " DOUBLE"))
            .collect(Collectors.joining(", "));
    RunSummary s = summary();
    String path =
        new SparkTableIngest(spark, catalog, 1 << 20)
            .ingest("wine_hostile_ddl", List.of(dir.toString()), null, ddl, s);
    s.checkBalanced();
    assertEquals(177, total(s).out());
    assertEquals(1, total(s).quarantined());
    Dataset<Row> q =
        spark.read().format("delta").load(catalog.path(TableCatalog.quarantine("table")));
    assertEquals(
        1,
        q.where(
                functions
                    .col("field")
                    .equalTo("b.c")
                    .and(functions.col("raw").contains("fourteen")))
            .count());
    assertEquals(
        DataTypes.DoubleType,
        spark.read().format("delta").load(path).schema().apply("a`b").dataType());
  }

  @Test
  void aColumnNamedMetadataAndAReservedNameAreHandled(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("meta.csv");
    Files.write(csv, List.of("_metadata,v", "x,1", "y,2"), StandardCharsets.UTF_8);
    RunSummary s = summary();
    String path =
        new SparkTableIngest(spark, catalog, 1 << 20)
            .ingest("meta", List.of(csv.toString()), null, null, s);
    s.checkBalanced();
    Dataset<Row> t = spark.read().format("delta").load(path);
    assertEquals(2, t.count());
    assertTrue(
        t.select(Columns.col(SparkTableIngest.SOURCE_FILE))
            .first()
            .getString(0)
            .endsWith("meta.csv"));

    Path reserved = dir.resolve("reserved").resolve("r.csv");
    Files.createDirectories(reserved.getParent());
    Files.write(reserved, List.of("a,_row_id", "1,2"), StandardCharsets.UTF_8);
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class,
            () ->
                new SparkTableIngest(spark, catalog, 1 << 20)
                    .ingest("reserved", List.of(reserved.toString()), null, null, summary()));
    assertTrue(e.getMessage().contains("'_row_id'"), e.getMessage());
  }

  /**
   * 2,000 columns with a declared schema: one cell that does not convert, two rows that repeat
   * earlier ones, and data columns named like the reader's own helper columns ({@code _raw}, {@code
   * _bad_field}, {@code _line}). Every value must land in its own column with its type, and the
   * counts must balance (issue 17, item 9: wide tables are converted once and read narrowly).
   */
  @Test
  void wideTableWithABadCellAndDuplicatesKeepsEveryValueInItsColumn(@TempDir Path dir)
      throws IOException {
    int width = 2000;
    int rows = 12;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      names.add(i == 1 ? "_raw" : i == 2 ? "_bad_field" : i == 4 ? "_line" : "w" + i);
    }
    List<String> lines = new ArrayList<>();
    lines.add(String.join(",", names));
    for (int r = 0; r < rows; r++) {
      int row = r;
      lines.add(
          IntStream.range(0, width)
              .mapToObj(i -> i % 2 == 0 ? "" + (row * 10_000 + i) : "v" + row + "_" + i)
              .collect(Collectors.joining(",")));
    }
    lines.add(lines.get(3)); // duplicates of data rows 2 and 5
    lines.add(lines.get(6));
    String bad = lines.get(8).replaceFirst("^70000,", "seventy,"); // data row 7, column w0
    lines.set(8, bad);
    Path csv = dir.resolve("wide-ddl.csv");
    Files.write(csv, lines, StandardCharsets.UTF_8);
    String ddl =
        IntStream.range(0, width)
            .mapToObj(i -> Columns.quote(names.get(i)) + (i % 2 == 0 ? " INT" : " STRING"))
            .collect(Collectors.joining(", "));
    RunSummary s = summary();
    String path =
        new SparkTableIngest(spark, catalog, 1 << 20)
            .ingest("wide_ddl", List.of(csv.toString()), null, ddl, s);
    s.checkBalanced();
    assertEquals(rows + 2, total(s).in());
    assertEquals(rows - 1, total(s).out());
    assertEquals(1, total(s).quarantined());
    assertEquals(2, total(s).duplicates());

    Dataset<Row> t = spark.read().format("delta").load(path);
    assertEquals(width + 4, t.columns().length);
    for (int i = 0; i < width; i++) {
      assertEquals(
          i % 2 == 0 ? DataTypes.IntegerType : DataTypes.StringType,
          t.schema().apply(names.get(i)).dataType(),
          names.get(i));
    }
    // Each kept row holds, in every column, the value written for that row and column.
    List<Row> kept = t.orderBy(Columns.col(names.get(0))).collectAsList();
    assertEquals(rows - 1, kept.size());
    for (Row row : kept) {
      int r = row.<Integer>getAs(names.get(0)) / 10_000;
      assertTrue(r != 7, "the row with the bad cell is not in the table");
      for (int i = 0; i < width; i++) {
        Object want = i % 2 == 0 ? (Object) (r * 10_000 + i) : "v" + r + "_" + i;
        assertEquals(want, row.getAs(names.get(i)), names.get(i) + " of row " + r);
      }
    }
    Dataset<Row> q =
        spark.read().format("delta").load(catalog.path(TableCatalog.quarantine("table")));
    List<Row> reasons =
        q.where(functions.col("source_file").endsWith("wide-ddl.csv"))
            .select("reason", "field")
            .collectAsList();
    assertEquals(
        List.of(org.apache.spark.sql.RowFactory.create("unparsable_field", "w0")), reasons);
  }

  @Test
  void twoThousandColumnsAreInferredAndLoaded(@TempDir Path dir) throws IOException {
    int width = 2000;
    int rows = 20;
    List<String> lines = new ArrayList<>();
    lines.add(IntStream.range(0, width).mapToObj(i -> "c." + i).collect(Collectors.joining(",")));
    for (int r = 0; r < rows; r++) {
      int row = r;
      lines.add(
          IntStream.range(0, width)
              .mapToObj(i -> i % 3 == 0 ? row + ".5" : i % 3 == 1 ? "" + (row * i) : "s" + row)
              .collect(Collectors.joining(",")));
    }
    Path csv = dir.resolve("wide.csv");
    Files.write(csv, lines, StandardCharsets.UTF_8);
    RunSummary s = summary();
    String path =
        new SparkTableIngest(spark, catalog, 1 << 20)
            .ingest("wide", List.of(csv.toString()), null, null, s);
    s.checkBalanced();
    assertEquals(rows, total(s).out());
    Dataset<Row> t = spark.read().format("delta").load(path);
    StructField[] fields = t.schema().fields();
    for (int i = 0; i < width; i++) {
      StructField f = t.schema().apply("c." + i);
      assertEquals(
          i % 3 == 0
              ? DataTypes.DoubleType
              : i % 3 == 1 ? DataTypes.IntegerType : DataTypes.StringType,
          f.dataType(),
          f.name());
    }
    assertEquals(width + 4, fields.length);
    // Dots need no column mapping: the table stays readable by Delta readers without it.
    assertTrue(
        DeltaTable.forPath(spark, path)
            .detail()
            .select(functions.col("properties").getItem(Columns.COLUMN_MAPPING_MODE))
            .first()
            .isNullAt(0));
    assertEquals(19 * 1999L, t.agg(functions.max(Columns.col("c.1999"))).first().getInt(0));
  }
}
