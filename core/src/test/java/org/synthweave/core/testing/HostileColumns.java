package org.synthweave.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The real UCI wine table (data/samples/tables/wine.csv, 178 rows) with its 14 headers replaced by
 * hostile but real-world column names: a dot, a backtick, quotes, a space, a leading digit,
 * unicode, an empty and a duplicated header, a comma, Delta's forbidden characters, a star. Every
 * stage that takes a user's table is tested on it.
 */
public final class HostileColumns {
  /** The header cells as written to the CSV (before Spark's CSV reader names empty/duplicates). */
  public static final List<String> HEADER =
      List.of(
          "b.c",
          "a`b",
          "say \"hi\"",
          "a b",
          "1st",
          "ünï 名前",
          "",
          "dup",
          "DUP",
          "x,y",
          "(p)=q;{r}",
          "a.*",
          "`",
          "*");

  /**
   * The column names after ingest: Spark's CSV reader names the empty header {@code _c<i>} and two
   * headers equal ignoring case by their name and position.
   */
  public static final List<String> NAMES =
      List.of(
          "b.c",
          "a`b",
          "say \"hi\"",
          "a b",
          "1st",
          "ünï 名前",
          "_c6",
          "dup7",
          "DUP8",
          "x,y",
          "(p)=q;{r}",
          "a.*",
          "`",
          "*");

  /** The wine column each hostile name replaces, in order (the last is the class label). */
  public static final List<String> WINE_NAMES =
      List.of(
          "alcohol",
          "malic_acid",
          "ash",
          "alcalinity_of_ash",
          "magnesium",
          "total_phenols",
          "flavanoids",
          "nonflavanoid_phenols",
          "proanthocyanins",
          "color_intensity",
          "hue",
          "od280_od315",
          "proline",
          "cultivar");

  /** The class label's hostile name (the wine cultivar). */
  public static final String LABEL = "*";

  private HostileColumns() {}

  /** The wine sample's path. */
  public static Path wineCsv() {
    return SparkTestBase.repoRoot().resolve("data/samples/tables/wine.csv");
  }

  /** Writes the wine table with the hostile header as {@code dir/wine-hostile.csv}. */
  public static Path writeCsv(Path dir) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(wineCsv(), StandardCharsets.UTF_8));
    lines.set(0, String.join(",", HEADER.stream().map(HostileColumns::csvCell).toList()));
    Path out = dir.resolve("wine-hostile.csv");
    Files.write(out, lines, StandardCharsets.UTF_8);
    return out;
  }

  /**
   * The wine table with the post-ingest hostile names ({@link #NAMES}) and inferred types, read
   * straight from the sample (for stages tested without the ingest step).
   */
  public static Dataset<Row> wine(SparkSession spark) {
    return spark
        .read()
        .option("header", "true")
        .option("inferSchema", "true")
        .csv(wineCsv().toString())
        .toDF(NAMES.toArray(String[]::new));
  }

  private static String csvCell(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
