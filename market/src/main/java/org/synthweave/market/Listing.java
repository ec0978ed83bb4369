package org.synthweave.market;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One dataset listed on a gateway, as the catalog holds it. Every text field comes from the
 * publisher and is untrusted; only {@link #status()} says whether the listing's manifest is intact
 * and signed by the key that owns the transaction.
 *
 * @param id the path manifest transaction
 * @param owner the address that signed the transaction
 * @param gateway the gateway it was found on
 * @param dataset the dataset name (manifest, else the Dataset-Name tag); null when unknown
 * @param version the dataset version (manifest, else the Dataset-Version tag); null when unknown
 * @param title the card's title, else the Title tag
 * @param description the card's description, else the Description tag
 * @param keywords the card's keywords, else the Topic:* tags
 * @param license the card's SPDX license id; null when unknown
 * @param licenseTerms the ANS-105 tags: License (the license transaction) and the UDL terms
 * @param columns the schema's columns in order; empty when unknown
 * @param rows rows over all data files; null when unknown
 * @param bytes bytes over all data files; null when unknown
 * @param files data files; null when unknown
 * @param kind what the rows are
 * @param checksPassed certified check results that passed
 * @param checksFailed certified check results that failed
 * @param qualityScore the synthetic evaluation's quality score; null when not synthetic or unknown
 * @param fidelity the synthetic evaluation's numeric headline figures (empty when none)
 * @param provenance one line on where the data came from; null when unknown
 * @param sourceTable the table that was exported, e.g. {@code silver/wine}; null when unknown
 * @param publishedAt the including block's time; null when the gateway did not say
 * @param blockHeight the including block's height
 * @param status verified or not
 * @param reason why it is unverified; null when verified
 */
public record Listing(
    String id,
    String owner,
    String gateway,
    String dataset,
    String version,
    String title,
    String description,
    List<String> keywords,
    String license,
    Map<String, String> licenseTerms,
    List<Column> columns,
    Long rows,
    Long bytes,
    Integer files,
    Kind kind,
    int checksPassed,
    int checksFailed,
    Double qualityScore,
    Map<String, Double> fidelity,
    String provenance,
    String sourceTable,
    Instant publishedAt,
    long blockHeight,
    Status status,
    String reason) {

  public Listing {
    if (id == null || owner == null || kind == null || status == null) {
      throw new IllegalArgumentException("id, owner, kind and status must not be null");
    }
    if ((status == Status.UNVERIFIED) == (reason == null)) {
      throw new IllegalArgumentException(
          "an unverified listing needs a reason and a verified one has none: "
              + status
              + ", "
              + reason);
    }
    keywords = List.copyOf(keywords);
    licenseTerms = new TreeMap<>(licenseTerms);
    columns = List.copyOf(columns);
    fidelity = new TreeMap<>(fidelity);
  }

  /**
   * The command that downloads this listing, e.g. {@code synthweave market get ID --out
   * silver_wine-0}: the folder is named after the dataset and version with every character but
   * letters, digits, '.', '_' and '-' replaced (publisher text must not reach a shell), else after
   * the id.
   */
  public String downloadCommand() {
    return downloadCommand(null);
  }

  /**
   * {@link #downloadCommand()} with {@code --gateway shellSafeGateway} after the id; the caller
   * quotes the gateway for a shell. Null leaves the option out.
   */
  public String downloadCommand(String shellSafeGateway) {
    String name = dataset == null ? id : dataset + (version == null ? "" : "-" + version);
    String dir = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[.-]+", "");
    if (dir.isEmpty() || dir.length() > 80) {
      dir = id;
    }
    return "synthweave market get "
        + id
        + (shellSafeGateway == null ? "" : " --gateway " + shellSafeGateway)
        + " --out "
        + dir;
  }

  /** One column of the schema. */
  public record Column(String name, String type) {}

  /** What the rows of a dataset are. */
  public enum Kind {
    /** Rows as ingested. */
    REAL,
    /** Real rows plus rows made from them by augmentation. */
    AUGMENTED,
    /** Rows sampled from a synthesizer model. */
    SYNTHETIC,
    /** Vectors of an embedding model. */
    EMBEDDINGS,
    /** The manifest could not be read, so nothing is known. */
    UNKNOWN;

    /** The lower-case name the catalog stores. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Whether the listing checked out. */
  public enum Status {
    /** Intact manifest and certificate, signed by the transaction's owner, card as signed. */
    VERIFIED,
    /** Something failed; see the reason. */
    UNVERIFIED;

    /** The lower-case name the catalog stores. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
