package org.synthweave.jobs;

import java.util.ArrayList;
import java.util.List;
import org.synthweave.arweave.ArweaveException;
import org.synthweave.arweave.manifest.PathManifest;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.tx.TxLimits;
import org.synthweave.arweave.upload.FolderUploader;
import org.synthweave.verification.card.CardInfo;

/**
 * The Arweave tags of a published dataset. Every transaction and data item carries the common tags:
 * ours (App-Name, Dataset-Name, Dataset-Version, Schema-Hash) and the license per ANS-105 (License
 * = the UDL's transaction id, with its terms). The path manifest, the dataset's address, also
 * carries ANS-110 discoverability (Title, Type = dataset, Description, one Topic:&lt;keyword&gt;
 * per keyword) and the Merkle root.
 *
 * @param common the tags of every file and bundle
 * @param manifest the tags of the path manifest transaction (without those the uploader adds)
 */
record PublishTags(List<Tag> common, List<Tag> manifest) {
  /** The ANS-110 Type of a published dataset. */
  static final String TYPE = "dataset";

  /** ANS-110: a Description of at most 300 characters. */
  static final int MAX_DESCRIPTION_CHARS = 300;

  PublishTags {
    common = List.copyOf(common);
    manifest = List.copyOf(manifest);
  }

  static PublishTags of(
      String dataset,
      String version,
      String schemaHash,
      String merkleRoot,
      CardInfo card,
      UdlTerms udl) {
    List<Tag> common = new ArrayList<>();
    common.add(Tag.of("App-Name", PublishCommand.APP_NAME));
    common.add(Tag.of("Dataset-Name", dataset));
    common.add(Tag.of("Dataset-Version", version));
    common.add(Tag.of("Schema-Hash", schemaHash));
    common.addAll(udl.tags());
    List<Tag> manifest = new ArrayList<>(common);
    manifest.add(Tag.of("Merkle-Root", merkleRoot));
    manifest.add(Tag.of("Implements", "ANS-110"));
    manifest.add(Tag.of("Title", card.title()));
    manifest.add(Tag.of("Type", TYPE));
    manifest.add(Tag.of("Description", shorten(card.description(), MAX_DESCRIPTION_CHARS)));
    for (String k : card.keywords()) {
      manifest.add(Tag.of("Topic:" + k, k));
    }
    return new PublishTags(common, manifest);
  }

  /**
   * Checks that both tag sets, with what the uploader adds (a file's Content-Type and
   * Content-SHA256; the path manifest's Content-Type and Bundled-In), stay within Arweave's tag
   * limits, so a publish that would be refused fails before it uploads anything.
   *
   * @param dataset the dataset name, for the message
   */
  void checkLimits(String dataset) {
    List<Tag> file = new ArrayList<>(common);
    file.add(Tag.of("Content-Type", "application/vnd.apache.parquet"));
    file.add(Tag.of("Content-SHA256", "0".repeat(64)));
    List<Tag> path = new ArrayList<>(manifest);
    path.add(PathManifest.CONTENT_TYPE_TAG);
    path.add(Tag.of(FolderUploader.BUNDLED_IN_TAG, "0".repeat(43)));
    try {
      TxLimits.checkTags(file);
      TxLimits.checkTags(path);
    } catch (ArweaveException e) {
      throw JobErrors.publishTagsTooLarge(dataset, e);
    }
  }

  /** {@code text} on one line, cut at a word boundary to at most {@code max} characters. */
  static String shorten(String text, int max) {
    String s = text.replaceAll("\\s+", " ").strip();
    if (s.codePointCount(0, s.length()) <= max) {
      return s;
    }
    int end = s.offsetByCodePoints(0, max - 1);
    int space = s.lastIndexOf(' ', end);
    if (space > max / 2) {
      end = space;
    }
    return s.substring(0, end).strip() + "…";
  }
}
