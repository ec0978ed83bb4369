package org.synthweave.jobs;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code synthweave run}: the whole pipeline, as far as it exists, on the configured inputs (by
 * default the bundled samples): ingest, augment, embed, index, then synthesis of the tables in
 * synth.tables. Each new stage is added here.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole pipeline on the configured inputs (default: the bundled samples under"
          + " data/samples) into the warehouse (default ./warehouse).",
      "Stages run now: ingest (crawl, telemetry), augment (augment.datasets, default the"
          + " telemetry time series), embed (text passages, row features), index (HNSW indexes of"
          + " the embeddings), synthesis (each table of synth.tables into gold/<name>_synthetic)."
          + " Prints the run summary and appends it to the _runs table."
    })
final class RunCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    ConfigOptions o = Main.options(spec);
    try (JobContext job = new JobContext("run", o.confFile, o.sets, System.out)) {
      IngestCommand.ingest(job, null);
      AugmentCommand.augment(job, null);
      EmbedCommand.embed(job, null, false);
      IndexCommand.index(job, null, false, false);
      SynthesizeCommand.synthesizeAll(job);
      job.finish();
    }
  }
}
