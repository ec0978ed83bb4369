package org.synthweave.jobs;

import org.synthweave.embedding.EmbeddingConfig;
import org.synthweave.embedding.spark.SparkRowFeatures;
import org.synthweave.embedding.spark.SparkTextEmbedding;
import org.synthweave.ingest.IngestConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synthweave embed}: document passages and table rows into gold/embeddings. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
      "Embed the documents of embed.text.table (default silver/documents) with the sentence model"
          + " embed.text.model (all-MiniLM-L6-v2 on ONNX Runtime; long texts become overlapping"
          + " 256-token passages), and the rows of embed.rows.tables (default silver/telemetry)"
          + " with a fitted feature pipeline, into gold/embeddings.",
      "Only ids without vectors of the same model and version are computed: a rerun computes"
          + " nothing. Unusable texts (empty, whitespace, binary) go to quarantine/embed."
    })
final class EmbedCommand implements Runnable {
  /** Which embeddings to compute. */
  enum Only {
    text,
    rows
  }

  @Spec CommandSpec spec;

  @Option(names = "--only", description = "Embed only this kind: ${COMPLETION-CANDIDATES}.")
  Only only;

  @Option(
      names = "--refit",
      description =
          "Fit the row feature pipelines anew instead of reusing the saved ones (all rows get new"
              + " vectors under a new model version).")
  boolean refit;

  @Override
  public void run() {
    ConfigOptions o = Main.options(spec);
    try (JobContext job = new JobContext("embed", o.confFile, o.sets, System.out)) {
      embed(job, only, refit);
      job.finish();
    }
  }

  /** Runs the embed stage inside an existing job (also used by {@code synthweave run}). */
  static void embed(JobContext job, Only only, boolean refit) {
    EmbeddingConfig cfg = EmbeddingConfig.from(job.settings);
    if (only == null || only == Only.text) {
      int rawMaxBytes = IngestConfig.from(job.settings).rawMaxBytes();
      new SparkTextEmbedding(job.spark(), job.catalog, cfg, rawMaxBytes).embed(job.summary);
    }
    if (only == null || only == Only.rows) {
      SparkRowFeatures rows = new SparkRowFeatures(job.spark(), job.catalog, cfg);
      for (String table : cfg.rowTables()) {
        rows.embed(table, refit, job.summary);
      }
    }
  }
}
