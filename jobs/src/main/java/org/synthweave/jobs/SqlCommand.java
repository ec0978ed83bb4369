package org.synthweave.jobs;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.synthweave.core.CoreErrors;
import org.synthweave.core.config.CoreConfig;
import org.synthweave.core.spark.WarehouseTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code synthweave sql "SELECT ..."}: one query over the warehouse's tables, from a shell. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run one Spark SQL query over the warehouse's Delta tables and print the result. Tables are"
          + " named by their folder under the warehouse with '.' for '/': silver.documents,"
          + " bronze.telemetry, gold.wine_synthetic, quarantine.ingest, _runs, _checks.",
      "A query that names a table that does not exist, or that Spark cannot parse, fails with one"
          + " line listing the tables there are (exit code 2).",
      "Example: synthweave sql \"SELECT language, count(*) AS n FROM silver.documents GROUP BY"
          + " language ORDER BY n DESC\""
    })
final class SqlCommand implements Runnable {
  /** Rows a table prints when --limit is not given (csv and json print them all). */
  static final int DEFAULT_TABLE_ROWS = 100;

  private static final List<String> FORMATS = List.of("table", "csv", "json");
  private static final int MAX_CELL = 60;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "QUERY", description = "The SQL query, in quotes.")
  String query;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description =
          "table (default: aligned columns, long cells cut), csv (RFC 4180, a header row) or"
              + " json (one object per line).")
  String format;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description =
          "Print at most N rows. Default: "
              + DEFAULT_TABLE_ROWS
              + " for table, all rows for csv and json.")
  Integer limit;

  @Override
  public void run() {
    String f = format.toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(f)) {
      throw JobErrors.badChoice("--format", format, FORMATS);
    }
    if (limit != null && limit < 1) {
      throw JobErrors.atLeastOne("--limit", limit);
    }
    if (query.isBlank()) {
      throw JobErrors.emptyQuery();
    }
    ConfigOptions o = Main.options(spec);
    PrintWriter out = spec.commandLine().getOut();
    List<String> sets = new ArrayList<>(o.sets);
    sets.add(
        CoreConfig.SPARK_CONF_PREFIX
            + "spark.sql.warehouse.dir="
            + WarehouseTables.sessionCatalogDir());
    try (JobContext job = new JobContext("sql", o.confFile, sets, System.out)) {
      job.spark().sparkContext().setJobDescription("sql");
      Dataset<Row> rows = new WarehouseTables(job.spark(), job.core.warehouse()).sql(query);
      Integer max = limit != null ? limit : f.equals("table") ? DEFAULT_TABLE_ROWS : null;
      try {
        switch (f) {
          case "csv" -> csv(out, rows, max);
          case "json" -> json(out, rows, max);
          default -> table(out, rows, max);
        }
      } catch (RuntimeException e) {
        String reason = WarehouseTables.queryFailure(e);
        if (reason == null) {
          throw e;
        }
        throw CoreErrors.queryFailed(reason, e);
      }
      out.flush();
    }
  }

  private static void table(PrintWriter out, Dataset<Row> rows, int max) {
    String[] names = rows.columns();
    // One row more than printed tells whether there were more.
    List<Row> got = WarehouseTables.printable(rows).limit(max + 1).collectAsList();
    boolean more = got.size() > max;
    List<String[]> cells = new ArrayList<>();
    int[] width = new int[names.length];
    for (int c = 0; c < names.length; c++) {
      width[c] = MarketCommand.Search.cell(names[c], MAX_CELL).length();
    }
    for (Row r : got.subList(0, Math.min(max, got.size()))) {
      String[] line = new String[names.length];
      for (int c = 0; c < names.length; c++) {
        line[c] = r.isNullAt(c) ? "null" : MarketCommand.Search.cell(r.getString(c), MAX_CELL);
        width[c] = Math.max(width[c], line[c].length());
      }
      cells.add(line);
    }
    String[] header = new String[names.length];
    String[] rule = new String[names.length];
    for (int c = 0; c < names.length; c++) {
      header[c] = MarketCommand.Search.cell(names[c], MAX_CELL);
      rule[c] = "-".repeat(width[c]);
    }
    printRow(out, header, width);
    printRow(out, rule, width);
    for (String[] line : cells) {
      printRow(out, line, width);
    }
    out.println(
        "("
            + cells.size()
            + (cells.size() == 1 ? " row" : " rows")
            + (more ? "; more not shown, pass --limit N to see more" : "")
            + ")");
  }

  private static void printRow(PrintWriter out, String[] cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      if (c > 0) {
        sb.append(" | ");
      }
      sb.append(cells[c]);
      if (c < cells.length - 1) {
        sb.append(" ".repeat(width[c] - cells[c].length()));
      }
    }
    out.println(sb.toString().stripTrailing());
  }

  private static void csv(PrintWriter out, Dataset<Row> rows, Integer max) {
    String[] names = rows.columns();
    StringBuilder header = new StringBuilder();
    for (int c = 0; c < names.length; c++) {
      header.append(c == 0 ? "" : ",").append(csvCell(names[c]));
    }
    out.println(header);
    Dataset<Row> strings = WarehouseTables.printable(rows);
    Iterator<Row> it = (max == null ? strings : strings.limit(max)).toLocalIterator();
    while (it.hasNext()) {
      Row r = it.next();
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < names.length; c++) {
        line.append(c == 0 ? "" : ",").append(r.isNullAt(c) ? "" : csvCell(r.getString(c)));
      }
      out.println(line);
    }
  }

  /** RFC 4180: a cell with a comma, quote or line break is quoted, quotes doubled. */
  static String csvCell(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  private static void json(PrintWriter out, Dataset<Row> rows, Integer max) {
    Iterator<String> it = (max == null ? rows : rows.limit(max)).toJSON().toLocalIterator();
    while (it.hasNext()) {
      out.println(it.next());
    }
  }
}
