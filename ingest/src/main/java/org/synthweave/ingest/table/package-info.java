/**
 * Tabular data sets (CSV, Parquet, JSON lines) registered as silver tables with a declared or
 * inferred schema, the same quarantine and run summary as the other ingest paths.
 */
package org.synthweave.ingest.table;
