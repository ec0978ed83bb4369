package org.synthweave.arweave;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.synthweave.arweave.bundle.Bundle;
import org.synthweave.arweave.bundle.DataItem;
import org.synthweave.arweave.chunk.DataSource;
import org.synthweave.arweave.chunk.MerkleTree;
import org.synthweave.arweave.crypto.Base64Url;
import org.synthweave.arweave.crypto.Bytes;
import org.synthweave.arweave.http.Gateway;
import org.synthweave.arweave.http.GraphQlQuery;
import org.synthweave.arweave.http.TxNode;
import org.synthweave.arweave.http.TxPage;
import org.synthweave.arweave.http.TxStatus;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.tx.Transaction;
import org.synthweave.arweave.upload.FolderUploader;
import org.synthweave.arweave.upload.UploadOptions;
import org.synthweave.arweave.upload.UploadResult;
import org.synthweave.arweave.upload.Uploader;
import org.synthweave.arweave.wallet.Wallet;

/**
 * The entry point for publishing to and reading from Arweave: uploads (resumable, streaming from
 * files), status, downloads checked against hashes, and GraphQL lookups. One instance per gateway
 * is meant to be shared; it is thread-safe.
 */
public final class ArweaveClient {
  private final ArweaveConfig config;
  private final Gateway gateway;
  private final Uploader uploader;

  public ArweaveClient(ArweaveConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    this.config = config;
    this.gateway = new Gateway(config);
    this.uploader = new Uploader(gateway, config.chunkConcurrency());
  }

  public ArweaveConfig config() {
    return config;
  }

  /** Chunks in flight for this gateway (asks the gateway once when the config left it open). */
  public int chunkConcurrency() {
    return uploader.concurrency();
  }

  /** The low-level HTTP API, for endpoints this class does not wrap. */
  public Gateway gateway() {
    return gateway;
  }

  /** Uploads a file as one transaction, streaming it; see {@link UploadOptions} for resuming. */
  public UploadResult upload(Wallet wallet, Path file, List<Tag> tags, UploadOptions options) {
    if (file == null) {
      throw new IllegalArgumentException("file must not be null");
    }
    try (DataSource src = DataSource.open(file)) {
      return uploader.upload(wallet, src, tags, options);
    } catch (IOException e) {
      throw ArweaveErrors.dataUnreadable(file.toString(), e);
    }
  }

  /** Uploads in-memory bytes as one transaction (inline if they fit one chunk). */
  public UploadResult upload(Wallet wallet, byte[] data, List<Tag> tags, UploadOptions options) {
    return uploader.upload(wallet, DataSource.of(data), tags, options);
  }

  /**
   * Uploads {@code items} as one ANS-104 bundle transaction; each item is then served by its own id
   * at {@code GET /{itemId}}. {@code tags} are added after the bundle tags.
   */
  public UploadResult uploadBundle(
      Wallet wallet, List<DataItem> items, List<Tag> tags, UploadOptions options) {
    if (tags == null) {
      throw new IllegalArgumentException("tags must not be null");
    }
    List<Tag> all = new ArrayList<>(Bundle.TAGS);
    all.addAll(tags);
    return upload(wallet, Bundle.toBytes(items), all, options);
  }

  /**
   * Publishes every regular file under {@code folder} (tagged with {@code tags} and its
   * Content-Type) and an {@code arweave/paths} manifest over them, so a gateway serves {@code
   * /{manifestId}/{relative/path}}; see {@link FolderUploader} for bundling small files and
   * resuming.
   */
  public FolderUploader.Result uploadFolder(
      Wallet wallet, Path folder, List<Tag> tags, FolderUploader.Options options) {
    if (folder == null || !Files.isDirectory(folder)) {
      throw new IllegalArgumentException("folder must be an existing directory, got " + folder);
    }
    if (tags == null) {
      throw new IllegalArgumentException("tags must not be null");
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(folder)) {
      files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw ArweaveErrors.dataUnreadable(folder.toString(), e);
    }
    List<FolderUploader.Entry> entries = new ArrayList<>();
    for (Path f : files) {
      String rel = folder.relativize(f).toString().replace(java.io.File.separatorChar, '/');
      List<Tag> fileTags = new ArrayList<>(tags);
      fileTags.add(Tag.of("Content-Type", contentType(rel)));
      entries.add(new FolderUploader.Entry(rel, f, fileTags));
    }
    return new FolderUploader(this).upload(wallet, entries, tags, options);
  }

  /** The Content-Type gateways should serve {@code path} with, from its extension. */
  public static String contentType(String path) {
    String p = path.toLowerCase(java.util.Locale.ROOT);
    if (p.endsWith(".json")) {
      return "application/json";
    }
    if (p.endsWith(".html") || p.endsWith(".htm")) {
      return "text/html";
    }
    if (p.endsWith(".txt") || p.endsWith(".md")) {
      return "text/plain";
    }
    if (p.endsWith(".csv")) {
      return "text/csv";
    }
    if (p.endsWith(".parquet")) {
      return "application/vnd.apache.parquet";
    }
    return "application/octet-stream";
  }

  /** Posts a transaction the caller built and signed (transfers, custom headers). */
  public void post(Transaction tx) {
    gateway.postTx(tx);
  }

  public TxStatus status(String txId) {
    return gateway.status(txId);
  }

  /**
   * Downloads {@code GET /{id}} to {@code target} and checks it: against {@code expectedSha256}
   * when given (as published in a dataset manifest), and always against the signed data_root of the
   * transaction when {@code id} is a transaction (not a bundled item or manifest path).
   */
  public void download(String id, Path target, byte[] expectedSha256) {
    byte[] actual = gateway.download(id, target);
    if (expectedSha256 != null && !MessageDigest.isEqual(expectedSha256, actual)) {
      throw ArweaveErrors.hashMismatch(
          id, target.toString(), Bytes.hex(expectedSha256), Bytes.hex(actual));
    }
  }

  /**
   * Checks a local copy of transaction {@code txId}'s data against the data_root the owner signed,
   * so a tampered file is caught even without a separately published hash.
   */
  public void verifyAgainstDataRoot(String txId, Path file) {
    Transaction tx = verifiedTransaction(txId);
    try (DataSource src = DataSource.open(file)) {
      String actual = Base64Url.encode(MerkleTree.build(src).dataRoot());
      if (!actual.equals(tx.dataRoot())) {
        throw ArweaveErrors.dataRootMismatch(txId, file.toString(), tx.dataRoot(), actual);
      }
    } catch (IOException e) {
      throw ArweaveErrors.dataUnreadable(file.toString(), e);
    }
  }

  /**
   * {@code GET /tx/{txId}}, checked: the header must be the one named by {@code txId} (the id is
   * the hash of the signature) and its owner's signature must verify.
   */
  public Transaction verifiedTransaction(String txId) {
    Transaction tx = gateway.transaction(txId);
    if (!tx.isSigned() || !tx.id().equals(txId)) {
      throw ArweaveErrors.invalidTransaction(txId, gateway.url().toString(), "has another id");
    }
    if (!tx.verify()) {
      throw ArweaveErrors.invalidTransaction(
          txId, gateway.url().toString(), "carries no valid signature of its owner");
    }
    return tx;
  }

  /**
   * Checks offline that {@code file} (a downloaded copy of {@code id}) has SHA-256 {@code
   * expected}, streaming it so large files need no heap.
   */
  public static void checkSha256(Path file, byte[] expected, String id) {
    if (file == null || expected == null) {
      throw new IllegalArgumentException("file and expected must not be null");
    }
    MessageDigest md = org.synthweave.arweave.crypto.Hashes.sha256();
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw ArweaveErrors.dataUnreadable(file.toString(), e);
    }
    byte[] actual = md.digest();
    if (!MessageDigest.isEqual(expected, actual)) {
      throw ArweaveErrors.hashMismatch(id, file.toString(), Bytes.hex(expected), Bytes.hex(actual));
    }
  }

  /**
   * The data of {@code id} in memory, refused when over {@code maxBytes} (see {@link
   * Gateway#dataAtMost}); not checked against a data_root, so the caller proves it another way.
   */
  public byte[] dataAtMost(String id, long maxBytes) {
    return gateway.dataAtMost(id, maxBytes);
  }

  /** One page of {@code query} after {@code cursor} (null for the first). */
  public TxPage page(GraphQlQuery query, String cursor) {
    return gateway.page(query, cursor);
  }

  /** All transactions matching {@code query} (following pages), at most {@code limit}. */
  public List<TxNode> find(GraphQlQuery query, int limit) {
    return gateway.findAll(query, limit);
  }
}
