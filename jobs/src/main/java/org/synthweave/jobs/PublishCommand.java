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
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.upload.FolderUploader;
import org.synthweave.arweave.wallet.Wallet;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.spark.DeltaWrites;
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
          "Arweave gateway. Default: config key publish.gateway (http://127.0.0.1:1984, a local"
              + " arlocal).")
  URI gatewayOption;

  @Option(
      names = "--license",
      paramLabel = "L",
      description =
          "License tag, e.g. CC-BY-4.0. Default: config key publish.license (UNLICENSED: all"
              + " rights reserved).")
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
      URI gateway = cfg.gateway();
      checkGateway(gateway, allowMainnet);
      Wallet w = Wallet.load(wallet);
      // Parsed before Spark starts: a bad check is a configuration error before any work.
      List<DatasetChecks> checks =
          DatasetChecks.all(job.settings.explicitValues()).stream()
              .filter(c -> c.table().equals(table))
              .toList();
      SparkSession spark = job.spark();
      List<DatasetChecking.Outcome> outcomes = gate(spark, job, checks, err);
      DatasetManifest m =
          DatasetExport.exportOrReuse(
              spark, job.catalog, table, version, job.settings.hash(), w.privateKey(), err);
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

      ArweaveClient client = new ArweaveClient(ArweaveConfig.builder(gateway).build());
      Path stateDir = stateDir(dir);
      String manifestTx = upload(client, w, dir, m, cfg, stateDir, err);
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
   * Uploads the export (data files and manifest.json, each tagged with its SHA-256) and an
   * arweave/paths manifest over them whose index is manifest.json; returns the path manifest's id.
   * Files under the configured size go as data items of one bundle. Every step is recorded in
   * {@code stateDir}, so a publish that was killed resumes there without posting anything twice.
   */
  private String upload(
      ArweaveClient client,
      Wallet w,
      Path dir,
      DatasetManifest m,
      PublishConfig cfg,
      Path stateDir,
      PrintStream err) {
    List<Tag> common =
        List.of(
            Tag.of("App-Name", APP_NAME),
            Tag.of("Dataset-Name", m.dataset()),
            Tag.of("Dataset-Version", m.version()),
            Tag.of("License", cfg.license()),
            Tag.of("Schema-Hash", m.schemaHash()));
    List<FolderUploader.Entry> entries = new ArrayList<>();
    for (DatasetManifest.FileEntry f : m.files()) {
      entries.add(entry(dir, f.path(), "application/vnd.apache.parquet", f.sha256(), common));
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
    List<Tag> manifestTags = new ArrayList<>(common);
    manifestTags.add(Tag.of("Merkle-Root", m.merkleRoot()));
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
