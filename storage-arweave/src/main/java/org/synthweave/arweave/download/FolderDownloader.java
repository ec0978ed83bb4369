package org.synthweave.arweave.download;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.ArweaveErrors;
import org.synthweave.arweave.ArweaveException;
import org.synthweave.arweave.bundle.Bundle;
import org.synthweave.arweave.bundle.DataItem;
import org.synthweave.arweave.chunk.DataSource;
import org.synthweave.arweave.chunk.MerkleTree;
import org.synthweave.arweave.crypto.Base64Url;
import org.synthweave.arweave.crypto.Bytes;
import org.synthweave.arweave.crypto.Hashes;
import org.synthweave.arweave.manifest.PathManifest;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.tx.Transaction;
import org.synthweave.arweave.upload.FolderUploader;

/**
 * Downloads every path of an {@code arweave/paths} manifest into a folder and proves each file. The
 * manifest's own header is checked (its id and signature) and its bytes against its signed
 * data_root, which makes the path-to-id map the owner's. Then each file is checked against its id:
 * for a transaction, the data_root recomputed from the downloaded file must equal the signed one;
 * for a data item of the bundle the manifest names ({@link FolderUploader#BUNDLED_IN_TAG}), the
 * bundle's data_root is checked, its items' signatures verified, and the file must equal the item's
 * data. Any mismatch throws an {@link ArweaveException} naming the file and the id. {@link #resume}
 * continues an interrupted download: a file already in the folder is kept when it proves the same
 * way, and downloaded again when it does not.
 */
public final class FolderDownloader {
  private final ArweaveClient client;

  public FolderDownloader(ArweaveClient client) {
    if (client == null) {
      throw new IllegalArgumentException("client must not be null");
    }
    this.client = client;
  }

  /** How a file was proven. */
  public enum Proof {
    /** Its data_root equals the one its transaction's owner signed. */
    DATA_ROOT,
    /** It equals a data item whose signature verifies, in a bundle whose data_root does. */
    BUNDLED_ITEM
  }

  /** Hears about each file once it is downloaded and proven. */
  @FunctionalInterface
  public interface Listener {
    /** A listener that ignores everything. */
    Listener NONE = (path, id, proof) -> {};

    void fetched(String path, String id, Proof proof);

    /** On {@link #resume}: the file already in the folder proved, so it was kept. */
    default void kept(String path, String id, Proof proof) {}

    /**
     * On {@link #resume}: the file already in the folder does not prove ({@code why}), so it is
     * downloaded again.
     */
    default void replacing(String path, String id, String why) {}
  }

  /**
   * The downloaded folder.
   *
   * @param manifestId the manifest transaction
   * @param owner the address that signed the manifest
   * @param paths each path and the id it was downloaded from
   * @param bundleId the bundle named by the manifest, or null
   */
  public record Result(
      String manifestId, String owner, Map<String, String> paths, String bundleId) {}

  /** Downloads the folder published as {@code manifestId} into {@code out} (created if missing). */
  public Result download(String manifestId, Path out, Listener listener) {
    return run(manifestId, out, listener, false);
  }

  /**
   * Like {@link #download}, but a path whose file is already in {@code out} and proves (as a
   * downloaded one must) is kept instead of downloaded again; one that does not prove is downloaded
   * again. For continuing an interrupted download into the same folder.
   */
  public Result resume(String manifestId, Path out, Listener listener) {
    return run(manifestId, out, listener, true);
  }

  private Result run(String manifestId, Path out, Listener listener, boolean keepProven) {
    if (manifestId == null || out == null || listener == null) {
      throw new IllegalArgumentException("manifestId, out and listener must not be null");
    }
    Transaction header = client.verifiedTransaction(manifestId);
    if (header.dataSize() > PathManifest.MAX_MANIFEST_BYTES) {
      throw ArweaveErrors.notAPathManifest(
          manifestId,
          "it is "
              + header.dataSize()
              + " bytes, over the limit of "
              + PathManifest.MAX_MANIFEST_BYTES);
    }
    // GET /{id} would serve the manifest's index; /tx/{id}/data is the manifest itself.
    byte[] bytes =
        Base64Url.decode(
            client.gateway().getText("GET manifest", "/tx/" + manifestId + "/data"), "data");
    checkDataRoot(manifestId, "the path manifest", MerkleTree.build(bytes), header);
    PathManifest manifest = PathManifest.parse(bytes, manifestId);
    Folder folder =
        new Folder(
            manifestId,
            tag(header, FolderUploader.BUNDLED_IN_TAG),
            out.toAbsolutePath().normalize(),
            listener,
            keepProven);
    Map<String, String> done = new TreeMap<>();
    for (Map.Entry<String, String> e : manifest.paths().entrySet()) {
      folder.fetch(e.getKey(), e.getValue());
      done.put(e.getKey(), e.getValue());
    }
    return new Result(
        manifestId, header.ownerAddress(), Collections.unmodifiableMap(done), folder.bundleId);
  }

  /** One download of a path manifest's files into a folder. */
  private final class Folder {
    final String manifestId;
    final String bundleId;
    final Path root;
    final Listener listener;
    final boolean keepProven;
    Map<String, DataItem> items;

    Folder(String manifestId, String bundleId, Path root, Listener listener, boolean keepProven) {
      this.manifestId = manifestId;
      this.bundleId = bundleId;
      this.root = root;
      this.listener = listener;
      this.keepProven = keepProven;
    }

    /** Downloads (or on resume, keeps) {@code path}, published as {@code id}, and proves it. */
    void fetch(String path, String id) {
      Path target = PathManifest.target(root, path, manifestId);
      try {
        Files.createDirectories(target.getParent());
      } catch (IOException ex) {
        throw ArweaveErrors.dataUnreadable(target.getParent().toString(), ex);
      }
      Transaction tx = transactionOrNull(id);
      DataItem item = tx == null ? item(path, id) : null;
      Proof proof = tx != null ? Proof.DATA_ROOT : Proof.BUNDLED_ITEM;
      if (keepProven && Files.isRegularFile(target)) {
        String why = tx != null ? unlikeTransaction(target, tx) : unlikeItem(target, item);
        if (why == null) {
          listener.kept(path, id, proof);
          return;
        }
        listener.replacing(path, id, why);
      }
      client.download(id, target, null);
      if (tx != null) {
        client.verifyAgainstDataRoot(id, target);
      } else {
        byte[] expected = Hashes.sha256(item.data());
        byte[] actual = sha256(target);
        if (!MessageDigest.isEqual(expected, actual)) {
          throw ArweaveErrors.bundledFileMismatch(
              target.toString(), id, bundleId, Bytes.hex(expected), Bytes.hex(actual));
        }
      }
      listener.fetched(path, id, proof);
    }

    /** The data item {@code id} of the manifest's bundle; fetches and checks the bundle once. */
    private DataItem item(String path, String id) {
      if (items == null) {
        items = bundleItems(manifestId, path, id, bundleId);
      }
      DataItem item = items.get(id);
      if (item == null) {
        throw ArweaveErrors.unknownManifestEntry(
            manifestId, path, id, bundleId, client.gateway().url().toString());
      }
      return item;
    }
  }

  /** Why {@code file} is not the data {@code tx} signed; null when it is. */
  private static String unlikeTransaction(Path file, Transaction tx) {
    try {
      long size = Files.size(file);
      if (size != tx.dataSize()) {
        return "it has " + size + " bytes, the signed transaction " + tx.dataSize();
      }
      try (DataSource src = DataSource.open(file)) {
        String actual = Base64Url.encode(MerkleTree.build(src).dataRoot());
        return actual.equals(tx.dataRoot())
            ? null
            : "its data_root is " + actual + ", the signed one " + tx.dataRoot();
      }
    } catch (IOException e) {
      return "it cannot be read: " + e;
    }
  }

  /** Why {@code file} is not {@code item}'s data; null when it is. */
  private static String unlikeItem(Path file, DataItem item) {
    byte[] expected = Hashes.sha256(item.data());
    byte[] actual = sha256(file);
    return MessageDigest.isEqual(expected, actual)
        ? null
        : "its SHA-256 is " + Bytes.hex(actual) + ", the signed data item's " + Bytes.hex(expected);
  }

  /** The header of {@code id} when it is a transaction; null when the gateway does not know it. */
  private Transaction transactionOrNull(String id) {
    try {
      return client.verifiedTransaction(id);
    } catch (ArweaveException e) {
      if (e.status() == 404) {
        return null; // a data item: gateways serve its data, but it has no transaction header
      }
      throw e;
    }
  }

  /** The items of the bundle the manifest names, by id, after checking the bundle's data_root. */
  private Map<String, DataItem> bundleItems(
      String manifestId, String path, String id, String bundleId) {
    if (bundleId == null) {
      throw ArweaveErrors.unknownManifestEntry(
          manifestId, path, id, null, client.gateway().url().toString());
    }
    Transaction bundleTx = client.verifiedTransaction(bundleId);
    byte[] bundle = client.gateway().data(bundleId);
    checkDataRoot(bundleId, "the bundle", MerkleTree.build(bundle), bundleTx);
    Map<String, DataItem> byId = new HashMap<>();
    for (DataItem item : Bundle.parse(bundle)) {
      byId.put(item.id(), item);
    }
    return byId;
  }

  private static void checkDataRoot(String id, String what, MerkleTree tree, Transaction tx) {
    String actual = Base64Url.encode(tree.dataRoot());
    if (!actual.equals(tx.dataRoot())) {
      throw ArweaveErrors.dataRootMismatch(id, what, tx.dataRoot(), actual);
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

  private static byte[] sha256(Path file) {
    MessageDigest md = Hashes.sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw ArweaveErrors.dataUnreadable(file.toString(), e);
    }
    return md.digest();
  }
}
