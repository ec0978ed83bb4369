package org.synthweave.core.catalog;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import java.io.Serializable;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Name → path → schema for every Delta table of the project, under one warehouse root. Fixed tables
 * (bronze, silver documents, quarantine, runs) have their schema here; tables whose columns depend
 * on configuration (silver telemetry's sensor fields, gold tables) carry no fixed schema.
 */
public final class TableCatalog implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern NAME = Pattern.compile("[a-z0-9_]+(/[a-z0-9_\\-]+)*");

  public static final String BRONZE_CRAWL = "bronze/crawl";
  public static final String BRONZE_TELEMETRY = "bronze/telemetry";
  public static final String SILVER_DOCUMENTS = "silver/documents";
  public static final String SILVER_TELEMETRY = "silver/telemetry";
  public static final String GOLD_EMBEDDINGS = "gold/embeddings";
  public static final String RUNS = "_runs";
  public static final String CHECKS = "_checks";
  public static final String MARKET_LISTINGS = "market/listings";
  public static final String MARKET_CATALOG = "market/catalog";
  public static final String MARKET_SYNC = "market/catalog_sync";
  public static final String MARKET_VECTORS = "market/catalog_vectors";

  private final String root;

  public TableCatalog(String warehouseRoot) {
    if (warehouseRoot == null || warehouseRoot.isBlank()) {
      throw new IllegalArgumentException("warehouseRoot must not be blank");
    }
    this.root =
        warehouseRoot.endsWith("/")
            ? warehouseRoot.substring(0, warehouseRoot.length() - 1)
            : warehouseRoot;
  }

  public String root() {
    return root;
  }

  /** The storage path of a table, e.g. {@code <root>/silver/documents}. */
  public String path(String table) {
    if (table == null || !NAME.matcher(table).matches()) {
      throw new IllegalArgumentException(
          "table name must be lower-case segments like 'silver/documents', got: " + table);
    }
    return root + "/" + table;
  }

  /**
   * Where the fitted row-feature pipeline of {@code table} is saved: beside the warehouse's tables
   * under {@code features/}, e.g. {@code <root>/features/silver/telemetry} (a Spark ML model
   * folder, outside the Delta table so that VACUUM and overwrites of the table leave it alone).
   */
  public String featureModelPath(String table) {
    return root + "/features/" + path(table).substring(root.length() + 1);
  }

  public static String quarantine(String stage) {
    return "quarantine/" + stage;
  }

  public static String silver(String dataset) {
    return "silver/" + dataset;
  }

  public static String gold(String dataset) {
    return "gold/" + dataset;
  }

  /**
   * {@code rows} reduced to {@code schema}'s columns, in its order, cast to its types and carrying
   * its column comments: writers go through here so the catalog is the one definition of a table.
   */
  public static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> conform(
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows, StructType schema) {
    org.apache.spark.sql.Column[] cols = new org.apache.spark.sql.Column[schema.size()];
    for (int i = 0; i < cols.length; i++) {
      StructField f = schema.fields()[i];
      cols[i] =
          org.synthweave.core.spark.Columns.col(f.name())
              .cast(f.dataType())
              .as(f.name(), f.metadata());
    }
    return rows.select(cols);
  }

  private static StructField field(
      String name, org.apache.spark.sql.types.DataType type, boolean nullable, String comment) {
    return new StructField(name, type, nullable, Metadata.empty()).withComment(comment);
  }

  /** Raw crawl records as received, with the reference back into the source file. */
  public static final StructType BRONZE_CRAWL_SCHEMA =
      new StructType(
          new StructField[] {
            field(
                "record_key",
                StringType,
                false,
                "SHA-256 of source_file + offset + record_id; merge key"),
            field("source_file", StringType, false, "file the record was read from"),
            field("offset", LongType, false, "byte offset of the record (line offset for JSONL)"),
            field("record_id", StringType, true, "WARC-Record-ID, or file#line for JSONL"),
            field(
                "record_type",
                StringType,
                false,
                "response, resource, conversion, html_file, jsonl"),
            field("url", StringType, true, "target URI"),
            field("fetch_time", TimestampType, true, "WARC-Date or the JSONL fetch time"),
            field("http_status", IntegerType, true, "HTTP status of a response record"),
            field("content_type", StringType, true, "Content-Type of the payload"),
            field("content_length", LongType, true, "payload bytes"),
            field(
                "doc_id", StringType, true, "id of the extracted document (null when quarantined)"),
            field("ingested_at", TimestampType, false, "when this run wrote the record"),
            field("run_id", StringType, false, "the run that wrote the record"),
          });

  /** Clean, deduplicated documents; id = SHA-256 of the normalized text. */
  public static final StructType SILVER_DOCUMENTS_SCHEMA =
      new StructType(
          new StructField[] {
            field("id", StringType, false, "SHA-256 hex of the normalized text"),
            field("url", StringType, true, "source URL"),
            field("title", StringType, true, "document title"),
            field("text", StringType, false, "normalized main text"),
            field("language", StringType, false, "ISO 639-1 code, or und"),
            field("char_count", IntegerType, false, "characters in text"),
            field("word_count", IntegerType, false, "words in text"),
            field(
                "minhash",
                createArrayType(IntegerType, false),
                false,
                "MinHash signature for near-duplicate detection"),
            field("source_file", StringType, false, "file of the first record with this text"),
            field("offset", LongType, false, "offset of that record"),
            field("record_id", StringType, true, "id of that record"),
            field("fetch_time", TimestampType, true, "fetch time of that record"),
            field("ingested_at", TimestampType, false, "when the document was first written"),
            field("run_id", StringType, false, "run that first wrote the document"),
          });

  /** Every rejected record with its reason: nothing is dropped silently. */
  public static final StructType QUARANTINE_SCHEMA =
      new StructType(
          new StructField[] {
            field(
                "quarantine_key",
                StringType,
                false,
                "SHA-256 of stage + source + position + reason; merge key"),
            field("stage", StringType, false, "stage that rejected the record"),
            field("source_file", StringType, false, "file the record came from"),
            field("position", LongType, false, "byte offset or row number in the source file"),
            field("record_id", StringType, true, "record id where known"),
            field("reason", StringType, false, "stable reason code"),
            field("field", StringType, true, "offending field where known"),
            field("detail", StringType, true, "human-readable detail"),
            field("raw", BinaryType, true, "raw record bytes, up to raw_max_bytes"),
            field("raw_length", LongType, true, "length of the raw record in bytes"),
            field("raw_truncated", BooleanType, false, "whether raw holds only a prefix"),
            field("quarantined_at", TimestampType, false, "when this run rejected it"),
            field("run_id", StringType, false, "run that rejected it"),
          });

  /** One row per stage and source file per run: records in = out + quarantined + duplicates. */
  public static final StructType RUNS_SCHEMA =
      new StructType(
          new StructField[] {
            field("run_id", StringType, false, "run identifier"),
            field("command", StringType, false, "CLI command that ran"),
            field("stage", StringType, false, "stage name"),
            field("source", StringType, false, "source file, or * for the stage total"),
            field("records_in", LongType, false, "records read"),
            field("records_out", LongType, false, "records written as new output"),
            field("quarantined", LongType, false, "records rejected to quarantine"),
            field(
                "duplicates",
                LongType,
                false,
                "records dropped as duplicates (exact, near, or already present)"),
            field(
                "skipped",
                LongType,
                false,
                "records of kinds the stage does not take (e.g. WARC request records), not counted in records_in"),
            field("balanced", BooleanType, false, "records_in == out + quarantined + duplicates"),
            field("started_at", TimestampType, false, "run start"),
            field("finished_at", TimestampType, false, "run end"),
            field("config_hash", StringType, false, "SHA-256 of the explicit configuration"),
            field("code_version", StringType, false, "synthweave version"),
          });

  /**
   * Vectors of documents (one row per passage) and of table rows, by model and model version; merge
   * key (id, model, model_version, passage_no).
   */
  public static final StructType GOLD_EMBEDDINGS_SCHEMA =
      new StructType(
          new StructField[] {
            field("id", StringType, false, "id of the document or row in source_table"),
            field("kind", StringType, false, "text (a document passage) or row (a table row)"),
            field("source_table", StringType, false, "table the id belongs to"),
            field("model", StringType, false, "text model id, or row-features"),
            field(
                "model_version",
                StringType,
                false,
                "model files hash + passage window, or the fitted feature pipeline's hash"),
            field("passage_no", IntegerType, false, "0, 1, ... within a document; 0 for rows"),
            field("char_start", IntegerType, true, "first character of the passage in the text"),
            field("char_end", IntegerType, true, "one past the passage's last character"),
            field("tokens", IntegerType, true, "tokens the model read, [CLS] and [SEP] included"),
            field("dims", IntegerType, false, "vector length"),
            field(
                "vector",
                createArrayType(FloatType, false),
                false,
                "the embedding (L2-normalized for text)"),
            field("embedded_at", TimestampType, false, "when this run computed it"),
            field("run_id", StringType, false, "run that computed it"),
          });

  /** One row per published dataset version: where it is on Arweave and what it holds. */
  public static final StructType MARKET_LISTINGS_SCHEMA =
      new StructType(
          new StructField[] {
            field("dataset", StringType, false, "dataset name, e.g. silver_wine; key with version"),
            field("version", StringType, false, "published version (the Delta table version)"),
            field("manifest_tx", StringType, false, "Arweave id of the arweave/paths manifest"),
            field("merkle_root", StringType, false, "Merkle root of the files (manifest.json)"),
            field("schema_hash", StringType, false, "SHA-256 of the dataset's schema JSON"),
            field("rows", LongType, false, "rows over all data files"),
            field("bytes", LongType, false, "bytes over all data files"),
            field("owner", StringType, false, "Arweave address that signed and paid"),
            field("gateway", StringType, false, "gateway the dataset was uploaded through"),
            field("published_at", TimestampType, false, "when publish listed it"),
          });

  /** A column of a listed dataset's schema. */
  public static final StructType MARKET_COLUMN =
      new StructType(
          new StructField[] {
            field("name", StringType, false, "column name"),
            field("type", StringType, false, "Spark type, e.g. double or array<string>"),
          });

  /**
   * One row per listing found on a gateway ({@code market sync}): the buyer's catalog. Every text
   * comes from the publisher and is untrusted; {@code status} says whether it checked out.
   */
  public static final StructType MARKET_CATALOG_SCHEMA =
      new StructType(
          new StructField[] {
            field("id", StringType, false, "Arweave id of the path manifest; the key"),
            field("owner", StringType, false, "address that signed the transaction"),
            field("gateway", StringType, false, "gateway the listing was found on"),
            field("dataset", StringType, true, "dataset name, e.g. silver_wine"),
            field("version", StringType, true, "published version"),
            field("title", StringType, true, "title (card, else Title tag)"),
            field("description", StringType, true, "description (card, else Description tag)"),
            field(
                "keywords",
                createArrayType(StringType, false),
                false,
                "keywords (card, else Topic tags)"),
            field("license", StringType, true, "SPDX license id from the card"),
            field(
                "license_terms",
                createMapType(StringType, StringType, false),
                false,
                "ANS-105 tags: License (UDL transaction id) and the UDL terms"),
            field(
                "columns",
                createArrayType(MARKET_COLUMN, false),
                false,
                "the schema's columns in order"),
            field("rows", LongType, true, "rows over all data files"),
            field("bytes", LongType, true, "bytes over all data files"),
            field("files", IntegerType, true, "data files"),
            field("kind", StringType, false, "real, augmented, synthetic, embeddings or unknown"),
            field("checks_passed", IntegerType, false, "certified check results that passed"),
            field("checks_failed", IntegerType, false, "certified check results that failed"),
            field("quality_score", DoubleType, true, "synthetic quality score, when evaluated"),
            field(
                "fidelity",
                createMapType(StringType, DoubleType, false),
                false,
                "numeric figures of the synthetic evaluation"),
            field("provenance", StringType, true, "upstream tables, models, code version"),
            field("source_table", StringType, true, "the table exported, e.g. silver/wine"),
            field("published_at", TimestampType, true, "time of the block that holds it"),
            field("block_height", LongType, false, "height of the block that holds it"),
            field("status", StringType, false, "verified or unverified"),
            field("reason", StringType, true, "why it is unverified; null when verified"),
            field("synced_at", TimestampType, false, "when market sync stored it"),
          });

  /**
   * The sentence vectors {@code market search} computed for catalog listings, kept so that the next
   * search embeds only new passages.
   */
  public static final StructType MARKET_VECTORS_SCHEMA =
      new StructType(
          new StructField[] {
            field("model_version", StringType, false, "the encoder's model version; a key part"),
            field(
                "passage_sha256",
                StringType,
                false,
                "SHA-256 of the listing text embedded (title. description. keywords. columns)"),
            field(
                "vector",
                createArrayType(FloatType, false),
                false,
                "unit-length sentence vector of the passage"),
          });

  /** One row per gateway: where its next {@code market sync} starts. */
  public static final StructType MARKET_SYNC_SCHEMA =
      new StructType(
          new StructField[] {
            field("gateway", StringType, false, "gateway URL; the key"),
            field("from_height", LongType, false, "block height the next sync asks from"),
            field("synced_at", TimestampType, false, "when the last sync ended"),
          });

  /** One row per check metric per run of the checks: the history of a dataset's quality. */
  public static final StructType CHECKS_SCHEMA =
      new StructType(
          new StructField[] {
            field("dataset", StringType, false, "dataset whose checks ran (verify.dataset.<name>)"),
            field("table", StringType, false, "catalog table checked, e.g. silver/wine"),
            field("table_version", LongType, false, "Delta version of the table checked"),
            field("check", StringType, false, "check name: rows, columns, complete, unique, ..."),
            field("column", StringType, false, "column checked; empty for table-level checks"),
            field("metric", StringType, false, "what was measured, e.g. completeness"),
            field("threshold", StringType, false, "the rule the value must meet, e.g. >= 0.99"),
            field("value", DoubleType, true, "measured value; null when not a number"),
            field("actual", StringType, true, "what was found when not a number (a type)"),
            field("pass", BooleanType, false, "whether the value meets the rule"),
            field("checked_at", TimestampType, false, "when the checks ran"),
            field("run_id", StringType, false, "run that ran them"),
          });
}
