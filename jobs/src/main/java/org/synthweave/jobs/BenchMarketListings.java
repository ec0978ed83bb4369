package org.synthweave.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.crypto.Base64Url;
import org.synthweave.arweave.manifest.PathManifest;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.upload.UploadOptions;
import org.synthweave.arweave.wallet.Wallet;
import org.synthweave.core.ContentIds;
import org.synthweave.market.bench.DebianPackages;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.VerificationErrors;
import org.synthweave.verification.card.CardInfo;
import org.synthweave.verification.card.CroissantCard;
import org.synthweave.verification.card.DatasetCardReadme;

/**
 * Listings for {@code bench market}, made the way publish makes them from one dataset that publish
 * really exported and uploaded: each listing is the same data files (the uploaded ones) with its
 * own dataset name and card (title, description and keywords of one Debian package), its own
 * certificate and manifest signed by the publisher, each file posted as a transaction tagged as
 * publish tags it, and a path manifest over them tagged for discovery (ANS-110) and with the
 * license (ANS-105). So every listing passes every check a sync makes, and a sync does the full
 * work for each.
 */
final class BenchMarketListings {
  /** The license of every listing (it also picks the UDL terms tagged). */
  static final String LICENSE = "CC-BY-4.0";

  private final ArweaveClient client;
  private final Wallet wallet;
  private final DatasetManifest base;
  private final Map<String, String> dataIds;
  private final UdlTerms udl;
  private final Path scratch;

  /**
   * @param exportDir the folder publish exported the dataset to
   * @param baseManifestTx the path manifest publish posted for it
   * @param scratch a folder for each listing's card and manifest files
   */
  BenchMarketListings(
      ArweaveClient client, Wallet wallet, Path exportDir, String baseManifestTx, Path scratch) {
    this.client = client;
    this.wallet = wallet;
    this.base = DatasetManifest.readFrom(exportDir);
    this.scratch = scratch;
    byte[] text = client.dataAtMost("tx/" + baseManifestTx + "/data", 4L << 20);
    Map<String, String> paths =
        PathManifest.parse(
                Base64Url.decode(new String(text, StandardCharsets.US_ASCII).strip(), "data"),
                baseManifestTx)
            .paths();
    this.dataIds = new LinkedHashMap<>();
    for (DatasetManifest.FileEntry f : base.dataFiles()) {
      String id = paths.get(f.path());
      if (id == null) {
        throw new IllegalStateException(
            "the published path manifest " + baseManifestTx + " lists no " + f.path());
      }
      dataIds.put(f.path(), id);
    }
    String[] terms = UdlTerms.fromSpdx(LICENSE);
    this.udl = new UdlTerms(terms[0], terms[1], terms[2], null, null);
  }

  /** Posts the listing of {@code p}; returns its path manifest's id. */
  String post(DebianPackages.Package p, String date) {
    String dataset = "deb_" + p.name().replaceAll("[^A-Za-z0-9_]", "_");
    String version = base.version();
    String table = base.provenance().sourceTable();
    CardInfo info =
        new CardInfo(
            dataset,
            version,
            p.name(),
            p.synopsis(),
            LICENSE,
            p.maintainer() == null ? "Debian" : p.maintainer(),
            p.keywords(),
            date,
            table);
    Path dir = scratch.resolve(p.name());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw VerificationErrors.unwritable(dir, e);
    }
    List<DatasetManifest.FileEntry> parquet = base.dataFiles();
    CroissantCard.writeTo(dir, CroissantCard.build(info, base.schema(), parquet));
    DatasetCardReadme.writeTo(
        dir, DatasetCardReadme.render(info, base.schema(), parquet, nullCounts()));
    List<DatasetManifest.FileEntry> files = new ArrayList<>(parquet);
    files.add(DatasetManifest.FileEntry.describe(dir, CroissantCard.FILE_NAME, 0));
    files.add(DatasetManifest.FileEntry.describe(dir, DatasetCardReadme.FILE_NAME, 0));
    DatasetManifest m =
        DatasetManifest.create(
                dataset,
                version,
                base.tableVersion(),
                base.schema(),
                files,
                base.provenance(),
                base.quality())
            .withCertificate(base.certificate())
            .sign(wallet.privateKey());
    m.writeTo(dir);
    PublishTags tags = PublishTags.of(dataset, version, m.schemaHash(), m.merkleRoot(), info, udl);
    PathManifest paths = new PathManifest();
    dataIds.forEach(paths::path);
    for (String file :
        List.of(CroissantCard.FILE_NAME, DatasetCardReadme.FILE_NAME, DatasetManifest.FILE_NAME)) {
      paths.path(file, postFile(dir.resolve(file), file, tags.common()));
    }
    paths.index(DatasetManifest.FILE_NAME);
    List<Tag> manifestTags = new ArrayList<>();
    manifestTags.add(PathManifest.CONTENT_TYPE_TAG);
    manifestTags.addAll(tags.manifest());
    return client.upload(wallet, paths.toBytes(), manifestTags, UploadOptions.DEFAULTS).txId();
  }

  private String postFile(Path file, String name, List<Tag> common) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw VerificationErrors.unreadable(file, e);
    }
    List<Tag> tags = new ArrayList<>(common);
    tags.add(Tag.of("Content-Type", DatasetPublisher.contentType(name)));
    tags.add(Tag.of("Content-SHA256", ContentIds.sha256Hex(bytes)));
    return client.upload(wallet, bytes, tags, UploadOptions.DEFAULTS).txId();
  }

  private Map<String, Long> nullCounts() {
    Map<String, Long> nulls = new LinkedHashMap<>();
    if (base.quality() != null && base.quality().get("null_counts") instanceof Map<?, ?> counts) {
      counts.forEach((k, v) -> nulls.put(String.valueOf(k), ((Number) v).longValue()));
    }
    return nulls;
  }
}
