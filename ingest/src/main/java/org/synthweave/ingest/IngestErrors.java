package org.synthweave.ingest;

import org.synthweave.core.SynthweaveException;

/** The one place where the ingest Spark jobs create user-facing errors (what, why, how to fix). */
public final class IngestErrors {
  private IngestErrors() {}

  public static SynthweaveException badMinhashBands(int hashes, int bands) {
    return new SynthweaveException(
        "ingest.dedup.minhash-hashes ("
            + hashes
            + ") must be a multiple of ingest.dedup.minhash-bands ("
            + bands
            + "), because every band takes the same number of rows. Choose e.g. 128 and 16.");
  }

  public static SynthweaveException badThreshold(double t) {
    return new SynthweaveException(
        "ingest.dedup.near-duplicate-threshold is "
            + t
            + " but must be in (0, 1]: it is an estimated Jaccard similarity. 0.8 is the default.");
  }

  public static SynthweaveException badTableName(String name) {
    return new SynthweaveException(
        "The table name '"
            + name
            + "' is not valid: use lower-case letters, digits and '_' (it becomes silver/"
            + name
            + ").");
  }

  public static SynthweaveException unknownFormat(String path) {
    return new SynthweaveException(
        "Cannot tell the format of '"
            + path
            + "' from its name. Name files .csv, .parquet or .jsonl/.json, or pass --format.");
  }

  public static SynthweaveException badSchema(String schema, Throwable cause) {
    return new SynthweaveException(
        "The declared schema '"
            + schema
            + "' does not parse: "
            + cause.getMessage()
            + ". Write it as Spark DDL, e.g. \"age INT, income DOUBLE, churn STRING\".",
        cause);
  }

  public static SynthweaveException schemaMismatch(String table, String detail) {
    return new SynthweaveException(
        "The rows do not fit the existing table "
            + table
            + ": "
            + detail
            + ". Ingest into a new table name, or declare the table's schema with --schema.");
  }

  public static SynthweaveException reservedColumn(String table, String column) {
    return new SynthweaveException(
        "The input of "
            + table
            + " has a column named '"
            + column
            + "', a name the table keeps for its own bookkeeping: rename that column in the input"
            + " (or, for a CSV, in its header) and ingest again.");
  }
}
