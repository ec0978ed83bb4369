package org.synthweave.ingest.crawl;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts for one crawl file, kept by its {@link CrawlFileReader}. A "record in" is an entry that is
 * either a {@link CrawlRecord} or a {@link CrawlRejection}: WARC response, resource and conversion
 * records, JSONL lines that are not blank, HTML files that are not empty, and damaged regions
 * (which may hide records of any type). Skips are counted separately, by reason and WARC type.
 */
public final class CrawlReadStats implements Serializable {
  private static final long serialVersionUID = 1L;

  private long records;
  private long rejected;
  private long skipped;
  private final Map<String, Long> rejectedByReason = new TreeMap<>();
  private final Map<String, Long> skippedByDetail = new TreeMap<>();
  private boolean emptyFile;

  void count(CrawlEntry entry) {
    if (entry instanceof CrawlRecord) {
      records++;
    } else if (entry instanceof CrawlRejection rejection) {
      rejected++;
      rejectedByReason.merge(rejection.reason().code(), 1L, Long::sum);
    } else if (entry instanceof CrawlSkip skip) {
      skipped++;
      String key =
          skip.detail() != null ? skip.reason().code() + ":" + skip.detail() : skip.reason().code();
      skippedByDetail.merge(key, 1L, Long::sum);
      if (skip.reason() == CrawlSkipReason.EMPTY_FILE) {
        emptyFile = true;
      }
    }
  }

  /** Records in: good records plus rejections. */
  public long recordsIn() {
    return records + rejected;
  }

  /** Good records yielded. */
  public long records() {
    return records;
  }

  /** Rejections yielded. */
  public long rejected() {
    return rejected;
  }

  /** Skips yielded (not part of records in). */
  public long skipped() {
    return skipped;
  }

  /** Rejections per reason code, sorted by code. */
  public Map<String, Long> rejectedByReason() {
    return Map.copyOf(rejectedByReason);
  }

  /**
   * Skips per reason code, with the WARC type for WARC skips ({@code warc_type:request}), sorted.
   */
  public Map<String, Long> skippedByReason() {
    return new TreeMap<>(skippedByDetail);
  }

  /** Whether the file held no bytes (or only a gzip wrapper around nothing). */
  public boolean emptyFile() {
    return emptyFile;
  }

  @Override
  public String toString() {
    return "CrawlReadStats[in="
        + recordsIn()
        + ", records="
        + records
        + ", rejected="
        + rejectedByReason
        + ", skipped="
        + skippedByDetail
        + "]";
  }
}
