package org.synthweave.jobs;

import java.util.List;
import org.synthweave.ingest.IngestConfig;
import org.synthweave.ingest.spark.SparkCrawlIngest;
import org.synthweave.ingest.spark.SparkTelemetryIngest;
import org.synthweave.ingest.table.SparkTableIngest;
import org.synthweave.ingest.table.TableInputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synthweave ingest}: crawled web data and DePIN telemetry into bronze and silver. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Ingest crawled web data (WARC, HTML, JSONL: ingest.crawl.inputs) and DePIN telemetry"
          + " (JSONL, CSV, Parquet: ingest.telemetry.inputs) into bronze/*, silver/documents,"
          + " silver/telemetry, and the tabular data sets of ingest.tables (declared under"
          + " ingest.table.<name>, like ingest-table) into silver/<name>; rejected records go to"
          + " quarantine/<stage> with the reason.",
      "Prints records in / out / quarantined / duplicates per source file. A rerun on the same"
          + " files changes no table."
    })
final class IngestCommand implements Runnable {
  /** Which inputs to ingest. */
  enum Only {
    crawl,
    telemetry,
    tables
  }

  @Spec CommandSpec spec;

  @Option(names = "--only", description = "Ingest only this kind: ${COMPLETION-CANDIDATES}.")
  Only only;

  @Override
  public void run() {
    ConfigOptions o = Main.options(spec);
    try (JobContext job = new JobContext("ingest", o.confFile, o.sets, System.out)) {
      ingest(job, only);
      job.finish();
    }
  }

  /** Runs the ingest stage inside an existing job (also used by {@code synthweave run}). */
  static void ingest(JobContext job, Only only) {
    IngestConfig cfg = IngestConfig.from(job.settings);
    // Read before Spark starts: a bad table declaration is a configuration error before any work.
    List<TableInputs> tables =
        only == null || only == Only.tables ? TableInputs.from(job.settings) : List.of();
    if (only == null || only == Only.crawl) {
      new SparkCrawlIngest(job.spark(), job.catalog, cfg).ingest(job.summary);
    }
    if (only == null || only == Only.telemetry) {
      new SparkTelemetryIngest(job.spark(), job.catalog, cfg).ingest(job.summary);
    }
    if (only == null || only == Only.tables) {
      for (TableInputs t : tables) {
        new SparkTableIngest(job.spark(), job.catalog, cfg.rawMaxBytes())
            .ingest(t.name(), t.inputs(), t.format(), t.schema(), job.summary);
      }
    }
  }
}
