package org.synthweave.jobs;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
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

/**
 * Publishes table versions to Arweave for {@code publish} and {@code run}: the quality gate, the
 * certificate, the export with its signed manifest and card, the upload as a path manifest and the
 * listing in {@code market/listings}. Everything that can be refused without work (gateway, wallet,
 * Node.js for the local gateway, tags over Arweave's limits) is checked when it is created, before
 * any Spark job. On the local gateway it starts arlocal at the first upload and stops it on {@link
 * #close()}, so that a run publishing several datasets starts it once and a rerun that uploads
 * nothing starts nothing.
 */
final class DatasetPublisher implements AutoCloseable {
  /**
   * A published (or already listed) table version.
   *
   * @param uploaded false when market/listings held this version with the same Merkle root, so
   *     nothing was uploaded
   */
  record Published(
      String table,
      long version,
      String manifestTx,
      boolean uploaded,
      int files,
      long bytes,
      long rows,
      String merkleRoot) {}

  private final JobContext job;
  private final PublishConfig cfg;
  private final boolean local;
  private final URI gateway;
  private final Wallet wallet;
  private final String licenseOption;
  private final boolean allowFailedChecks;
  private final PrintStream err;
  private LocalArlocal arlocal;

  /**
   * Resolves the gateway and the wallet and checks what the upload will need.
   *
   * @param walletOption --wallet, or null for publish.wallet (and on the local gateway, the
   *     warehouse's own wallet)
   */
  DatasetPublisher(
      JobContext job,
      PublishConfig cfg,
      Path walletOption,
      boolean allowMainnet,
      boolean allowFailedChecks,
      String licenseOption,
      PrintStream err) {
    this.job = job;
    this.cfg = cfg;
    this.err = err;
    this.local = LocalGateway.selected(cfg.gateway());
    this.gateway = local ? LocalGateway.url(job.settings) : cfg.gateway();
    if (local) {
      LocalGateway.preflight(job.settings, job.catalog);
    } else {
      checkGateway(gateway, allowMainnet);
    }
    this.wallet = wallet(walletOption);
    this.licenseOption = licenseOption;
    this.allowFailedChecks = allowFailedChecks;
  }

  /** The gateway uploads go to (for the local gateway, the loopback URL it serves on). */
  URI gateway() {
    return gateway;
  }

  /** True when publishing to the warehouse's own local gateway. */
  boolean local() {
    return local;
  }

  /**
   * Refuses, before any work, a dataset whose card settings or Arweave tags are invalid (a bad
   * license, a title over the limit, tags over Arweave's size limits).
   */
  void checkConfig(String table) {
    String dataset = dataset(table);
    PublishDatasetConfig card = card(table, 0);
    tags(table, dataset, "0", "0".repeat(64), "0".repeat(64), card).checkLimits(dataset);
  }

  /** The checks declared for {@code table} under verify.dataset.&lt;name&gt;. */
  List<DatasetChecks> checksOf(String table) {
    return DatasetChecks.all(job.settings.explicitValues()).stream()
        .filter(c -> c.table().equals(table))
        .toList();
  }

  /**
   * The quality gate: runs every check declared for the table on the version to publish, records
   * the results, and refuses a failing one unless failed checks are allowed.
   */
  List<DatasetChecking.Outcome> gate(String table, long version) {
    List<DatasetChecks> checks = checksOf(table);
    if (checks.isEmpty()) {
      err.println(
          "no checks declared for "
              + table
              + " (declare them under verify.dataset.<name> with table = \""
              + table
              + "\")");
      return List.of();
    }
    SparkSession spark = job.spark();
    DatasetChecking.resolveVersion(spark, job.catalog, table, version);
    List<DatasetChecking.Outcome> outcomes = new ArrayList<>();
    for (DatasetChecks c : checks) {
      DatasetChecking.Outcome o = DatasetChecking.run(spark, job.catalog, job.settings, c, version);
      DatasetChecking.print(o, err);
      DatasetChecking.record(spark, job.catalog, o, job.summary.runId());
      outcomes.add(o);
    }
    refuseFailures(table, version, outcomes);
    return outcomes;
  }

  /** Throws naming every failing check, unless failed checks are allowed (then says so). */
  void refuseFailures(String table, long version, List<DatasetChecking.Outcome> outcomes) {
    List<CheckResult> failures = outcomes.stream().flatMap(o -> o.failures().stream()).toList();
    if (failures.isEmpty()) {
      return;
    }
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

  /**
   * Certifies, exports (or reuses the export of) and uploads {@code table} at {@code version},
   * whose checks have run with {@code outcomes}, and lists it; a version listed already with the
   * same Merkle root uploads nothing.
   */
  Published publish(String table, long version, List<DatasetChecking.Outcome> outcomes) {
    SparkSession spark = job.spark();
    PublishDatasetConfig card = card(table, version);
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
            wallet.privateKey(),
            err);
    Path dir = DatasetExport.folder(job.catalog, table, version);
    for (DatasetChecking.Outcome c : outcomes) {
      DatasetChecking.writeQuality(job.catalog, c);
    }
    long bytes = m.files().stream().mapToLong(DatasetManifest.FileEntry::bytes).sum();
    String listings = job.catalog.path(TableCatalog.MARKET_LISTINGS);
    Row existing = existingListing(spark, listings, m);
    if (existing != null) {
      if (existing.getAs("merkle_root").equals(m.merkleRoot())) {
        return new Published(
            table,
            version,
            existing.getAs("manifest_tx"),
            false,
            m.files().size(),
            bytes,
            m.rows(),
            m.merkleRoot());
      }
      throw JobErrors.publishedVersionChanged(
          table, version, existing.getAs("merkle_root"), m.merkleRoot());
    }

    Path stateDir = stateDir(dir);
    PublishTags tags = tags(table, m.dataset(), m.version(), m.schemaHash(), m.merkleRoot(), card);
    if (local && arlocal == null) {
      arlocal = LocalGateway.start(job.settings, job.catalog, err);
      arlocal.mint(wallet.address(), LocalGateway.FUNDING_WINSTON);
    }
    ArweaveClient client = new ArweaveClient(ArweaveConfig.builder(gateway).build());
    String manifestTx = upload(client, dir, m, tags, stateDir);
    if (local) {
      // arlocal has no miners: without a block the listing stays pending, and market sync (which
      // reads only mined listings, as on a real gateway) would never see it.
      arlocal.mine();
    }
    Row row =
        RowFactory.create(
            m.dataset(),
            m.version(),
            manifestTx,
            m.merkleRoot(),
            m.schemaHash(),
            m.rows(),
            bytes,
            wallet.address(),
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
    } catch (IOException e) {
      err.println("could not remove the finished upload state " + stateDir + ": " + e);
    }
    return new Published(
        table, version, manifestTx, true, m.files().size(), bytes, m.rows(), m.merkleRoot());
  }

  /** One line about a published version, as publish and run print it. */
  static String describe(Published p) {
    if (!p.uploaded()) {
      return "already published: "
          + p.table()
          + " version "
          + p.version()
          + " is manifest "
          + p.manifestTx()
          + " (merkle root "
          + p.merkleRoot()
          + "); nothing uploaded";
    }
    return "published "
        + p.table()
        + " version "
        + p.version()
        + ": manifest "
        + p.manifestTx()
        + " ("
        + p.files()
        + " files, "
        + p.bytes()
        + " bytes, "
        + p.rows()
        + " rows, merkle root "
        + p.merkleRoot()
        + ")";
  }

  /** Stops the local gateway if this publisher started it. */
  @Override
  public void close() {
    if (arlocal != null) {
      LocalArlocal a = arlocal;
      arlocal = null;
      a.close();
    }
  }

  /** The exported dataset name of a table: silver/wine is silver_wine. */
  static String dataset(String table) {
    return table.replace('/', '_');
  }

  private PublishDatasetConfig card(String table, long version) {
    return PublishDatasetConfig.from(
        job.settings,
        dataset(table),
        table,
        version,
        licenseOption,
        cfg.license(),
        wallet.address());
  }

  /**
   * The signing wallet: --wallet, else publish.wallet, else (on the local gateway only) the
   * warehouse's own test wallet, created on first use.
   */
  private Wallet wallet(Path walletOption) {
    if (walletOption != null) {
      return Wallet.load(walletOption);
    }
    String configured = job.settings.get(PublishConfig.WALLET).strip();
    if (!configured.isEmpty()) {
      return Wallet.load(Path.of(configured));
    }
    if (!local) {
      throw JobErrors.publishNeedsWallet(gateway);
    }
    Path file = LocalGateway.walletFile(job.catalog);
    if (Files.exists(file)) {
      return Wallet.load(file);
    }
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw JobErrors.walletUnwritable(file, e);
    }
    Wallet w = Wallet.generate(new SecureRandom());
    w.save(file);
    err.println(
        "local gateway: created the test wallet "
            + file
            + " (address "
            + w.address()
            + "); its tokens exist only on this warehouse's gateway");
    return w;
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
      ArweaveClient client, Path dir, DatasetManifest m, PublishTags tags, Path stateDir) {
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
    } catch (IOException e) {
      throw VerificationErrors.unreadable(dir.resolve(DatasetManifest.FILE_NAME), e);
    }
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
                wallet,
                entries,
                tags.manifest(),
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
  private static PublishTags tags(
      String table,
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
    if (!Gateways.isHttp(gateway)) {
      throw JobErrors.badGateway(gateway);
    }
    if (!allowMainnet && !Gateways.isLocal(gateway)) {
      throw JobErrors.mainnetNotAllowed(gateway);
    }
  }
}
