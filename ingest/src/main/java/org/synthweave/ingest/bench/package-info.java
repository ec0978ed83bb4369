/**
 * The logic of {@code synthweave bench extract}: main-text extraction quality of {@link
 * org.synthweave.ingest.crawl.HtmlExtractor} against Mozilla Readability on real pages with gold
 * text. Benchmarks print figures; nothing here runs during ingestion.
 */
package org.synthweave.ingest.bench;
