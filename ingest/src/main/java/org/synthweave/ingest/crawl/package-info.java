/**
 * The Spark-free heart of crawled-web-data ingestion: streaming readers for WARC, HTML and JSONL
 * files that turn bad content into {@link org.synthweave.ingest.crawl.CrawlRejection}s instead of
 * exceptions, and the per-record steps from raw bytes to a {@link
 * org.synthweave.ingest.crawl.CrawlDocument} (extraction, normalization, language, content id,
 * MinHash). The Spark adapter calls these inside executors, so everything here is either static,
 * {@link java.io.Serializable}, or a lazily built per-JVM singleton.
 */
package org.synthweave.ingest.crawl;
