package org.synthweave.jobs;

import org.synthweave.ingest.IngestConfig;
import org.synthweave.vectors.IndexConfig;
import org.synthweave.vectors.SparkEmbeddingIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synthweave index}: Lucene HNSW indexes of gold/embeddings. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Bring the vector indexes under <warehouse>/index/ up to date with gold/embeddings: one"
          + " index per text model (index/text-<model>, passages with url, title, language and a"
          + " snippet) and one per table of row vectors (index/rows-<table>).",
      "Each index is Lucene HNSW shards written by Spark tasks plus an index.json descriptor"
          + " (dimensions, similarity, model and version, source table version, shards). Updates"
          + " are incremental: new and changed vectors go into new shards, removed ones are deleted"
          + " from their shards, small shards are merged past index.compact.* thresholds."
    })
final class IndexCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--name",
      paramLabel = "INDEX",
      description = "Update only this index (e.g. text-all-minilm-l6-v2).")
  String name;

  @Option(names = "--rebuild", description = "Build the indexes from scratch.")
  boolean rebuild;

  @Option(
      names = "--compact",
      description =
          "Merge every small or deletion-holding shard now (normally done past the"
              + " index.compact.* thresholds).")
  boolean compact;

  @Override
  public void run() {
    ConfigOptions o = Main.options(spec);
    try (JobContext job = new JobContext("index", o.confFile, o.sets, System.out)) {
      index(job, name, rebuild, compact);
      job.finish();
    }
  }

  /** Runs the index stage inside an existing job (also used by {@code synthweave run}). */
  static void index(JobContext job, String name, boolean rebuild, boolean compact) {
    new SparkEmbeddingIndex(job.spark(), job.catalog, IndexConfig.from(job.settings))
        .update(name, rebuild, compact, IngestConfig.from(job.settings).rawMaxBytes(), job.summary);
  }
}
