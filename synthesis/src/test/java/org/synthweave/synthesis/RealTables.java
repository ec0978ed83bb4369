package org.synthweave.synthesis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.synthesis.data.ColumnSpec;

/**
 * The real tables of data/samples/tables (Debian r-cran-modeldata) read without Spark for the
 * heart's tests: a column of integers with at most 10 values is categorical (as the Spark path
 * decides with synth.categorical-max-distinct), other numbers continuous, the rest strings.
 */
public record RealTables(List<ColumnSpec> specs, List<Object[]> rows) {

  /**
   * A random seed for a test, or the one given with {@code -Dsynthweave.test.seed=N} to replay a
   * run; tests print it.
   */
  public static long seed() {
    Long fixed = Long.getLong("synthweave.test.seed");
    return fixed != null ? fixed : new java.util.SplittableRandom().nextLong();
  }

  public static Path path(String file) {
    return SparkTestBase.repoRoot().resolve("data/samples/tables/" + file);
  }

  public static RealTables load(String file) throws IOException {
    List<String> lines = Files.readAllLines(path(file), StandardCharsets.UTF_8);
    List<String> header = split(lines.get(0));
    List<List<String>> raw = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      if (!l.isEmpty()) {
        raw.add(split(l));
      }
    }
    List<ColumnSpec> specs = new ArrayList<>();
    for (int c = 0; c < header.size(); c++) {
      boolean numeric = true;
      boolean integral = true;
      Set<String> distinct = new HashSet<>();
      for (List<String> r : raw) {
        String v = r.get(c);
        if (v == null) {
          continue;
        }
        distinct.add(v);
        try {
          double d = Double.parseDouble(v);
          integral &= d == Math.rint(d) && !v.contains(".");
        } catch (NumberFormatException e) {
          numeric = false;
        }
      }
      if (!numeric) {
        specs.add(new ColumnSpec(header.get(c), ColumnSpec.Kind.CATEGORICAL, "string"));
      } else if (integral && distinct.size() <= 10) {
        specs.add(new ColumnSpec(header.get(c), ColumnSpec.Kind.CATEGORICAL, "int"));
      } else {
        specs.add(
            new ColumnSpec(header.get(c), ColumnSpec.Kind.CONTINUOUS, integral ? "int" : "double"));
      }
    }
    List<Object[]> rows = new ArrayList<>();
    for (List<String> r : raw) {
      Object[] row = new Object[specs.size()];
      for (int c = 0; c < row.length; c++) {
        String v = r.get(c);
        row[c] =
            v == null
                ? null
                : specs.get(c).kind() == ColumnSpec.Kind.CONTINUOUS ? Double.parseDouble(v) : v;
      }
      rows.add(row);
    }
    return new RealTables(specs, rows);
  }

  private static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cur.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
        wasQuoted = true;
      } else if (ch == ',') {
        out.add(cur.length() == 0 && !wasQuoted ? null : cur.toString());
        cur.setLength(0);
        wasQuoted = false;
      } else {
        cur.append(ch);
      }
    }
    out.add(cur.length() == 0 && !wasQuoted ? null : cur.toString());
    return out;
  }
}
