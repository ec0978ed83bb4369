package org.synthweave.verification.checks;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.synthweave.core.config.ConfigKey;
import org.synthweave.verification.VerificationErrors;

/**
 * The checks declared for one dataset under {@code verify.dataset.<name>.*}. Column names are
 * written as values, never as key path elements, so any name works ({@code "a.b"}, {@code a`b}):
 *
 * <pre>
 * verify.dataset.wine {
 *   table = "silver/wine"
 *   rows { min = 100, max = 100000 }
 *   columns = [ { column = alcohol, type = double }, { column = cultivar } ]
 *   complete = [ { column = alcohol, min = 0.99 } ]
 *   unique = [ _row_id ]
 *   range = [ { column = alcohol, min = 10, max = 15 } ]
 *   domain = [ { column = cultivar, values = [class_0, class_1, class_2] } ]
 * }
 * </pre>
 *
 * @param name the dataset name
 * @param table the catalog table checked
 * @param checks every check, in the order of the keys above
 */
public record DatasetChecks(String name, String table, List<Check> checks) {
  /** Prefix of the per-dataset keys. */
  public static final String PREFIX = "verify.dataset.";

  private static final String N = PREFIX + "<name>.";

  /**
   * The per-dataset keys, for {@code config --keys}: their names hold the placeholder {@code
   * <name>}, so they document the family and never match a real key.
   */
  public static final List<ConfigKey<?>> KEYS =
      List.of(
          ConfigKey.string(N + "table", "silver/<name>", "The catalog table these checks read."),
          ConfigKey.longKey(N + "rows.min", 0, "Fewest rows the table may hold."),
          ConfigKey.longKey(
              N + "rows.max", Long.MAX_VALUE, "Most rows the table may hold (default: no bound)."),
          ConfigKey.string(
              N + "columns",
              "[]",
              "Expected columns and types: [ { column = x, type = double }, ... ] (Spark type names;"
                  + " long, integer and short are accepted; no type: the column must exist)."),
          ConfigKey.string(
              N + "complete",
              "[]",
              "Least share of non-null values per column: [ { column = x, min = 0.99 }, ... ]."),
          ConfigKey.string(
              N + "unique",
              "[]",
              "Id columns whose every row holds a distinct non-null value: [ id, ... ] (exact"
                  + " distinct count, so a single duplicate fails)."),
          ConfigKey.string(
              N + "range",
              "[]",
              "Bounds of numeric columns: [ { column = x, min = 0, max = 1 }, ... ] (either bound"
                  + " may be left out)."),
          ConfigKey.string(
              N + "domain",
              "[]",
              "Allowed values of categorical columns, compared as text: [ { column = x, values ="
                  + " [a, b] }, ... ]."));

  /** The check keys under {@code verify.dataset.<name>.}, in evaluation order. */
  static final List<String> FIELDS =
      List.of("table", "rows", "columns", "complete", "unique", "range", "domain");

  public DatasetChecks {
    checks = List.copyOf(checks);
  }

  /** Dataset names declared under {@link #PREFIX}. */
  public static Set<String> declared(Map<String, Object> explicitValues) {
    Set<String> names = new TreeSet<>();
    for (String key : explicitValues.keySet()) {
      if (key.startsWith(PREFIX)) {
        String rest = key.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        names.add(dot < 0 ? rest : rest.substring(0, dot));
      }
    }
    return names;
  }

  /** Every declared dataset, parsed (so a bad one fails even if another is asked for). */
  public static List<DatasetChecks> all(Map<String, Object> explicitValues) {
    List<DatasetChecks> out = new ArrayList<>();
    for (String n : declared(explicitValues)) {
      out.add(from(n, explicitValues));
    }
    return out;
  }

  /** Reads dataset {@code name}; a bad key or value is a configuration error naming it. */
  public static DatasetChecks from(String name, Map<String, Object> explicitValues) {
    Set<String> declared = declared(explicitValues);
    if (!declared.contains(name)) {
      throw VerificationErrors.unknownCheckDataset(name, declared);
    }
    String prefix = PREFIX + name + ".";
    Map<String, Object> v = new TreeMap<>();
    for (Map.Entry<String, Object> e : explicitValues.entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        continue;
      }
      String sub = e.getKey().substring(prefix.length());
      String field = sub.contains(".") ? sub.substring(0, sub.indexOf('.')) : sub;
      if (!FIELDS.contains(field)) {
        throw VerificationErrors.unknownCheck(e.getKey(), field, FIELDS);
      }
      v.put(sub, hocon(e.getValue()));
    }
    for (String sub : v.keySet()) {
      if (sub.startsWith("rows") && !sub.equals("rows.min") && !sub.equals("rows.max")) {
        throw VerificationErrors.badCheck(
            prefix + sub, v.get(sub), "the row count check is written rows.min and rows.max");
      }
    }
    List<Check> checks = new ArrayList<>();
    if (v.containsKey("rows.min") || v.containsKey("rows.max")) {
      long min = whole(prefix + "rows.min", v.getOrDefault("rows.min", 0L));
      long max = whole(prefix + "rows.max", v.getOrDefault("rows.max", Long.MAX_VALUE));
      if (min < 0 || max < min) {
        throw VerificationErrors.badCheck(
            prefix + "rows", min + ".." + max, "it needs 0 <= rows.min <= rows.max");
      }
      checks.add(new Check.Rows(min, max));
    }
    for (Map<String, Object> o : objects(prefix + "columns", v.get("columns"), "column", "type")) {
      checks.add(
          new Check.ColumnType(
              column(prefix + "columns", o), String.valueOf(o.getOrDefault("type", ""))));
    }
    for (Map<String, Object> o : objects(prefix + "complete", v.get("complete"), "column", "min")) {
      double min = number(prefix + "complete", o, "min", 1.0);
      if (!(min >= 0 && min <= 1)) {
        throw VerificationErrors.badCheck(prefix + "complete", o, "min is a share in [0, 1]");
      }
      checks.add(new Check.Complete(column(prefix + "complete", o), min));
    }
    for (Map<String, Object> o : objects(prefix + "unique", v.get("unique"), "column")) {
      checks.add(new Check.Unique(column(prefix + "unique", o)));
    }
    for (Map<String, Object> o :
        objects(prefix + "range", v.get("range"), "column", "min", "max")) {
      double min = number(prefix + "range", o, "min", Double.NaN);
      double max = number(prefix + "range", o, "max", Double.NaN);
      if (Double.isNaN(min) && Double.isNaN(max) || min > max) {
        throw VerificationErrors.badCheck(
            prefix + "range", o, "a range needs min and/or max, with min <= max");
      }
      checks.add(new Check.Range(column(prefix + "range", o), min, max));
    }
    for (Map<String, Object> o : objects(prefix + "domain", v.get("domain"), "column", "values")) {
      if (!(o.get("values") instanceof List<?> values) || values.isEmpty()) {
        throw VerificationErrors.badCheck(
            prefix + "domain", o, "values must be a non-empty list, e.g. values = [a, b]");
      }
      checks.add(
          new Check.Domain(
              column(prefix + "domain", o), values.stream().map(String::valueOf).toList()));
    }
    String table = String.valueOf(v.getOrDefault("table", "silver/" + name)).trim();
    return new DatasetChecks(name, table, checks);
  }

  /**
   * Fails, before any data is read, when a check names a column the table lacks or a range check a
   * column that is not numeric. Expected columns ({@code columns}) may be missing: that is the
   * check failing, not a configuration error.
   *
   * @param types the table's column names and type names, in order
   */
  public void requireColumns(Map<String, String> types) {
    for (Check c : checks) {
      if (c instanceof Check.Rows || c instanceof Check.ColumnType) {
        continue;
      }
      String t = types.get(c.column());
      if (t == null) {
        throw VerificationErrors.noCheckColumn(
            PREFIX + name + "." + c.kind(), c.column(), table, List.copyOf(types.keySet()));
      }
      if (c instanceof Check.Range && !Check.isNumeric(t)) {
        throw VerificationErrors.badCheck(
            PREFIX + name + ".range",
            c.column(),
            "column '" + c.column() + "' of " + table + " is " + t + ", not a number");
      }
    }
  }

  /** Every distinct aggregate the checks need, in first-use order. */
  public List<Aggregate> aggregates() {
    Set<Aggregate> all = new LinkedHashSet<>();
    for (Check c : checks) {
      all.addAll(c.aggregates());
    }
    return List.copyOf(all);
  }

  /** The results of every check, in declaration order. */
  public List<CheckResult> evaluate(Measurements m) {
    List<CheckResult> out = new ArrayList<>();
    for (Check c : checks) {
      out.addAll(c.evaluate(m));
    }
    return out;
  }

  /** A --set value is text: a list or object in it is read as HOCON, like a file's value. */
  private static Object hocon(Object raw) {
    if (raw instanceof String s && (s.trim().startsWith("[") || s.trim().startsWith("{"))) {
      try {
        return ConfigFactory.parseString("v = " + s).getValue("v").unwrapped();
      } catch (ConfigException e) {
        return s; // reported as a bad value where it is read
      }
    }
    return raw;
  }

  /**
   * The elements of a list-valued check as objects; a bare string element is {@code { <first field>
   * = it }}, so {@code unique = [id]} and {@code columns = [a, b]} read naturally.
   */
  private static List<Map<String, Object>> objects(String key, Object raw, String... fields) {
    if (raw == null) {
      return List.of();
    }
    List<?> list;
    if (raw instanceof List<?> l) {
      list = l;
    } else if (raw instanceof String s && !s.isBlank()) {
      list = List.of(s.split(","));
    } else {
      throw VerificationErrors.badCheck(key, raw, "it must be a list, e.g. [ ... ]");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : list) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (o instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          String f = String.valueOf(e.getKey());
          if (!List.of(fields).contains(f)) {
            throw VerificationErrors.badCheck(
                key, o, "its elements have no field '" + f + "'; they have " + List.of(fields));
          }
          m.put(f, e.getValue());
        }
      } else if (o instanceof String || o instanceof Number) {
        m.put(fields[0], String.valueOf(o).trim());
      } else {
        throw VerificationErrors.badCheck(key, o, "an element must be a column or { ... }");
      }
      out.add(m);
    }
    return out;
  }

  private static String column(String key, Map<String, Object> o) {
    Object c = o.get("column");
    if (c == null || String.valueOf(c).isEmpty()) {
      throw VerificationErrors.badCheck(key, o, "each element needs column = <name>");
    }
    return String.valueOf(c);
  }

  private static double number(String key, Map<String, Object> o, String field, double dflt) {
    Object x = o.get(field);
    if (x == null) {
      return dflt;
    }
    try {
      return x instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(x).trim());
    } catch (NumberFormatException e) {
      throw VerificationErrors.badCheck(key, o, field + " must be a number");
    }
  }

  private static long whole(String key, Object x) {
    try {
      if (x instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
        return n.longValue();
      }
      return Long.parseLong(String.valueOf(x).trim());
    } catch (NumberFormatException e) {
      throw VerificationErrors.badCheck(key, x, "it must be a whole number");
    }
  }
}
