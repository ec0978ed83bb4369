/**
 * The ingest stage's configuration keys, its user-facing errors and the quarantine writer shared by
 * the crawl, telemetry and table jobs. The Spark-free hearts live in {@code crawl} and {@code
 * telemetry}; the Spark jobs in {@code spark} and {@code table}.
 */
package org.synthweave.ingest;
