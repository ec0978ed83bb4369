package org.synthweave.jobs;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code synthweave publish <table> <version>}: exports a table version with a signed manifest,
 * uploads it to Arweave as a path manifest and records the listing in {@code market/listings}.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Export a Delta table version as Parquet + a signed manifest.json to"
          + " <warehouse>/datasets/<name>/<version>/, upload it to Arweave and add it to"
          + " market/listings.",
      "Publishing a version that market/listings already holds with the same Merkle root uploads"
          + " nothing. Only a loopback gateway (a local arlocal) is used unless --allow-mainnet"
          + " is given."
    })
final class PublishCommand implements Runnable {
  static final String APP_NAME = "synthweave";

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TABLE", description = "Catalog table, e.g. silver/wine.")
  String table;

  @Parameters(index = "1", paramLabel = "VERSION", description = "Delta table version to export.")
  long version;

  @Option(
      names = "--wallet",
      paramLabel = "FILE",
      description =
          "JWK key file that signs the manifest and pays for the upload. Default: config key"
              + " publish.wallet; on the local gateway, when that is empty too, the warehouse's"
              + " test wallet <warehouse>/arweave/wallet.json (created on first use).")
  Path wallet;

  @Option(
      names = "--gateway",
      paramLabel = "URL",
      description =
          "Arweave gateway URL, or local: an arlocal that publish starts on 127.0.0.1 with its"
              + " data in <warehouse>/arweave/arlocal and stops afterwards. Default: config key"
              + " publish.gateway (local).")
  URI gatewayOption;

  @Option(
      names = "--license",
      paramLabel = "L",
      description =
          "SPDX license id written into the dataset card (croissant.json, README.md), e.g."
              + " CC-BY-4.0; it also picks the UDL terms tagged on Arweave (License = the UDL's"
              + " transaction id, ANS-105). Default: publish.dataset.<name>.license, then"
              + " publish.license (UNLICENSED: all rights reserved).")
  String licenseOption;

  @Option(
      names = "--allow-mainnet",
      description = "Allow a gateway that is not on this machine: uploads cost real AR.")
  boolean allowMainnet;

  @Option(
      names = "--allow-failed-checks",
      description =
          "Publish even when a check declared for the table (verify.dataset.<name>, see"
              + " synthweave check) fails; without it publish refuses and names each failure.")
  boolean allowFailedChecks;

  @Override
  public void run() {
    PrintStream out = System.out;
    ConfigOptions o = Main.options(spec);
    try (JobContext job = new JobContext("publish " + table, o.confFile, o.sets, out);
        DatasetPublisher publisher =
            new DatasetPublisher(
                job,
                PublishConfig.from(job.settings, gatewayOption, licenseOption),
                wallet,
                allowMainnet,
                allowFailedChecks,
                licenseOption,
                System.err)) {
      // Refused settings and tags are configuration errors before any work; so are bad checks,
      // which the gate parses before it starts Spark.
      publisher.checkConfig(table);
      List<DatasetChecking.Outcome> outcomes = publisher.gate(table, version);
      DatasetPublisher.Published p = publisher.publish(table, version, outcomes);
      out.println(DatasetPublisher.describe(p));
      out.flush();
    }
  }
}
