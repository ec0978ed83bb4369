package org.synthweave.ingest;

import java.io.Serializable;
import java.util.List;
import org.synthweave.core.config.ConfigKey;
import org.synthweave.core.config.Settings;

/**
 * Every configuration key of the ingest stage, with its documented default, and the typed view of
 * them that the ingest jobs use.
 */
public record IngestConfig(
    List<String> crawlInputs,
    List<String> telemetryInputs,
    String telemetrySchema,
    String telemetryDevices,
    double nearDuplicateThreshold,
    int minhashHashes,
    int minhashBands,
    int shingleWords,
    int rawMaxBytes,
    int tasksPerCore)
    implements Serializable {

  public static final ConfigKey<List<String>> CRAWL_INPUTS =
      ConfigKey.stringList(
          "ingest.crawl.inputs",
          List.of("data/samples/crawl"),
          "Crawled inputs: WARC (.warc, .warc.gz), HTML (.html, .htm) and JSONL files, folders"
              + " (searched recursively) or globs.");
  public static final ConfigKey<List<String>> TELEMETRY_INPUTS =
      ConfigKey.stringList(
          "ingest.telemetry.inputs",
          List.of("data/samples/telemetry/readings.jsonl", "data/samples/telemetry/readings.csv"),
          "DePIN telemetry inputs: .jsonl/.json, .csv and .parquet files, folders or globs.");
  public static final ConfigKey<String> TELEMETRY_SCHEMA =
      ConfigKey.string(
          "ingest.telemetry.schema",
          "conf/telemetry-schema.conf",
          "HOCON file declaring the typed sensor fields of a reading.");
  public static final ConfigKey<String> TELEMETRY_DEVICES =
      ConfigKey.string(
          "ingest.telemetry.devices",
          "conf/devices.csv",
          "Device registry CSV (device_id,public_key,signing): which devices exist and must sign.");
  public static final ConfigKey<Double> NEAR_DUPLICATE_THRESHOLD =
      ConfigKey.decimal(
          "ingest.dedup.near-duplicate-threshold",
          0.8,
          "Estimated Jaccard similarity of word 5-shingles at or above which a document is a"
              + " near-duplicate of an earlier one.");
  public static final ConfigKey<Integer> MINHASH_HASHES =
      ConfigKey.integer(
          "ingest.dedup.minhash-hashes", 128, "MinHash signature length (hash functions).");
  public static final ConfigKey<Integer> MINHASH_BANDS =
      ConfigKey.integer(
          "ingest.dedup.minhash-bands",
          16,
          "LSH bands; rows per band = hashes / bands. 16 x 8 finds pairs above about 0.71.");
  public static final ConfigKey<Integer> SHINGLE_WORDS =
      ConfigKey.integer("ingest.dedup.shingle-words", 5, "Words per shingle for MinHash.");
  public static final ConfigKey<Integer> RAW_MAX_BYTES =
      ConfigKey.integer(
          "ingest.quarantine.raw-max-bytes",
          1 << 20,
          "Bytes of a rejected record kept in the quarantine table's raw column; the rest is"
              + " findable by source file and offset.");
  public static final ConfigKey<Integer> TASKS_PER_CORE =
      ConfigKey.integer(
          "ingest.tasks-per-core",
          3,
          "Crawl files are spread over at most cores x this many tasks, balanced by file size.");

  public static final List<ConfigKey<?>> KEYS =
      List.of(
          CRAWL_INPUTS,
          TELEMETRY_INPUTS,
          TELEMETRY_SCHEMA,
          TELEMETRY_DEVICES,
          NEAR_DUPLICATE_THRESHOLD,
          MINHASH_HASHES,
          MINHASH_BANDS,
          SHINGLE_WORDS,
          RAW_MAX_BYTES,
          TASKS_PER_CORE);

  public static IngestConfig from(Settings s) {
    IngestConfig c =
        new IngestConfig(
            s.get(CRAWL_INPUTS),
            s.get(TELEMETRY_INPUTS),
            s.get(TELEMETRY_SCHEMA),
            s.get(TELEMETRY_DEVICES),
            s.get(NEAR_DUPLICATE_THRESHOLD),
            s.get(MINHASH_HASHES),
            s.get(MINHASH_BANDS),
            s.get(SHINGLE_WORDS),
            s.get(RAW_MAX_BYTES),
            s.get(TASKS_PER_CORE));
    if (c.minhashHashes % c.minhashBands != 0) {
      throw IngestErrors.badMinhashBands(c.minhashHashes, c.minhashBands);
    }
    if (c.nearDuplicateThreshold <= 0 || c.nearDuplicateThreshold > 1) {
      throw IngestErrors.badThreshold(c.nearDuplicateThreshold);
    }
    return c;
  }
}
