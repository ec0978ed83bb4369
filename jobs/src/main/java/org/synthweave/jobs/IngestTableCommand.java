package org.synthweave.jobs;

import java.util.List;
import org.synthweave.ingest.IngestConfig;
import org.synthweave.ingest.table.SparkTableIngest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code synthweave ingest-table <name> <path>...}: registers a tabular data set as silver. */
@Command(
    name = "ingest-table",
    mixinStandardHelpOptions = true,
    description = {
      "Register a tabular data set (CSV with header, Parquet, JSON lines) as silver/<name>.",
      "Values that do not convert to the column type, and malformed lines, go to"
          + " quarantine/table with the reason; identical rows are stored once; a rerun on the"
          + " same files changes nothing."
    })
final class IngestTableCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "Table name: silver/NAME.")
  String name;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "PATH",
      description = "Files, folders or globs.")
  List<String> paths;

  @Option(
      names = "--format",
      description = "csv, parquet or json (JSON lines). Default: from each file's ending.")
  SparkTableIngest.Format format;

  @Option(
      names = "--schema",
      paramLabel = "DDL",
      description =
          "Declared schema as Spark DDL, e.g. \"age INT, income DOUBLE, churn STRING\"."
              + " Default: inferred (the narrowest of int, bigint, double, boolean, timestamp,"
              + " string that every value converts to).")
  String schema;

  @Override
  public void run() {
    ConfigOptions o = Main.options(spec);
    try (JobContext job = new JobContext("ingest-table " + name, o.confFile, o.sets, System.out)) {
      IngestConfig cfg = IngestConfig.from(job.settings);
      new SparkTableIngest(job.spark(), job.catalog, cfg.rawMaxBytes())
          .ingest(name, paths, format, schema, job.summary);
      job.finish();
    }
  }
}
