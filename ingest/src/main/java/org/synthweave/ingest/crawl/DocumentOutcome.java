package org.synthweave.ingest.crawl;

/**
 * The result of {@link CrawlDocuments#toDocument(CrawlRecord)}: a {@link CrawlDocument} or a {@link
 * CrawlRejection}, as a value so executors never need try/catch around a record.
 */
public sealed interface DocumentOutcome permits CrawlDocument, CrawlRejection {}
