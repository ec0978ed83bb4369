/**
 * The Spark-free heart of DePIN telemetry ingestion: the declared reading schema, the device key
 * registry, the canonical byte encoding that devices sign, and the validator that turns one raw
 * record of strings into a typed reading or a rejection with a stable reason code. The Spark
 * adapter ({@code SparkTelemetryIngest}) only moves rows through these classes, so the same rules
 * run in a notebook, on a buyer's machine or in a unit test without a cluster.
 */
package org.synthweave.ingest.telemetry;
