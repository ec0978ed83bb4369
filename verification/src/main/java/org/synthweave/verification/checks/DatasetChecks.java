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
 * verify.dataset.wine_synthetic {
 *   table = "gold/wine_synthetic"
 *   synthetic { real = "silver/wine", target = cultivar, quality-min = 0.8, exact-copy-max = 0.01 }
 *   index { name = rows-gold-wine_synthetic, recall-min = 0.95, model = row-features }
 * }
 * </pre>
 *
 * @param name the dataset name
 * @param table the catalog table checked
 * @param checks every data check, in the order of the keys above, computed in one aggregation
 * @param synthetic the thresholds of the table as synthetic data, or null when none are declared
 * @param index what an embedding index must hold, or null when nothing is declared
 */
public record DatasetChecks(
    String name, String table, List<Check> checks, SyntheticCheck synthetic, IndexCheck index) {
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
                  + " [a, b] }, ... ]."),
          ConfigKey.string(
              N + "synthetic.real",
              "",
              "Synthetic-table checks: the real table the dataset's table imitates (required when"
                  + " any synthetic.* key is set). The table is compared with it by"
                  + " evaluate-synthetic's evaluator (verify.synthetic.* settings, no baseline)."),
          ConfigKey.string(
              N + "synthetic.target",
              "",
              "Synthetic-table checks: the label column of the evaluator's classifiers"
                  + " (required)."),
          ConfigKey.string(
              N + "synthetic.holdout",
              "",
              "Synthetic-table checks: a table of real rows the synthesizer never saw; empty splits"
                  + " the real table by verify.synthetic.holdout-fraction and seed."),
          ConfigKey.string(
              N + "synthetic.quality-min",
              "none",
              "Least SDMetrics quality score (0..1) of the synthetic table."),
          ConfigKey.string(
              N + "synthetic.detection-auc-max",
              "none",
              "Most detection AUC (0.5: a forest cannot tell synthetic from real holdout rows)."),
          ConfigKey.string(
              N + "synthetic.exact-copy-max",
              "none",
              "Most share of synthetic rows equal to a real training row in every column."),
          ConfigKey.string(
              N + "synthetic.dcr-ratio-min",
              "none",
              "Least DCR ratio: median distance of synthetic rows to their closest training row"
                  + " over that of real holdout rows (near 0: copies)."),
          ConfigKey.string(
              N + "index.name",
              "",
              "Index checks: the index under <warehouse>/index/ (e.g. rows-silver-wine); empty"
                  + " means the text index of embed.text.model."),
          ConfigKey.string(
              N + "index.recall-min",
              "none",
              "Least recall@10 of the index's graph search against exact search over the same"
                  + " shards (eval-index's figure), on vectors drawn from the index."),
          ConfigKey.string(
              N + "index.model",
              "",
              "Expected model id of the index's vectors, or id@version to pin the version; empty:"
                  + " not checked."),
          ConfigKey.integer(N + "index.dimensions", 0, "Expected vector length; 0: not checked."),
          ConfigKey.integer(
              N + "index.queries",
              IndexCheck.DEFAULT_QUERIES,
              "Query vectors drawn from the index (seed 42) for index.recall-min."),
          ConfigKey.integer(
              N + "index.candidates",
              0,
              "Search effort the recall is measured at; 0 means index.search.candidates, the"
                  + " effort searches use."));

  /** The check keys under {@code verify.dataset.<name>.}, in evaluation order. */
  static final List<String> FIELDS =
      List.of(
          "table",
          "rows",
          "columns",
          "complete",
          "unique",
          "range",
          "domain",
          SyntheticCheck.KIND,
          IndexCheck.KIND);

  public DatasetChecks {
    checks = List.copyOf(checks);
  }

  /** Data checks only, with no synthetic or index checks. */
  public DatasetChecks(String name, String table, List<Check> checks) {
    this(name, table, checks, null, null);
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
    Map<String, Object> syn = block(prefix + SyntheticCheck.KIND, v, SyntheticCheck.KIND);
    Map<String, Object> idx = block(prefix + IndexCheck.KIND, v, IndexCheck.KIND);
    String table = String.valueOf(v.getOrDefault("table", "silver/" + name)).trim();
    return new DatasetChecks(
        name,
        table,
        checks,
        syn == null ? null : SyntheticCheck.parse(prefix + SyntheticCheck.KIND, syn),
        idx == null ? null : IndexCheck.parse(prefix + IndexCheck.KIND, idx));
  }

  /**
   * The keys of a block such as {@code synthetic { ... }}, read from its flattened sub-keys ({@code
   * synthetic.real}) or from one object value (a --set of {@code synthetic={...}}); null when the
   * block is not declared.
   */
  private static Map<String, Object> block(String key, Map<String, Object> v, String field) {
    Map<String, Object> out = null;
    for (Map.Entry<String, Object> e : v.entrySet()) {
      if (e.getKey().equals(field)) {
        if (!(e.getValue() instanceof Map<?, ?> m)) {
          throw VerificationErrors.badCheck(key, e.getValue(), "it must be an object: { ... }");
        }
        out = out == null ? new TreeMap<>() : out;
        for (Map.Entry<?, ?> f : m.entrySet()) {
          out.put(String.valueOf(f.getKey()), f.getValue());
        }
      } else if (e.getKey().startsWith(field + ".")) {
        out = out == null ? new TreeMap<>() : out;
        out.put(e.getKey().substring(field.length() + 1), e.getValue());
      }
    }
    return out;
  }

  /**
   * Fails, before any data is read, when a check names a column the table lacks or a range check a
   * column that is not numeric. Expected columns ({@code columns}) may be missing: that is the
   * check failing, not a configuration error.
   *
   * @param types the table's column names and type names, in order
   */
  public void requireColumns(Map<String, String> types) {
    if (synthetic != null && !types.containsKey(synthetic.target())) {
      throw VerificationErrors.noCheckColumn(
          PREFIX + name + ".synthetic.target",
          synthetic.target(),
          table,
          List.copyOf(types.keySet()));
    }
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

  static double number(String key, Map<String, Object> o, String field, double dflt) {
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
