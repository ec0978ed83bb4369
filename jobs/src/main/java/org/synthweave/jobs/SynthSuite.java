package org.synthweave.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The real tables that {@code bench synth --suite} judges the synthesizers' defaults on: varied in
 * domain, size (344 to 9,857 rows), kind of columns (all numeric, all categorical, mixed) and
 * target (binary or up to six classes, the rarest class from 5% to 39% of the rows). Every file is
 * under {@code data/samples/tables}; its source, license and the script that made it are in {@code
 * data/samples/README.md}.
 */
final class SynthSuite {
  private SynthSuite() {}

  /**
   * One suite table.
   *
   * @param name the file name under data/samples/tables without {@code .csv}, e.g. {@code
   *     telco-churn}; the table is registered as {@code silver/<name with '-' as '_'>}
   * @param target the label column (categorical) of TSTR, the baseline and the label share
   * @param domain what the rows are, for the record
   * @param source where the data comes from (package and data set)
   */
  record Table(String name, String target, String domain, String source) {
    /** The file under the samples folder. */
    String file() {
      return name + ".csv";
    }

    /** The table's name in the warehouse: {@code silver/<table()>}. */
    String table() {
      return tableName(name);
    }
  }

  /** The warehouse name of a sample file name: '-' is not allowed in a table name. */
  static String tableName(String fileName) {
    return fileName.replace('-', '_');
  }

  /** Every suite table, smallest first within each source. */
  static final List<Table> TABLES =
      List.of(
          new Table("telco-churn", "churn", "telecom customers", "r-cran-modeldata wa_churn (IBM)"),
          new Table("credit-data", "Status", "consumer credit", "r-cran-modeldata credit_data"),
          new Table("lending-club", "Class", "peer-to-peer loans", "r-cran-modeldata lending_club"),
          new Table(
              "attrition", "Attrition", "employee attrition (IBM)", "r-cran-modeldata attrition"),
          new Table("hpc-data", "class", "run times of HPC jobs", "r-cran-modeldata hpc_data"),
          new Table("penguins", "species", "Palmer penguins", "r-cran-modeldata penguins"),
          new Table(
              "satellite",
              "classes",
              "Landsat pixels (Statlog satellite)",
              "r-cran-mlbench Satellite"),
          new Table(
              "house-votes", "Class", "1984 US Congress votes", "r-cran-mlbench HouseVotes84"),
          new Table(
              "breast-cancer",
              "diagnosis",
              "breast cancer diagnosis (Wisconsin)",
              "python3-sklearn breast_cancer"),
          new Table("wine", "cultivar", "wine chemistry (UCI)", "python3-sklearn wine_data"));

  /** The suite table of a file name, if it is one. */
  static Optional<Table> find(String name) {
    return TABLES.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /**
   * The suite tables named, in the order given; all of them when {@code names} is null or empty.
   *
   * @throws org.synthweave.core.SynthweaveException naming the suite when a name is not in it
   */
  static List<Table> select(List<String> names) {
    if (names == null || names.isEmpty()) {
      return TABLES;
    }
    List<Table> out = new ArrayList<>();
    for (String n : names) {
      out.add(
          find(n)
              .orElseThrow(
                  () -> JobErrors.notASuiteTable(n, TABLES.stream().map(Table::name).toList())));
    }
    return out;
  }
}
