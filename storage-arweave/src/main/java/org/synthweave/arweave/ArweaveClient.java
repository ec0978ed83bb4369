package org.synthweave.arweave;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.synthweave.arweave.chunk.DataSource;
import org.synthweave.arweave.chunk.MerkleTree;
import org.synthweave.arweave.crypto.Base64Url;
import org.synthweave.arweave.crypto.Bytes;
import org.synthweave.arweave.http.Gateway;
import org.synthweave.arweave.http.GraphQlQuery;
import org.synthweave.arweave.http.TxNode;
import org.synthweave.arweave.http.TxStatus;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.tx.Transaction;
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
    Transaction tx = gateway.transaction(txId);
    if (!tx.verify()) {
      throw ArweaveErrors.dataRootMismatch(
          txId, gateway.url() + "/tx/" + txId, "a valid signature", "an invalid one");
    }
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

  /** All transactions matching {@code query} (following pages), at most {@code limit}. */
  public List<TxNode> find(GraphQlQuery query, int limit) {
    return gateway.findAll(query, limit);
  }
}
