package org.synthweave.arweave.upload;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.ArweaveErrors;
import org.synthweave.arweave.ProgressListener;
import org.synthweave.arweave.UploadProgress;
import org.synthweave.arweave.bundle.Bundle;
import org.synthweave.arweave.bundle.DataItem;
import org.synthweave.arweave.crypto.Hashes;
import org.synthweave.arweave.manifest.PathManifest;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.wallet.Wallet;

/**
 * Publishes a set of files under one {@code arweave/paths} manifest, so a gateway serves {@code
 * /{manifestId}/{path}}. Files of at least {@link Options#bundleMaxFileBytes()} bytes go as their
 * own transactions; smaller ones as ANS-104 data items of one bundle transaction (one fee and one
 * header for many small files), each still served by its item id. The manifest is uploaded last.
 *
 * <p>With a state folder every step is resumable: each transaction's {@link UploadState}, and the
 * signed bundle itself (item ids come from signatures, which are randomized, so signing again would
 * give new ids), are kept there. A run killed at any point and started again with the same files
 * posts nothing twice and ends with the same manifest id.
 */
public final class FolderUploader {
  /** Files smaller than this go into the bundle unless configured otherwise: one chunk. */
  public static final long DEFAULT_BUNDLE_MAX_FILE_BYTES = 256 * 1024;

  /** Tag on the manifest transaction naming the bundle that holds its bundled paths. */
  public static final String BUNDLED_IN_TAG = "Bundled-In";

  static final String BUNDLE_FILE = "bundle.bin";
  static final String BUNDLE_STATE = "bundle.json";
  static final String MANIFEST_STATE = "path-manifest.json";

  private final ArweaveClient client;

  public FolderUploader(ArweaveClient client) {
    if (client == null) {
      throw new IllegalArgumentException("client must not be null");
    }
    this.client = client;
  }

  /**
   * One file to publish.
   *
   * @param path the manifest path: relative, '/'-separated
   * @param file the local file
   * @param tags tags of its transaction or data item (e.g. Content-Type)
   */
  public record Entry(String path, Path file, List<Tag> tags) {
    public Entry {
      if (path == null || file == null || tags == null) {
        throw new IllegalArgumentException("path, file and tags must not be null");
      }
      tags = List.copyOf(tags);
    }
  }

  /** What became of one file, the bundle, or the manifest. */
  public enum Kind {
    /** A file uploaded as its own transaction. */
    TRANSACTION,
    /** A file sent as a data item of the bundle. */
    BUNDLED_ITEM,
    /** The bundle transaction. */
    BUNDLE,
    /** The path manifest transaction. */
    MANIFEST
  }

  /**
   * One finished step.
   *
   * @param path the file's path, or a description for the bundle and the manifest
   * @param id transaction or data item id
   * @param kind what was uploaded
   * @param postedNow whether this run posted it (false when an earlier run had)
   */
  public record Event(String path, String id, Kind kind, boolean postedNow) {}

  /** Hears about progress; called from upload threads, so implementations must be thread-safe. */
  public interface Listener {
    /** A listener that ignores everything. */
    Listener NONE = new Listener() {};

    /** A chunk (or an inline transaction) of {@code path} was confirmed. */
    default void onProgress(String path, UploadProgress progress) {}

    /** A file, the bundle or the manifest is done. */
    default void onEvent(Event event) {}
  }

  /**
   * The published folder.
   *
   * @param manifestId the path manifest's transaction id
   * @param paths every path and the transaction or data item id it resolves to
   * @param bundleId the bundle transaction, or null when no file was small enough
   * @param bundledPaths the paths sent as data items of the bundle
   * @param transactionsPosted transactions this run posted (files, bundle, manifest)
   */
  public record Result(
      String manifestId,
      Map<String, String> paths,
      String bundleId,
      Set<String> bundledPaths,
      int transactionsPosted) {}

  /** How to publish: where state lives, the bundle threshold, the index, a listener. */
  public static final class Options {
    private final Path stateDir;
    private final long bundleMaxFileBytes;
    private final String index;
    private final List<Tag> bundleTags;
    private final Listener listener;

    private Options(Builder b) {
      this.stateDir = b.stateDir;
      this.bundleMaxFileBytes = b.bundleMaxFileBytes;
      this.index = b.index;
      this.bundleTags = List.copyOf(b.bundleTags);
      this.listener = b.listener;
    }

    public static Builder builder() {
      return new Builder();
    }

    /** The folder of state files, or null when the upload is not resumable. */
    public Path stateDir() {
      return stateDir;
    }

    /** Files smaller than this many bytes are bundled; 0 bundles nothing. */
    public long bundleMaxFileBytes() {
      return bundleMaxFileBytes;
    }

    /** The path served at the manifest id itself, or null. */
    public String index() {
      return index;
    }

    /** Tags of the bundle transaction, after the ANS-104 bundle tags. */
    public List<Tag> bundleTags() {
      return bundleTags;
    }

    public Listener listener() {
      return listener;
    }

    /** Collects options; each setter checks its argument. */
    public static final class Builder {
      private Path stateDir;
      private long bundleMaxFileBytes = DEFAULT_BUNDLE_MAX_FILE_BYTES;
      private String index;
      private List<Tag> bundleTags = List.of();
      private Listener listener = Listener.NONE;

      private Builder() {}

      /** Makes the upload resumable through state files in {@code dir} (created if missing). */
      public Builder stateDir(Path dir) {
        if (dir == null) {
          throw new IllegalArgumentException("dir must not be null");
        }
        this.stateDir = dir;
        return this;
      }

      public Builder bundleMaxFileBytes(long bytes) {
        if (bytes < 0) {
          throw new IllegalArgumentException("bundleMaxFileBytes must be >= 0, got " + bytes);
        }
        this.bundleMaxFileBytes = bytes;
        return this;
      }

      public Builder index(String path) {
        this.index = path;
        return this;
      }

      public Builder bundleTags(List<Tag> tags) {
        if (tags == null) {
          throw new IllegalArgumentException("tags must not be null");
        }
        this.bundleTags = tags;
        return this;
      }

      public Builder listener(Listener l) {
        if (l == null) {
          throw new IllegalArgumentException("listener must not be null (use Listener.NONE)");
        }
        this.listener = l;
        return this;
      }

      public Options build() {
        return new Options(this);
      }
    }
  }

  /**
   * Uploads {@code entries} (big files, then the bundle of small ones, then the manifest, tagged
   * with {@code manifestTags} plus the manifest Content-Type and {@link #BUNDLED_IN_TAG}).
   */
  public Result upload(
      Wallet wallet, List<Entry> entries, List<Tag> manifestTags, Options options) {
    if (wallet == null || entries == null || manifestTags == null || options == null) {
      throw new IllegalArgumentException(
          "wallet, entries, manifestTags and options must not be null");
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("entries must not be empty");
    }
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(java.util.Comparator.comparing(Entry::path));
    Set<String> seen = new HashSet<>();
    for (Entry e : sorted) {
      if (!seen.add(e.path())) {
        throw new IllegalArgumentException("path " + e.path() + " is given twice");
      }
    }
    if (options.index() != null && !seen.contains(options.index())) {
      throw ArweaveErrors.badManifest("index \"" + options.index() + "\" is not one of the paths");
    }
    Path stateDir = options.stateDir();
    if (stateDir != null) {
      try {
        Files.createDirectories(stateDir);
      } catch (IOException e) {
        throw ArweaveErrors.stateUnwritable(stateDir, e);
      }
    }
    Listener listener = options.listener();
    List<Entry> small = new ArrayList<>();
    List<Entry> large = new ArrayList<>();
    for (Entry e : sorted) {
      (size(e.file()) < options.bundleMaxFileBytes() ? small : large).add(e);
    }

    Map<String, String> ids = new TreeMap<>();
    int posted = 0;
    for (Entry e : large) {
      UploadResult r =
          client.upload(
              wallet,
              e.file(),
              e.tags(),
              uploadOptions(stateDir, txStateName(e), e.path(), listener));
      ids.put(e.path(), r.txId());
      posted += r.headerPosted() ? 1 : 0;
      listener.onEvent(new Event(e.path(), r.txId(), Kind.TRANSACTION, r.headerPosted()));
    }

    String bundleId = null;
    Set<String> bundled = new LinkedHashSet<>();
    if (!small.isEmpty()) {
      byte[] bundle = signedBundle(wallet, small, stateDir);
      List<DataItem> items = Bundle.parse(bundle);
      List<Tag> tags = new ArrayList<>(Bundle.TAGS);
      tags.addAll(options.bundleTags());
      String what = "bundle of " + small.size() + " files";
      UploadResult r =
          client.upload(
              wallet, bundle, tags, uploadOptions(stateDir, BUNDLE_STATE, what, listener));
      bundleId = r.txId();
      posted += r.headerPosted() ? 1 : 0;
      for (int i = 0; i < small.size(); i++) {
        String path = small.get(i).path();
        ids.put(path, items.get(i).id());
        bundled.add(path);
        listener.onEvent(new Event(path, items.get(i).id(), Kind.BUNDLED_ITEM, r.headerPosted()));
      }
      listener.onEvent(new Event(what, bundleId, Kind.BUNDLE, r.headerPosted()));
    }

    PathManifest manifest = new PathManifest();
    ids.forEach(manifest::path);
    if (options.index() != null) {
      manifest.index(options.index());
    }
    List<Tag> tags = new ArrayList<>(manifestTags);
    tags.add(PathManifest.CONTENT_TYPE_TAG);
    if (bundleId != null) {
      tags.add(Tag.of(BUNDLED_IN_TAG, bundleId));
    }
    UploadResult m =
        client.upload(
            wallet,
            manifest.toBytes(),
            tags,
            uploadOptions(stateDir, MANIFEST_STATE, "path manifest", listener));
    posted += m.headerPosted() ? 1 : 0;
    listener.onEvent(new Event("path manifest", m.txId(), Kind.MANIFEST, m.headerPosted()));
    return new Result(
        m.txId(),
        Collections.unmodifiableMap(ids),
        bundleId,
        Collections.unmodifiableSet(bundled),
        posted);
  }

  /**
   * The signed bundle of {@code small}: the one kept in the state folder when it still holds
   * exactly these files with these tags, else newly signed (and kept before anything is posted).
   */
  private static byte[] signedBundle(Wallet wallet, List<Entry> small, Path stateDir) {
    Path kept = stateDir == null ? null : stateDir.resolve(BUNDLE_FILE);
    if (kept != null && Files.isRegularFile(kept)) {
      byte[] bundle = read(kept);
      List<DataItem> items = Bundle.parse(bundle);
      if (items.size() != small.size()) {
        throw ArweaveErrors.stateMismatch(
            kept,
            "it holds " + items.size() + " files, but " + small.size() + " are to be bundled");
      }
      for (int i = 0; i < items.size(); i++) {
        Entry e = small.get(i);
        DataItem item = items.get(i);
        if (!item.tags().equals(e.tags())
            || !MessageDigest.isEqual(Hashes.sha256(item.data()), Hashes.sha256(read(e.file())))) {
          throw ArweaveErrors.stateMismatch(
              kept, "item " + i + " is not the current content or tags of " + e.path());
        }
        if (!MessageDigest.isEqual(item.owner(), wallet.owner())) {
          throw ArweaveErrors.stateMismatch(kept, "its items were signed by another wallet");
        }
      }
      return bundle;
    }
    List<DataItem> items = new ArrayList<>();
    for (Entry e : small) {
      items.add(DataItem.sign(wallet, read(e.file()), e.tags()));
    }
    byte[] bundle = Bundle.toBytes(items);
    if (kept != null) {
      writeAtomically(kept, bundle);
    }
    return bundle;
  }

  private static UploadOptions uploadOptions(
      Path stateDir, String stateName, String what, Listener listener) {
    ProgressListener progress = p -> listener.onProgress(what, p);
    UploadOptions.Builder b = UploadOptions.builder().listener(progress);
    if (stateDir != null) {
      b.stateFile(stateDir.resolve(stateName));
    }
    return b.build();
  }

  /** State file name of a file's own transaction: its path, made safe as one file name. */
  static String txStateName(Entry e) {
    return "tx-" + URLEncoder.encode(e.path(), StandardCharsets.UTF_8) + ".json";
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw ArweaveErrors.dataUnreadable(file.toString(), e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw ArweaveErrors.dataUnreadable(file.toString(), e);
    }
  }

  private static void writeAtomically(Path file, byte[] bytes) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw ArweaveErrors.stateUnwritable(file, e);
    }
  }
}
