package org.synthweave.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.ArweaveException;
import org.synthweave.arweave.chunk.MerkleTree;
import org.synthweave.arweave.crypto.Base64Url;
import org.synthweave.arweave.crypto.Hashes;
import org.synthweave.arweave.http.TxNode;
import org.synthweave.arweave.manifest.PathManifest;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.tx.Transaction;
import org.synthweave.core.SynthweaveException;
import org.synthweave.verification.Certificate;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.QualityReport;
import org.synthweave.verification.SignedManifest;
import org.synthweave.verification.VerificationReport;
import org.synthweave.verification.card.CardFields;
import org.synthweave.verification.card.CardInfo;
import org.synthweave.verification.card.CroissantCard;

/**
 * Reads one listing found by GraphQL: the path manifest (its header's signature and data_root
 * checked), the signed {@code manifest.json} it names (size-limited, its signature and certificate
 * checked, and signed by the transaction's owner), and the {@code croissant.json} card
 * (size-limited, equal to the SHA-256 the manifest signed). What fails makes the listing unverified
 * with the reason; only a gateway that cannot answer now makes it unreadable, to be tried again.
 */
public final class ListingReader {
  /** Bytes of a listing's manifest.json or card read at most, when no other limit is given. */
  public static final long DEFAULT_MAX_MANIFEST_BYTES = 1L << 20;

  /** Bytes of a path manifest read at most (its base64url form is a third larger). */
  public static final long MAX_PATH_MANIFEST_BYTES = 1L << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ArweaveClient client;
  private final long maxManifestBytes;

  /**
   * @param client the gateway's client
   * @param maxManifestBytes bytes of manifest.json (and of the card) read at most; larger ones are
   *     unverified
   */
  public ListingReader(ArweaveClient client, long maxManifestBytes) {
    if (client == null) {
      throw new IllegalArgumentException("client must not be null");
    }
    if (maxManifestBytes < 1) {
      throw new IllegalArgumentException("maxManifestBytes must be >= 1, got " + maxManifestBytes);
    }
    this.client = client;
    this.maxManifestBytes = maxManifestBytes;
  }

  /** What reading one listing gave. */
  public sealed interface Outcome permits Read, Unreadable {}

  /** A listing, verified or not. */
  public record Read(Listing listing) implements Outcome {}

  /**
   * The gateway could not give the listing's data now (not found yet, unreachable, an error
   * answer): nothing is stored and a later sync tries again.
   */
  public record Unreadable(String id, long blockHeight, String reason) implements Outcome {}

  /** Reads the listing {@code node}; never throws for anything the gateway or publisher sent. */
  public Outcome read(TxNode node) {
    Draft d = Draft.fromTags(node, client.gateway().url().toString());
    Contents c = new Contents();
    try {
      readContents(node.id(), node.ownerAddress(), c);
    } catch (ArweaveException e) {
      if (transientFailure(e)) {
        return new Unreadable(node.id(), node.blockHeight(), oneLine(e.getMessage()));
      }
      c.problem(oneLine(e.getMessage()));
    } catch (SynthweaveException e) {
      c.problem(oneLine(e.getMessage()));
    } catch (RuntimeException e) {
      // Hostile input may break a parser in ways nobody listed; it is a reason, not a crash.
      c.problem("cannot read the listing: " + oneLine(String.valueOf(e.getMessage())));
    }
    if (c.signed != null) {
      d.fromManifest(c.signed);
    }
    if (c.cardInfo != null) {
      d.fromCard(c.cardInfo);
    }
    c.problems.forEach(d::problem);
    return new Read(d.toListing());
  }

  /**
   * What one listing's transactions hold, filled in step by step as each is read and checked, so
   * that a failure part way keeps what came before it. A piece that could not be read, or was not
   * the one signed, is null and {@code problems} says why.
   */
  static final class Contents {
    /** The path manifest's checked header. */
    Transaction header;

    /** The path manifest, its bytes checked against the signed data_root. */
    PathManifest paths;

    /** manifest.json as read and checked on its own. */
    SignedManifest signed;

    /** croissant.json, when its SHA-256 is the one the manifest signed and it is JSON. */
    JsonNode card;

    /** What the card says; null when it cannot be read as a card. */
    CardInfo cardInfo;

    /** What failed, in the order found; empty when everything was read and checked. */
    final List<String> problems = new ArrayList<>();

    void problem(String why) {
      problems.add(why);
    }
  }

  /**
   * Reads the listing {@code id} into {@code c}: the path manifest (header signed, by {@code
   * owner}, bytes as signed), manifest.json (its own checks, signed by the transaction's owner,
   * agreeing with the Merkle-Root tag) and the card (the SHA-256 the manifest signed). What the
   * publisher got wrong is a problem in {@code c}; what the gateway or a parser refused is thrown
   * ({@link ArweaveException}, {@link SynthweaveException}), and {@code c} keeps what was read.
   */
  void readContents(String id, String owner, Contents c) {
    Transaction header = client.verifiedTransaction(id);
    c.header = header;
    if (!Objects.equals(header.ownerAddress(), owner)) {
      c.problem(
          "the listing names "
              + owner
              + " as its owner (GraphQL or the catalog), the signed transaction "
              + header.ownerAddress());
      return;
    }
    if (header.dataSize() > MAX_PATH_MANIFEST_BYTES) {
      c.problem(
          "the path manifest is "
              + header.dataSize()
              + " bytes, over the limit of "
              + MAX_PATH_MANIFEST_BYTES);
      return;
    }
    // GET /{id} would serve the index; /tx/{id}/data is the path manifest itself, base64url.
    byte[] text = client.dataAtMost("tx/" + id + "/data", MAX_PATH_MANIFEST_BYTES * 4 / 3 + 4);
    byte[] bytes = Base64Url.decode(new String(text, StandardCharsets.US_ASCII).strip(), "data");
    if (!Base64Url.encode(MerkleTree.build(bytes).dataRoot()).equals(header.dataRoot())) {
      c.problem("the path manifest's data is not the data its owner signed (data_root differs)");
      return;
    }
    PathManifest paths = PathManifest.parse(bytes, id);
    c.paths = paths;
    String manifestId = paths.paths().get(DatasetManifest.FILE_NAME);
    if (manifestId == null) {
      c.problem("the path manifest lists no " + DatasetManifest.FILE_NAME);
      return;
    }
    byte[] manifestBytes = client.dataAtMost(manifestId, maxManifestBytes);
    SignedManifest signed =
        SignedManifest.read(manifestBytes, id + "/" + DatasetManifest.FILE_NAME);
    c.signed = signed;
    for (VerificationReport.Problem p : signed.problems()) {
      c.problem(p.toString());
    }
    for (DatasetManifest.FileEntry f : signed.manifest().files()) {
      String unsafe = f == null || f.path() == null ? null : PathManifest.pathProblem(f.path());
      if (unsafe != null) {
        c.problem("the manifest lists the unsafe path " + quoted(f.path()) + ": " + unsafe);
      }
    }
    if (signed.signer() != null && !signed.signer().equals(header.ownerAddress())) {
      c.problem(
          "manifest.json is signed by "
              + signed.signer()
              + " but the transaction's owner is "
              + header.ownerAddress()
              + ": a publisher cannot list a manifest signed by someone else");
    }
    // The tags are the owner's too (signed with the transaction): they must describe this data.
    String taggedRoot = tag(header, "Merkle-Root");
    if (taggedRoot != null && !taggedRoot.equals(signed.manifest().merkleRoot())) {
      c.problem(
          "the Merkle-Root tag "
              + taggedRoot
              + " is not the manifest's merkle_root "
              + signed.manifest().merkleRoot());
    }
    readCard(paths, signed.manifest(), c);
  }

  /**
   * The bytes of {@code path}, one of the files {@code m} lists, read through the path manifest (at
   * most {@code maxBytes}) and checked against the SHA-256 and size the manifest signed. Throws
   * {@link ArweaveException} when the gateway cannot serve it and {@link ListingDataException} when
   * the listing does not hold it as signed.
   */
  byte[] signedFile(
      PathManifest paths, DatasetManifest.FileEntry entry, String listingId, long maxBytes)
      throws ListingDataException {
    String problem = PathManifest.pathProblem(entry.path());
    if (problem != null) {
      throw new ListingDataException(
          "listing "
              + listingId
              + ": the manifest's file path "
              + quoted(entry.path())
              + " is unsafe: "
              + problem);
    }
    if (entry.bytes() > maxBytes) {
      throw new ListingDataException(
          "listing "
              + listingId
              + ": "
              + entry.path()
              + " is "
              + entry.bytes()
              + " bytes, over the limit of "
              + maxBytes);
    }
    String fileId = paths.paths().get(entry.path());
    if (fileId == null) {
      throw new ListingDataException(
          "listing "
              + listingId
              + ": the manifest lists "
              + entry.path()
              + ", the path manifest does not");
    }
    byte[] data = client.dataAtMost(fileId, maxBytes);
    String actual = HexFormat.of().formatHex(Hashes.sha256(data));
    if (!actual.equals(entry.sha256()) || data.length != entry.bytes()) {
      throw new ListingDataException(
          "listing "
              + listingId
              + ": "
              + entry.path()
              + " ("
              + fileId
              + ", "
              + data.length
              + " bytes) has SHA-256 "
              + actual
              + ", the signed manifest says "
              + entry.sha256()
              + " ("
              + entry.bytes()
              + " bytes): the gateway serves other bytes than the publisher signed");
    }
    return data;
  }

  private void readCard(PathManifest paths, DatasetManifest m, Contents c) {
    DatasetManifest.FileEntry entry =
        m.files().stream()
            .filter(f -> f != null && CroissantCard.FILE_NAME.equals(f.path()))
            .findFirst()
            .orElse(null);
    if (entry == null) {
      return; // a manifest from before cards: the tags describe it
    }
    String cardId = paths.paths().get(CroissantCard.FILE_NAME);
    if (cardId == null) {
      c.problem("the manifest lists " + CroissantCard.FILE_NAME + ", the path manifest does not");
      return;
    }
    byte[] card = client.dataAtMost(cardId, maxManifestBytes);
    String actual = HexFormat.of().formatHex(Hashes.sha256(card));
    if (!actual.equals(entry.sha256())) {
      c.problem(
          CroissantCard.FILE_NAME
              + " ("
              + cardId
              + ") has SHA-256 "
              + actual
              + ", the signed manifest says "
              + entry.sha256());
      return;
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(card);
    } catch (IOException e) {
      c.problem(CroissantCard.FILE_NAME + " is not JSON: " + oneLine(e.getMessage()));
      return;
    }
    c.card = tree;
    try {
      c.cardInfo =
          CroissantCard.readInfo(
              tree, m.provenance() == null ? "?" : Objects.toString(m.provenance().sourceTable()));
    } catch (IllegalArgumentException e) {
      c.problem(CroissantCard.FILE_NAME + ": " + e.getMessage());
    }
  }

  private static String tag(Transaction tx, String name) {
    for (Tag t : tx.tags()) {
      if (t.name().equals(name)) {
        return t.value();
      }
    }
    return null;
  }

  /** {@code s} quoted, cut short and with control characters escaped, for a message. */
  static String quoted(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length() && i < 120; i++) {
      char ch = s.charAt(i);
      if (ch < 0x20 || ch == 0x7f || Character.getType(ch) == Character.FORMAT) {
        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) ch));
      } else {
        b.append(ch);
      }
    }
    return b.append(s.length() > 120 ? "…\"" : "\"").toString();
  }

  /** Whether {@code e} is the gateway not answering now (rather than data that is wrong). */
  static boolean transientFailure(ArweaveException e) {
    int s = e.status();
    if (s == 404 || s == 429 || s >= 500) {
      return true;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").strip();
  }

  /** What is known so far about one listing. */
  private static final class Draft {
    final String id;
    final String owner;
    final String gateway;
    final long height;
    final Instant publishedAt;
    String dataset;
    String version;
    String title;
    String description;
    List<String> keywords = new ArrayList<>();
    String license;
    final Map<String, String> terms = new LinkedHashMap<>();
    List<Listing.Column> columns = List.of();
    Long rows;
    Long bytes;
    Integer files;
    Listing.Kind kind = Listing.Kind.UNKNOWN;
    int passed;
    int failed;
    Double qualityScore;
    final Map<String, Double> fidelity = new LinkedHashMap<>();
    String provenance;
    String sourceTable;
    final List<String> problems = new ArrayList<>();

    private Draft(TxNode node, String gateway) {
      this.id = node.id();
      this.owner = node.ownerAddress() == null ? "" : node.ownerAddress();
      this.gateway = gateway;
      this.height = node.blockHeight();
      this.publishedAt =
          node.blockTimestamp() < 0 ? null : Instant.ofEpochSecond(node.blockTimestamp());
    }

    static Draft fromTags(TxNode node, String gateway) {
      Draft d = new Draft(node, gateway);
      d.dataset = node.tag("Dataset-Name");
      d.version = node.tag("Dataset-Version");
      d.title = node.tag("Title");
      d.description = node.tag("Description");
      for (Tag t : node.tags()) {
        if (t.name().startsWith("Topic:")) {
          d.keywords.add(t.value());
        }
        if (LICENSE_TAGS.contains(t.name())) {
          d.terms.put(t.name(), t.value());
        }
      }
      return d;
    }

    void problem(String why) {
      problems.add(why);
    }

    void fromManifest(SignedManifest s) {
      DatasetManifest m = s.manifest();
      dataset = m.dataset();
      version = m.version();
      rows = m.rows();
      List<DatasetManifest.FileEntry> data = m.dataFiles();
      files = data.size();
      bytes = data.stream().mapToLong(DatasetManifest.FileEntry::bytes).sum();
      sourceTable = m.provenance() == null ? null : m.provenance().sourceTable();
      try {
        columns =
            CardFields.of(m.schema()).stream()
                .map(c -> new Listing.Column(c.name(), c.sparkType()))
                .toList();
      } catch (IllegalArgumentException e) {
        problem("the schema cannot be read: " + e.getMessage());
      }
      Certificate c = s.certificate();
      if (c != null) {
        fromCertificate(c);
      }
      kind = kindOf(c, sourceTable, columns);
    }

    private void fromCertificate(Certificate c) {
      if (c.checks() != null) {
        for (Certificate.CheckSet set : c.checks()) {
          if (set == null || set.results() == null) {
            continue;
          }
          for (QualityReport.Entry e : set.results()) {
            if (e != null && e.pass()) {
              passed++;
            } else {
              failed++;
            }
          }
        }
      }
      if (c.synthetic() != null && c.synthetic().figures() != null) {
        for (Map.Entry<String, Object> f : c.synthetic().figures().entrySet()) {
          if (f.getValue() instanceof Number n) {
            fidelity.put(f.getKey(), n.doubleValue());
          }
        }
        qualityScore = fidelity.get("quality_score");
      }
      Certificate.Lineage l = c.provenance();
      if (l != null) {
        List<String> parts = new ArrayList<>();
        for (Certificate.Upstream u : l.tables()) {
          parts.add(u.role() + " " + u.table() + (u.version() == null ? "" : "@" + u.version()));
        }
        for (Certificate.Model m : l.models()) {
          parts.add("model " + m.id());
        }
        if (!l.augment().isEmpty()) {
          parts.add(l.augment().size() + " augmentation run(s)");
        }
        parts.add(
            "synthweave "
                + l.codeVersion()
                + (l.gitCommit() == null ? "" : " (" + l.gitCommit() + ")"));
        provenance = String.join("; ", parts);
      }
    }

    void fromCard(CardInfo card) {
      title = card.title();
      description = card.description();
      keywords = new ArrayList<>(card.keywords());
      license = card.license();
    }

    Listing toListing() {
      return new Listing(
          id,
          owner,
          gateway,
          dataset,
          version,
          title,
          description,
          keywords,
          license,
          terms,
          columns,
          rows,
          bytes,
          files,
          kind,
          passed,
          failed,
          qualityScore,
          fidelity,
          provenance,
          sourceTable,
          publishedAt,
          height,
          problems.isEmpty() ? Listing.Status.VERIFIED : Listing.Status.UNVERIFIED,
          problems.isEmpty() ? null : String.join("; ", problems));
    }
  }

  /** The ANS-105 license tags: the license transaction and the UDL's terms. */
  static final List<String> LICENSE_TAGS =
      List.of(
          "License",
          "Commercial-Use",
          "Derivation",
          "Data-Model-Training",
          "License-Fee",
          "Currency",
          "Access",
          "Access-Fee",
          "Expires",
          "Payment-Address",
          "Payment-Mode");

  /**
   * What the rows are: vectors when the table is the embeddings table or has a {@code vector} array
   * column; sampled when the certificate names a synthesizer model or an evaluation (or the table's
   * name says synthetic); augmented when it names augmentation runs; else real.
   */
  static Listing.Kind kindOf(Certificate c, String table, List<Listing.Column> columns) {
    String t = table == null ? "" : table;
    if (t.endsWith("/embeddings")
        || columns.stream()
            .anyMatch(col -> col.name().equals("vector") && col.type().startsWith("array"))) {
      return Listing.Kind.EMBEDDINGS;
    }
    Certificate.Lineage l = c == null ? null : c.provenance();
    if (c != null && c.synthetic() != null
        || l != null && !l.models().isEmpty()
        || t.contains("synthetic")) {
      return Listing.Kind.SYNTHETIC;
    }
    if (l != null && !l.augment().isEmpty()) {
      return Listing.Kind.AUGMENTED;
    }
    return Listing.Kind.REAL;
  }
}
