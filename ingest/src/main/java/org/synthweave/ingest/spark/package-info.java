/**
 * The thin Spark adapters of the ingest stage: they distribute files to tasks, call the Spark-free
 * crawl and telemetry code inside them, and write bronze, silver and quarantine Delta tables with
 * per-file run counts.
 */
package org.synthweave.ingest.spark;
