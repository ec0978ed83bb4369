package org.synthweave.ingest.table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.synthweave.core.CoreErrors;
import org.synthweave.core.config.ConfigKey;
import org.synthweave.core.config.ConfigRegistry;
import org.synthweave.core.config.Settings;

/**
 * A tabular data set that {@code synthweave ingest} (and so {@code run}) registers as {@code
 * silver/<name>}, declared in the job config the way {@code ingest-table} takes it on the command
 * line:
 *
 * <pre>
 * ingest {
 *   tables = [wine]
 *   table.wine { inputs = ["data/samples/tables/wine.csv"], schema = "..." }
 * }
 * </pre>
 *
 * @param name the table name (silver/NAME)
 * @param inputs files, folders or globs
 * @param format the format, or null to tell it from each file's ending
 * @param schema a Spark DDL schema, or null to infer one
 */
public record TableInputs(
    String name, List<String> inputs, SparkTableIngest.Format format, String schema) {
  /** Prefix of the per-table keys, {@code ingest.table.<name>.inputs}. */
  public static final String PREFIX = "ingest.table.";

  public static final ConfigKey<List<String>> TABLES =
      ConfigKey.stringList(
          "ingest.tables",
          List.of(),
          "Tabular data sets `ingest` and `run` register, each as silver/<name> from the files"
              + " under ingest.table.<name>.inputs (like ingest-table; a rerun on the same files"
              + " changes nothing).");

  private static final String N = PREFIX + "<name>.";

  /** The per-table keys as {@code config --keys} lists them, each named with {@code <name>}. */
  public static final List<ConfigKey<?>> FAMILY_KEYS =
      List.of(
          ConfigKey.stringList(
              N + "inputs",
              List.of(),
              "Files (CSV with header, Parquet, JSON lines), folders or globs."),
          ConfigKey.string(
              N + "format", "", "csv, parquet or json; empty: from each file's ending."),
          ConfigKey.string(
              N + "schema",
              "",
              "Declared schema as Spark DDL (\"age INT, churn STRING\"); empty: inferred."));

  private static final List<String> FIELDS = List.of("inputs", "format", "schema");

  public TableInputs {
    inputs = List.copyOf(inputs);
  }

  /** Every table of {@code ingest.tables}, in that order, with its declared inputs. */
  public static List<TableInputs> from(Settings s) {
    checkKnown(s);
    List<TableInputs> out = new ArrayList<>();
    for (String name : s.get(TABLES)) {
      String p = PREFIX + name + ".";
      List<String> inputs =
          s.get(ConfigKey.stringList(p + "inputs", List.of(), FAMILY_KEYS.get(0).doc()));
      if (inputs.isEmpty()) {
        throw CoreErrors.badConfigValue(
            p + "inputs",
            "[]",
            "the files of table "
                + name
                + " (listed in ingest.tables), e.g. [\"data/"
                + name
                + ".csv\"]",
            s.origin(p + "inputs"),
            null);
      }
      String format = s.get(ConfigKey.string(p + "format", "", FAMILY_KEYS.get(1).doc())).strip();
      String schema = s.get(ConfigKey.string(p + "schema", "", FAMILY_KEYS.get(2).doc())).strip();
      out.add(
          new TableInputs(
              name, inputs, format(s, p + "format", format), schema.isEmpty() ? null : schema));
    }
    return out;
  }

  private static SparkTableIngest.Format format(Settings s, String key, String v) {
    if (v.isEmpty()) {
      return null;
    }
    for (SparkTableIngest.Format f : SparkTableIngest.Format.values()) {
      if (f.name().equalsIgnoreCase(v)) {
        return f;
      }
    }
    throw CoreErrors.badConfigValue(
        key, v, "one of csv, parquet, json (or empty)", s.origin(key), null);
  }

  /** A misspelt key under {@code ingest.table.<name>.} is an error naming the nearest known one. */
  private static void checkKnown(Settings s) {
    for (Map.Entry<String, Object> e : s.explicitValues().entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(PREFIX)) {
        continue;
      }
      String rest = key.substring(PREFIX.length());
      int dot = rest.indexOf('.');
      String field = dot < 0 ? "" : rest.substring(dot + 1);
      if (FIELDS.contains(field)) {
        continue;
      }
      String table = dot < 0 ? rest : rest.substring(0, dot);
      String nearest =
          FIELDS.stream()
              .min(Comparator.comparingInt(f -> ConfigRegistry.editDistance(field, f)))
              .orElseThrow();
      throw CoreErrors.unknownConfigKey(
          key, s.origin(key), List.of(PREFIX + table + "." + nearest.toLowerCase(Locale.ROOT)));
    }
  }
}
