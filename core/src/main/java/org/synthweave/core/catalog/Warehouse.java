package org.synthweave.core.catalog;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import org.synthweave.core.CoreErrors;
import org.synthweave.core.SynthweaveException;

/**
 * Checks on the warehouse root and the translation of storage failures into one-line user errors: a
 * root that is a file (or lies under one), a root that this user cannot write, and the losing side
 * of two jobs committing to one Delta table. Only local roots (a plain path or {@code file:}) are
 * checked on disk; other file systems report their own errors.
 */
public final class Warehouse {
  private Warehouse() {}

  /**
   * Fails with a one-line error if a local {@code root} is a file or lies under a file; a root that
   * does not exist yet is fine (the first write creates it).
   */
  public static void checkFolder(String root) {
    Path p = localPath(root);
    if (p == null) {
      return;
    }
    if (Files.exists(p) && !Files.isDirectory(p)) {
      throw CoreErrors.warehouseIsAFile(root);
    }
    for (Path a = p.getParent(); a != null; a = a.getParent()) {
      if (Files.exists(a)) {
        if (!Files.isDirectory(a)) {
          throw CoreErrors.warehouseUnderAFile(root, a.toString());
        }
        return;
      }
    }
  }

  /**
   * Runs one commit to {@code table}; if Delta reports that another job committed to it first, the
   * failure becomes a one-line error naming the table and saying that a rerun is safe.
   */
  public static <T> T committing(TableCatalog catalog, String table, Supplier<T> commit) {
    try {
      return commit.get();
    } catch (RuntimeException e) {
      DeltaConcurrentModificationException conflict = find(e);
      if (conflict != null) {
        throw CoreErrors.concurrentCommit(table, catalog.root(), conflict);
      }
      throw e;
    }
  }

  /**
   * The user error that {@code failure} of a job stands for when it is about the warehouse at
   * {@code root}: a Delta commit conflict, or a storage failure while the root is a file, lies
   * under a file or is not writable. Null if it is about something else.
   */
  public static SynthweaveException explain(Throwable failure, String root) {
    DeltaConcurrentModificationException conflict = find(failure);
    if (conflict != null) {
      return CoreErrors.concurrentCommit(null, root, conflict);
    }
    Throwable io = storageFailure(failure);
    Path p = localPath(root);
    if (io == null || p == null) {
      return null;
    }
    try {
      checkFolder(root);
    } catch (SynthweaveException e) {
      return e;
    }
    if (io instanceof AccessDeniedException denied) {
      return CoreErrors.warehouseNotWritable(
          root, "permission denied on " + denied.getFile(), failure);
    }
    String notWritable = writeProbe(p);
    if (notWritable != null) {
      return CoreErrors.warehouseNotWritable(root, notWritable, failure);
    }
    return null;
  }

  private static DeltaConcurrentModificationException find(Throwable e) {
    for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof DeltaConcurrentModificationException c) {
        return c;
      }
    }
    return null;
  }

  /** The first I/O failure in the chain (Spark wraps them in SparkException), or null. */
  private static Throwable storageFailure(Throwable e) {
    for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof IOException
          || t instanceof FileSystemException
          || t.getClass().getName().endsWith("AccessControlException")) {
        return t;
      }
    }
    return null;
  }

  /**
   * Null if a file can be created in the root (or in its nearest existing parent, if the root does
   * not exist yet), else why not. Tried for real, since permission bits do not bind root and a
   * read-only mount ignores them.
   */
  private static String writeProbe(Path root) {
    Path dir = root;
    while (dir != null && !Files.isDirectory(dir)) {
      dir = dir.getParent();
    }
    if (dir == null) {
      return "no existing parent folder";
    }
    try {
      Path probe = Files.createTempFile(dir, ".synthweave-write-check", ".tmp");
      Files.delete(probe);
      return null;
    } catch (IOException | SecurityException e) {
      return "cannot create a file in " + dir + ": " + e.getClass().getSimpleName();
    }
  }

  /** The local path of a root given as a path or {@code file:} URI; null for other schemes. */
  static Path localPath(String root) {
    if (root == null || root.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(root);
      String scheme = uri.getScheme();
      if (scheme == null) {
        return Path.of(root).toAbsolutePath();
      }
      if (scheme.toLowerCase(Locale.ROOT).equals("file")) {
        return Path.of(uri.getPath()).toAbsolutePath();
      }
      return scheme.length() == 1 ? Path.of(root).toAbsolutePath() : null; // C:\ on Windows
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Path.of(root).toAbsolutePath();
    }
  }
}
