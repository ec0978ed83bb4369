package org.synthweave.jobs;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.synthweave.augmentation.AugmentationConfig;
import org.synthweave.augmentation.DatasetSpec;
import org.synthweave.core.Versions;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.ConfigRegistry;
import org.synthweave.core.config.CoreConfig;
import org.synthweave.core.config.Settings;
import org.synthweave.core.config.SettingsLoader;
import org.synthweave.core.run.RunLog;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.spark.SparkSessions;
import org.synthweave.embedding.EmbeddingConfig;
import org.synthweave.ingest.IngestConfig;
import org.synthweave.ingest.table.TableInputs;
import org.synthweave.synthesis.SynthesisConfig;
import org.synthweave.verification.checks.DatasetChecks;
import org.synthweave.verification.synthetic.SyntheticConfig;

/**
 * One job run: resolved settings, the table catalog, the SparkSession (created on first use) and
 * the run summary, which {@link #finish()} prints, appends to {@code _runs} and checks.
 */
final class JobContext implements AutoCloseable {
  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

  final Settings settings;
  final CoreConfig core;
  final TableCatalog catalog;
  final RunSummary summary;
  private final PrintStream out;
  private SparkSession spark;

  JobContext(String command, Path confFile, List<String> sets, PrintStream out) {
    this(command, new SettingsLoader(registry()).load(confFile, sets), out);
  }

  JobContext(String command, Settings settings, PrintStream out) {
    this.settings = settings;
    this.core = CoreConfig.from(settings);
    this.catalog = new TableCatalog(core.warehouse());
    Instant now = Instant.now();
    String runId = core.runId().isBlank() ? RUN_ID.format(now) : core.runId();
    this.summary = new RunSummary(runId, command, now);
    this.out = out;
  }

  /** Every configuration key the CLI knows: core and each stage's. */
  static ConfigRegistry registry() {
    return CoreConfig.registry()
        .register(IngestConfig.KEYS)
        .register(List.of(TableInputs.TABLES))
        .family(TableInputs.PREFIX, TableInputs.FAMILY_KEYS)
        .register(EmbeddingConfig.KEYS)
        .register(org.synthweave.vectors.IndexConfig.KEYS)
        .register(AugmentationConfig.KEYS)
        .passThrough(DatasetSpec.PREFIX)
        .register(PublishConfig.KEYS)
        .register(LocalGateway.KEYS)
        .family(PublishDatasetConfig.PREFIX, PublishDatasetConfig.KEYS)
        .register(SynthesisConfig.KEYS)
        .passThrough(SynthesisConfig.TABLE_PREFIX)
        .register(SyntheticConfig.KEYS)
        .family(DatasetChecks.PREFIX, DatasetChecks.KEYS);
  }

  SparkSession spark() {
    if (spark == null) {
      spark = SparkSessions.create(core);
    }
    return spark;
  }

  /** Prints the run summary, appends it to the _runs table and fails if a count is off. */
  void finish() {
    Instant end = Instant.now();
    out.print(summary.render(end));
    out.flush();
    if (spark != null && !summary.rows().isEmpty()) {
      spark.sparkContext().setJobDescription("append run summary to _runs");
      RunLog.append(spark, catalog, summary, end, settings.hash(), Versions.codeVersion());
      spark.sparkContext().setJobDescription(null);
    }
    summary.checkBalanced();
  }

  @Override
  public void close() {
    if (spark != null) {
      spark.stop();
      spark = null;
    }
  }
}
