package org.synthweave.core;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one place where core creates user-facing errors. Each message says what went wrong, why, and
 * how to fix it, so a data engineer can act on it without reading our code.
 */
public final class CoreErrors {
  private CoreErrors() {}

  public static SynthweaveException unknownConfigKey(
      String key, String origin, List<String> nearest) {
    String hint =
        nearest.isEmpty()
            ? "Run `synthweave config --keys` to list every valid key."
            : "Did you mean "
                + nearest.stream().map(k -> "'" + k + "'").collect(Collectors.joining(" or "))
                + "? Run `synthweave config --keys` to list every valid key.";
    return new SynthweaveException(
        "Unknown configuration key '" + key + "' (from " + origin + "). " + hint);
  }

  public static SynthweaveException badConfigValue(
      String key, Object value, String expected, String origin, Throwable cause) {
    return new SynthweaveException(
        "Configuration key '"
            + key
            + "' has the value '"
            + value
            + "' (from "
            + origin
            + "), but it must be "
            + expected
            + ". Fix the value in the config file or pass --set "
            + key
            + "=<value>.",
        cause);
  }

  /**
   * A stage setting whose value parsed but cannot be used; {@code why} completes "but ...". Each
   * stage's error factory delegates here so the wording is the same everywhere.
   */
  public static SynthweaveException badOption(String key, Object value, String why) {
    return new SynthweaveException(
        "Configuration key '"
            + key
            + "' has the value '"
            + value
            + "', but "
            + why
            + ". Fix it in the config file or pass --set "
            + key
            + "=<value>.");
  }

  public static SynthweaveException badSetOption(String option) {
    return new SynthweaveException(
        "The option --set '"
            + option
            + "' is not of the form key=value. Write it as e.g. --set"
            + " spark.shuffle-partitions=8.");
  }

  public static SynthweaveException badSetKey(String option, String key, String reason) {
    return new SynthweaveException(
        "The key of --set '"
            + option
            + "' is not a valid config path ("
            + reason
            + "). Quote an element that holds dots, whole and in double quotes, e.g. --set"
            + " 'spark.conf.\"spark.master\"=yarn'.");
  }

  public static SynthweaveException notASparkKey(String sparkKey, String origin) {
    return new SynthweaveException(
        "The Spark setting '"
            + sparkKey
            + "' (from "
            + origin
            + ") is not a Spark key: Spark's keys start with 'spark.' and it would ignore this"
            + " one. Write it as spark.conf.\"spark.<key>\", e.g. spark.conf.\"spark.executor.memory\"=4g.");
  }

  public static SynthweaveException conflictingSparkSetting(
      String key, Object value, String sparkKey, Object sparkValue, String origin) {
    return new SynthweaveException(
        "Both "
            + key
            + "="
            + value
            + " and spark.conf.\""
            + sparkKey
            + "\"="
            + sparkValue
            + " are given (from "
            + origin
            + ") and they disagree, so one would be ignored. Give only one of them.");
  }

  public static SynthweaveException configFileUnreadable(Path file, Throwable cause) {
    return new SynthweaveException(
        "Cannot read the config file "
            + file
            + ": "
            + cause.getMessage()
            + ". Check the path given to --conf and that the file is valid HOCON (see"
            + " conf/local.conf for an example).",
        cause);
  }

  public static SynthweaveException noInputs(String what, Collection<String> patterns) {
    return new SynthweaveException(
        "No "
            + what
            + " input files matched "
            + patterns
            + ". Check the paths (globs are allowed) or set them with --set.");
  }

  public static SynthweaveException unbalancedRun(String stage, String source, String detail) {
    return new SynthweaveException(
        "Run check failed for stage '"
            + stage
            + "', source '"
            + source
            + "': "
            + detail
            + ". Records in must equal out + quarantined + duplicates; this is a bug in"
            + " synthweave, please report it with the run summary.",
        null,
        1);
  }

  // ---- the warehouse ----

  /** Exit code of a lost Delta commit race: retryable (sysexits EX_TEMPFAIL). */
  public static final int EXIT_RETRY = 75;

  public static SynthweaveException warehouseIsAFile(String warehouse) {
    return new SynthweaveException(
        "Warehouse "
            + warehouse
            + " is a file, not a folder: set warehouse to a folder (e.g. --set warehouse="
            + warehouse
            + ".d) or move the file away.");
  }

  public static SynthweaveException warehouseUnderAFile(String warehouse, String file) {
    return new SynthweaveException(
        "Warehouse "
            + warehouse
            + " lies under "
            + file
            + ", which is a file, not a folder: set warehouse to a path whose parents are"
            + " folders.");
  }

  public static SynthweaveException warehouseNotWritable(
      String warehouse, String what, Throwable cause) {
    return new SynthweaveException(
        "Warehouse "
            + warehouse
            + " is not writable ("
            + what
            + "): give this user write permission on it (e.g. chmod -R u+w "
            + warehouse
            + ") or set warehouse to a writable folder.",
        cause);
  }

  /**
   * The losing side of two jobs committing to the same Delta table; {@code table} may be null when
   * the failing write is not known, then the warehouse is named.
   */
  public static SynthweaveException concurrentCommit(
      String table, String warehouse, Throwable cause) {
    return new SynthweaveException(
        "Another job committed to "
            + (table != null
                ? table
                : warehouse != null ? "a table of warehouse " + warehouse : "a table")
            + " while this one ran (Delta conflict: "
            + cause.getClass().getSimpleName()
            + "): rerun; the rerun merges by id and loses nothing.",
        cause,
        EXIT_RETRY);
  }

  // ---- warehouse tables by name (synthweave sql, notebooks) ----

  /** A table name that is not one of the warehouse's tables. */
  public static SynthweaveException noSuchWarehouseTable(
      String name, String warehouse, List<String> tables) {
    return new SynthweaveException(
        "There is no table " + name + " in the warehouse " + warehouse + ". " + existing(tables));
  }

  /** A table version outside 0 to the latest. */
  public static SynthweaveException noSuchTableVersion(String name, long version, long latest) {
    return new SynthweaveException(
        "Table "
            + name
            + " has no version "
            + version
            + "; its versions are 0 to "
            + latest
            + ". Pass one of them (history(table) lists them with what each changed).");
  }

  /** A SQL query Spark cannot parse or resolve, e.g. one naming a table that does not exist. */
  public static SynthweaveException badQuery(
      String reason, String warehouse, List<String> tables, Throwable cause) {
    return new SynthweaveException(
        "The SQL query cannot run: "
            + reason
            + " Fix the query; tables are named like silver.documents (their folder under the"
            + " warehouse "
            + warehouse
            + " with '.' for '/'). "
            + existing(tables),
        cause);
  }

  /** A SQL query that parsed and resolved but failed while it ran. */
  public static SynthweaveException queryFailed(String reason, Throwable cause) {
    return new SynthweaveException(
        "The SQL query failed while it ran: "
            + reason
            + " Fix the query (e.g. use try_cast or try_divide where values may not fit).",
        cause,
        1);
  }

  private static String existing(List<String> tables) {
    return tables.isEmpty()
        ? "The warehouse holds no Delta tables yet: run `synthweave run` (or a stage) with this"
            + " warehouse setting first."
        : "Its tables are: " + String.join(", ", tables) + ".";
  }
}
