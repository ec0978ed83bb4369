package org.synthweave.ingest.crawl;

import java.io.Serializable;

/**
 * Something in a crawl file that is not a record: a WARC record of a non-content type, a blank
 * JSONL line, or an empty file. {@code detail} names the WARC type for {@link
 * CrawlSkipReason#WARC_TYPE}.
 */
public record CrawlSkip(String sourceFile, long offset, CrawlSkipReason reason, String detail)
    implements CrawlEntry, Serializable {
  private static final long serialVersionUID = 1L;
}
