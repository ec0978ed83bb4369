package org.synthweave.jobs;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.ArweaveConfig;
import org.synthweave.arweave.Gateways;
import org.synthweave.arweave.UploadProgress;
import org.synthweave.arweave.local.LocalArlocal;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.upload.FolderUploader;
import org.synthweave.arweave.wallet.Wallet;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.spark.DeltaWrites;
import org.synthweave.verification.Certificate;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.VerificationErrors;
import org.synthweave.verification.checks.CheckResult;
import org.synthweave.verification.checks.DatasetChecks;
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
      required = true,
      paramLabel = "FILE",
      description = "JWK key file that signs the manifest and pays for the upload.")
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
    PrintStream err = System.err;
    PrintStream out = System.out;
    ConfigOptions o = Main.options(spec);
    try (JobContext job = new JobContext("publish " + table, o.confFile, o.sets, out)) {
      PublishConfig cfg = PublishConfig.from(job.settings, gatewayOption, licenseOption);
      boolean local = LocalGateway.selected(cfg.gateway());
      URI gateway = local ? LocalGateway.url(job.settings) : cfg.gateway();
      if (local) {
        LocalGateway.preflight(job.settings, job.catalog);
      } else {
        checkGateway(gateway, allowMainnet);
      }
      Wallet w = Wallet.load(wallet);
      String dataset = table.replace('/', '_');
      PublishDatasetConfig card =
          PublishDatasetConfig.from(
              job.settings, dataset, table, version, licenseOption, cfg.license(), w.address());
      // Refused tags are a configuration error before any work, like a bad check.
      tags(dataset, Long.toString(version), "0".repeat(64), "0".repeat(64), card)
          .checkLimits(dataset);
      // Parsed before Spark starts: a bad check is a configuration error before any work.
      List<DatasetChecks> checks =
          DatasetChecks.all(job.settings.explicitValues()).stream()
              .filter(c -> c.table().equals(table))
              .toList();
      SparkSession spark = job.spark();
      List<DatasetChecking.Outcome> outcomes = gate(spark, job, checks, err);
      Certificate certificate =
          DatasetCertification.certificate(
              spark, job.catalog, job.settings, table, version, outcomes, allowFailedChecks, err);
      DatasetManifest m =
          DatasetExport.exportOrReuse(
              spark,
              job.catalog,
              table,
              version,
              job.settings.hash(),
              certificate,
              card,
              w.privateKey(),
              err);
      Path dir = DatasetExport.folder(job.catalog, table, version);
      for (DatasetChecking.Outcome c : outcomes) {
        DatasetChecking.writeQuality(job.catalog, c);
      }
      String listings = job.catalog.path(TableCatalog.MARKET_LISTINGS);

      Row existing = existingListing(spark, listings, m);
      if (existing != null) {
        if (existing.getAs("merkle_root").equals(m.merkleRoot())) {
          out.println(
              "already published: "
                  + table
                  + " version "
                  + version
                  + " is manifest "
                  + existing.getAs("manifest_tx")
                  + " (merkle root "
                  + m.merkleRoot()
                  + "); nothing uploaded");
          out.flush();
          return;
        }
        throw JobErrors.publishedVersionChanged(
            table, version, existing.getAs("merkle_root"), m.merkleRoot());
      }

      Path stateDir = stateDir(dir);
      PublishTags tags = tags(m.dataset(), m.version(), m.schemaHash(), m.merkleRoot(), card);
      String manifestTx;
      try (LocalArlocal arlocal =
          local ? LocalGateway.start(job.settings, job.catalog, err) : null) {
        if (arlocal != null) {
          arlocal.mint(w.address(), LocalGateway.FUNDING_WINSTON);
        }
        ArweaveClient client = new ArweaveClient(ArweaveConfig.builder(gateway).build());
        manifestTx = upload(client, w, dir, m, cfg, tags, stateDir, err);
      }
      long bytes = m.files().stream().mapToLong(DatasetManifest.FileEntry::bytes).sum();
      Row row =
          RowFactory.create(
              m.dataset(),
              m.version(),
              manifestTx,
              m.merkleRoot(),
              m.schemaHash(),
              m.rows(),
              bytes,
              w.address(),
              gateway.toString(),
              Timestamp.from(Instant.now()));
      DeltaWrites.insertNew(
          spark,
          spark.createDataFrame(List.of(row), TableCatalog.MARKET_LISTINGS_SCHEMA),
          listings,
          List.of("dataset", "version"),
          List.of());
      // Listed: a re-run stops at the listing, so the upload state has done its job.
      try {
        DatasetExport.deleteTree(stateDir);
      } catch (java.io.IOException e) {
        err.println("could not remove the finished upload state " + stateDir + ": " + e);
      }
      out.println(
          "published "
              + table
              + " version "
              + version
              + ": manifest "
              + manifestTx
              + " ("
              + m.files().size()
              + " files, "
              + bytes
              + " bytes, "
              + m.rows()
              + " rows, merkle root "
              + m.merkleRoot()
              + ")");
      out.flush();
    }
  }

  /**
   * The quality gate: runs every check declared for the table on the version to publish, records
   * the results, and refuses a failing one unless {@code --allow-failed-checks}.
   */
  private List<DatasetChecking.Outcome> gate(
      SparkSession spark, JobContext job, List<DatasetChecks> checks, PrintStream err) {
    if (checks.isEmpty()) {
      err.println(
          "no checks declared for "
              + table
              + " (declare them under verify.dataset.<name> with table = \""
              + table
              + "\")");
      return List.of();
    }
    DatasetChecking.resolveVersion(spark, job.catalog, table, version);
    List<DatasetChecking.Outcome> outcomes = new ArrayList<>();
    List<CheckResult> failures = new ArrayList<>();
    for (DatasetChecks c : checks) {
      DatasetChecking.Outcome o = DatasetChecking.run(spark, job.catalog, job.settings, c, version);
      DatasetChecking.print(o, err);
      DatasetChecking.record(spark, job.catalog, o, job.summary.runId());
      failures.addAll(o.failures());
      outcomes.add(o);
    }
    if (!failures.isEmpty()) {
      if (!allowFailedChecks) {
        throw JobErrors.checksFailed(
            "Refusing to publish " + table + " version " + version + ": it",
            failures,
            "Fix the data or the thresholds under verify.dataset.<name>, or pass"
                + " --allow-failed-checks to publish it anyway.");
      }
      err.println(
          "publishing "
              + table
              + " version "
              + version
              + " with "
              + failures.size()
              + " failing checks (--allow-failed-checks)");
    }
    return outcomes;
  }

  private static Row existingListing(SparkSession spark, String listings, DatasetManifest m) {
    if (!DeltaTable.isDeltaTable(spark, listings)) {
      return null;
    }
    List<Row> rows =
        spark
            .read()
            .format("delta")
            .load(listings)
            .where(col("dataset").equalTo(m.dataset()).and(col("version").equalTo(m.version())))
            .limit(1)
            .collectAsList();
    return rows.isEmpty() ? null : rows.get(0);
  }

  /**
   * Uploads the export (data files, dataset card and manifest.json, each tagged with its SHA-256)
   * and an arweave/paths manifest over them whose index is manifest.json, tagged for discovery
   * (ANS-110) and with the license (ANS-105, see {@link PublishTags}); returns its id. Files under
   * the configured size go as data items of one bundle. Every step is recorded in {@code stateDir},
   * so a publish that was killed resumes there without posting anything twice.
   */
  private String upload(
      ArweaveClient client,
      Wallet w,
      Path dir,
      DatasetManifest m,
      PublishConfig cfg,
      PublishTags tags,
      Path stateDir,
      PrintStream err) {
    List<Tag> common = tags.common();
    List<FolderUploader.Entry> entries = new ArrayList<>();
    for (DatasetManifest.FileEntry f : m.files()) {
      entries.add(entry(dir, f.path(), contentType(f.path()), f.sha256(), common));
    }
    try {
      Path manifestFile = dir.resolve(DatasetManifest.FILE_NAME);
      entries.add(
          entry(
              dir,
              DatasetManifest.FILE_NAME,
              "application/json",
              org.synthweave.core.ContentIds.sha256Hex(Files.readAllBytes(manifestFile)),
              common));
    } catch (java.io.IOException e) {
      throw VerificationErrors.unreadable(dir.resolve(DatasetManifest.FILE_NAME), e);
    }
    List<Tag> manifestTags = tags.manifest();
    FolderUploader.Listener listener =
        new FolderUploader.Listener() {
          @Override
          public void onProgress(String path, UploadProgress p) {
            err.printf(
                Locale.ROOT,
                "upload %s: %d/%d bytes, %d/%d chunks%n",
                path,
                p.bytesDone(),
                p.bytesTotal(),
                p.chunksDone(),
                p.chunksTotal());
          }

          @Override
          public void onEvent(FolderUploader.Event e) {
            String what =
                switch (e.kind()) {
                  case BUNDLED_ITEM -> "bundled " + e.path() + " as data item";
                  default -> "uploaded " + e.path() + " as";
                };
            err.println(what + " " + e.id() + (e.postedNow() ? "" : " (by an earlier run)"));
          }
        };
    FolderUploader.Result r =
        new FolderUploader(client)
            .upload(
                w,
                entries,
                manifestTags,
                FolderUploader.Options.builder()
                    .stateDir(stateDir)
                    .bundleMaxFileBytes(cfg.bundleMaxFileBytes())
                    .bundleTags(common)
                    .index(DatasetManifest.FILE_NAME)
                    .listener(listener)
                    .build());
    err.flush();
    return r.manifestId();
  }

  /** The tags of a dataset as {@code card} describes it (see {@link PublishTags}). */
  private PublishTags tags(
      String dataset,
      String version,
      String schemaHash,
      String merkleRoot,
      PublishDatasetConfig card) {
    // The tags use the card's title, description and keywords, not its date.
    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    return PublishTags.of(
        dataset,
        version,
        schemaHash,
        merkleRoot,
        card.card(dataset, version, table, today),
        card.udl());
  }

  /** The Content-Type of a file of an export, by its name. */
  static String contentType(String path) {
    if (path.endsWith(".parquet")) {
      return "application/vnd.apache.parquet";
    }
    if (path.endsWith(".md")) {
      return "text/markdown; charset=utf-8";
    }
    return path.endsWith(".json") ? "application/json" : "application/octet-stream";
  }

  private static FolderUploader.Entry entry(
      Path dir, String path, String contentType, String sha256, List<Tag> common) {
    List<Tag> tags = new ArrayList<>(common);
    tags.add(Tag.of("Content-Type", contentType));
    tags.add(Tag.of("Content-SHA256", sha256));
    return new FolderUploader.Entry(path, dir.resolve(path), tags);
  }

  /** Where publish keeps the upload state of an export: next to it, so it is not published. */
  static Path stateDir(Path exportDir) {
    return exportDir.resolveSibling(exportDir.getFileName() + ".upload");
  }

  /**
   * Refuses gateways off this machine unless allowed: an upload there spends real tokens. "On this
   * machine" is decided by {@link Gateways#isLocal}, from the addresses the host resolves to.
   */
  static void checkGateway(URI gateway, boolean allowMainnet) {
    if (gateway.getHost() == null
        || !("http".equals(gateway.getScheme()) || "https".equals(gateway.getScheme()))) {
      throw JobErrors.badGateway(gateway);
    }
    if (!allowMainnet && !Gateways.isLocal(gateway)) {
      throw JobErrors.mainnetNotAllowed(gateway);
    }
  }
}
