package org.synthweave.jobs;

import io.delta.tables.DeltaTable;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.synthweave.market.CatalogSync;
import org.synthweave.market.ListingReader;
import org.synthweave.verification.checks.CheckResult;
import org.synthweave.verification.checks.DatasetChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code synthweave run}: the whole pipeline on the configured inputs (by default the bundled
 * samples), from ingest to datasets published on Arweave, listed in {@code market/listings} and
 * found in the market's {@code market/catalog}.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole pipeline on the configured inputs (default: the bundled samples under"
          + " data/samples) into the warehouse (default ./warehouse): ingest (crawl, telemetry,"
          + " the tables of ingest.tables), augment (augment.datasets), synthesize (each table of"
          + " synth.tables into gold/<name>_synthetic), embed (text passages, row features), index"
          + " (HNSW indexes of the embeddings), check (every dataset declared under"
          + " verify.dataset, results in _checks) and publish (each table of publish.datasets at"
          + " its latest version, with its certificate and card, to publish.gateway, listed in"
          + " market/listings). When something was uploaded, the gateway is then synced into"
          + " market/catalog as market sync does, so the new datasets show in market search.",
      "The default publishes silver/wine and gold/wine_synthetic to the local gateway (an"
          + " arlocal on 127.0.0.1 with its data under the warehouse, which needs Node.js and"
          + " npm; `synthweave gateway` serves it afterwards). A dataset with a failing check is"
          + " not published and the run exits 1 naming the failures; a version published"
          + " already uploads nothing, so a rerun on the same inputs publishes nothing new.",
      "Prints each stage's progress, the manifest ids and the gateway URL, and the run summary"
          + " (appended to the _runs table)."
    })
final class RunCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--allow-mainnet",
      description =
          "Allow a publish.gateway that is not on this machine: uploads there cost real AR.")
  boolean allowMainnet;

  @Override
  public void run() {
    ConfigOptions o = Main.options(spec);
    PrintStream out = System.out;
    try (JobContext job = new JobContext("run", o.confFile, o.sets, out)) {
      // Everything that can be refused without work is refused before ingest: the checks, and
      // for publishing the gateway, Node.js, the wallet and each dataset's card and tags.
      List<DatasetChecks> checks = DatasetChecks.all(job.settings.explicitValues());
      List<String> toPublish = job.settings.get(PublishConfig.DATASETS);
      try (DatasetPublisher publisher =
          toPublish.isEmpty()
              ? null
              : new DatasetPublisher(
                  job,
                  PublishConfig.from(job.settings, null, null),
                  null,
                  allowMainnet,
                  false,
                  null,
                  System.err)) {
        for (String table : toPublish) {
          publisher.checkConfig(table);
        }
        IngestCommand.ingest(job, null);
        AugmentCommand.augment(job, null);
        SynthesizeCommand.synthesizeAll(job);
        EmbedCommand.embed(job, null, false);
        IndexCommand.index(job, null, false, false);
        Map<String, List<DatasetChecking.Outcome>> outcomes = check(job, checks, out);
        List<CheckResult> refused = new ArrayList<>();
        if (publisher != null) {
          refused = publish(job, publisher, toPublish, outcomes, out);
        } else {
          out.println("publish: publish.datasets is empty, nothing to publish");
        }
        job.finish();
        if (!refused.isEmpty()) {
          throw JobErrors.checksFailed(
              "run published the datasets that passed their checks; the others",
              refused,
              "Fix the data or the thresholds under verify.dataset.<name>, or publish one anyway"
                  + " with synthweave publish TABLE VERSION --allow-failed-checks.");
        }
      }
    }
  }

  /**
   * The check stage: every declared dataset whose table exists, at its latest version, printed and
   * recorded in {@code _checks}; returns the outcomes by table.
   */
  private static Map<String, List<DatasetChecking.Outcome>> check(
      JobContext job, List<DatasetChecks> checks, PrintStream out) {
    Map<String, List<DatasetChecking.Outcome>> byTable = new LinkedHashMap<>();
    if (checks.isEmpty()) {
      out.println("check: no datasets declared under verify.dataset, nothing to check");
      return byTable;
    }
    SparkSession spark = job.spark();
    for (DatasetChecks c : checks) {
      if (!DeltaTable.isDeltaTable(spark, job.catalog.path(c.table()))) {
        out.println(
            "check "
                + c.name()
                + ": skipped, table "
                + c.table()
                + " does not exist (this run did not write it)");
        continue;
      }
      long version = DatasetChecking.resolveVersion(spark, job.catalog, c.table(), null);
      DatasetChecking.Outcome r = DatasetChecking.run(spark, job.catalog, job.settings, c, version);
      DatasetChecking.print(r, out);
      DatasetChecking.record(spark, job.catalog, r, job.summary.runId());
      byTable.computeIfAbsent(c.table(), t -> new ArrayList<>()).add(r);
    }
    return byTable;
  }

  /**
   * The publish stage: each table of publish.datasets at its latest version, unless one of its
   * checks failed; returns the failures of the tables left unpublished.
   */
  private static List<CheckResult> publish(
      JobContext job,
      DatasetPublisher publisher,
      List<String> tables,
      Map<String, List<DatasetChecking.Outcome>> outcomes,
      PrintStream out) {
    SparkSession spark = job.spark();
    List<CheckResult> refused = new ArrayList<>();
    List<DatasetPublisher.Published> done = new ArrayList<>();
    for (String table : tables) {
      long version = DatasetChecking.resolveVersion(spark, job.catalog, table, null);
      List<DatasetChecking.Outcome> results = outcomes.getOrDefault(table, List.of());
      List<CheckResult> failures = results.stream().flatMap(r -> r.failures().stream()).toList();
      if (!failures.isEmpty()) {
        out.println(
            "publish: "
                + table
                + " version "
                + version
                + " NOT published, "
                + failures.size()
                + " failing checks");
        refused.addAll(failures);
        continue;
      }
      if (results.isEmpty()) {
        out.println("publish: no checks declared for " + table + " (verify.dataset.<name>)");
      }
      DatasetPublisher.Published p = publisher.publish(table, version, results);
      out.println("publish: " + DatasetPublisher.describe(p));
      out.flush();
      done.add(p);
    }
    if (!done.isEmpty()) {
      out.println("published datasets on " + publisher.gateway() + ":");
      for (DatasetPublisher.Published p : done) {
        out.println(
            "  "
                + p.table()
                + " version "
                + p.version()
                + "  "
                + publisher.gateway()
                + "/"
                + p.manifestTx()
                + (p.uploaded() ? "" : "  (published before)"));
      }
      if (done.stream().anyMatch(DatasetPublisher.Published::uploaded)) {
        listInMarket(job, publisher.gateway(), done.get(0).table(), out);
      }
      if (publisher.local()) {
        out.println(
            "the local gateway stops with this run; `synthweave gateway` serves these again (for"
                + " fetch, verify --id and the market)");
      }
    }
    return refused;
  }

  /**
   * The market stage: syncs the gateway just published to into this warehouse's market/catalog, so
   * that the new datasets show in {@code market search} as a buyer would find them.
   */
  private static void listInMarket(JobContext job, URI gateway, String table, PrintStream out) {
    MarketCatalogSync.Synced s =
        MarketCatalogSync.sync(job, gateway, ListingReader.DEFAULT_MAX_MANIFEST_BYTES);
    s.lines().forEach(line -> out.println("market: " + line));
    CatalogSync.Result r = s.result();
    String name = table.substring(table.lastIndexOf('/') + 1);
    int cut = name.indexOf('_');
    out.println(
        "market: "
            + r.verified()
            + " listings verified in market/catalog"
            + (r.unverified() + r.pending() + r.unreadable().size() == 0
                ? ""
                : " ("
                    + r.unverified()
                    + " unverified, "
                    + (r.pending() + r.unreadable().size())
                    + " not readable yet: the next market sync --gateway "
                    + gateway
                    + " reads them)")
            + "; try: synthweave market search "
            + (cut > 0 ? name.substring(0, cut) : name));
    out.flush();
  }
}
