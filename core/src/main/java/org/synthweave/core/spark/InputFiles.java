package org.synthweave.core.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.synthweave.core.CoreErrors;
import org.synthweave.core.SynthweaveException;

/**
 * Expands the input patterns of a job (files, folders searched recursively, globs; local paths or
 * any Hadoop file system URI) into a sorted list of fully qualified file paths with one of the
 * given endings. Sorted, so that every run sees the inputs in the same order.
 *
 * <p>Symbolic links are followed, but every real directory is listed once and every real file
 * appears once (under its first path in sorted order): a link loop such as {@code l1 -> .} neither
 * hangs the listing nor reads the same file again through {@code l1/l1/...}. On the local file
 * system "real" is the path with all links resolved; elsewhere it is what {@link
 * FileSystem#resolvePath} returns.
 */
public final class InputFiles {
  private InputFiles() {}

  public static List<String> list(SparkSession spark, List<String> patterns, List<String> endings) {
    return list(spark.sparkContext().hadoopConfiguration(), patterns, endings);
  }

  /** {@link #list(SparkSession, List, List)} with a Hadoop configuration of its own. */
  public static List<String> list(
      Configuration hadoop, List<String> patterns, List<String> endings) {
    // Listed path -> real file; directories already listed, by their real path.
    TreeMap<String, String> out = new TreeMap<>();
    Set<String> visitedDirs = new HashSet<>();
    for (String pattern : patterns) {
      try {
        Path p = new Path(pattern);
        FileSystem fs = p.getFileSystem(hadoop);
        FileStatus[] matches = fs.globStatus(p);
        if (matches == null) {
          continue;
        }
        for (FileStatus st : matches) {
          if (st.isDirectory()) {
            addFilesUnder(fs, st, endings, out, visitedDirs);
          } else if (accepts(st.getPath().getName(), endings)) {
            out.put(normalize(st.getPath().toString()), realPath(fs, st.getPath()));
          }
        }
      } catch (IOException e) {
        throw new SynthweaveException(
            "Cannot list input '"
                + pattern
                + "': "
                + e.getMessage()
                + ". Check the path and access.",
            e);
      }
    }
    if (out.isEmpty()) {
      throw CoreErrors.noInputs(String.join("/", endings), patterns);
    }
    List<String> files = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    out.forEach(
        (listed, real) -> {
          if (seen.add(real)) {
            files.add(listed);
          }
        });
    return files;
  }

  /**
   * The path with every symbolic link resolved: for the local file system through java.nio
   * (Hadoop's local file system does not resolve links), elsewhere through {@link
   * FileSystem#resolvePath}.
   */
  private static String realPath(FileSystem fs, Path path) throws IOException {
    java.net.URI uri = fs.makeQualified(path).toUri();
    if ("file".equals(uri.getScheme())) {
      try {
        return java.nio.file.Paths.get(uri).toRealPath().toString();
      } catch (IOException | RuntimeException e) {
        // A dangling link or an unreadable entry: keep its own name, listing decides the rest.
        return uri.toString();
      }
    }
    return fs.resolvePath(path).toString();
  }

  /**
   * One spelling per file: {@code file:///a/b}, {@code file:/a/b} and {@code /a/b} all become
   * {@code file:/a/b}, so counts keyed by a path from Spark's file metadata and by a listed path
   * meet.
   */
  public static String normalize(String path) {
    java.net.URI u = new Path(path).toUri();
    String scheme = u.getScheme() == null ? "file" : u.getScheme();
    String authority =
        u.getAuthority() == null || u.getAuthority().isEmpty() ? "" : "//" + u.getAuthority();
    return scheme + ":" + authority + u.getPath();
  }

  /** {@link #normalize} applied to every key; values of keys that meet are added. */
  public static java.util.Map<String, Long> normalizeKeys(java.util.Map<String, Long> counts) {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    counts.forEach((k, v) -> out.merge(normalize(k), v, Long::sum));
    return out;
  }

  /**
   * Rows per source file, keyed by the {@link #normalize normalized} file name: the per-file counts
   * of a run summary. The result has one entry per file, so it is small.
   */
  public static java.util.Map<String, Long> countPerFile(
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows, String fileColumn) {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    for (org.apache.spark.sql.Row r :
        rows.groupBy(Columns.col(fileColumn)).count().collectAsList()) {
      out.merge(normalize(r.getString(0)), r.getLong(1), Long::sum);
    }
    return out;
  }

  /**
   * Splits {@code files} into at most {@code buckets} groups of about equal total size (largest
   * file first into the lightest group), so that tasks reading whole files finish together.
   */
  public static List<List<String>> balance(SparkSession spark, List<String> files, int buckets) {
    int n = Math.max(1, Math.min(buckets, files.size()));
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    List<long[]> sized = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      try {
        Path p = new Path(files.get(i));
        sized.add(new long[] {p.getFileSystem(hadoop).getFileStatus(p).getLen(), i});
      } catch (IOException e) {
        throw new SynthweaveException(
            "Cannot stat input '" + files.get(i) + "': " + e.getMessage(), e);
      }
    }
    sized.sort((a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
    List<List<String>> groups = new ArrayList<>();
    long[] load = new long[n];
    for (int i = 0; i < n; i++) {
      groups.add(new ArrayList<>());
    }
    for (long[] f : sized) {
      int lightest = 0;
      for (int i = 1; i < n; i++) {
        if (load[i] < load[lightest]) {
          lightest = i;
        }
      }
      groups.get(lightest).add(files.get((int) f[1]));
      load[lightest] += f[0];
    }
    return groups;
  }

  // FileSystem.listFiles would do, but its LocatedFileStatus does not resolve against the shaded
  // hadoop-client-api at compile time; listStatus recursion does the same.
  private static void addFilesUnder(
      FileSystem fs,
      FileStatus dir,
      List<String> endings,
      Map<String, String> out,
      Set<String> visitedDirs)
      throws IOException {
    if (!visitedDirs.add(realPath(fs, dir.getPath()))) {
      return; // reached again through a link: a loop, or a second name for the same folder
    }
    FileStatus[] children = fs.listStatus(dir.getPath());
    // Sorted, so which name of a linked folder gets listed does not vary between runs.
    java.util.Arrays.sort(children, java.util.Comparator.comparing(f -> f.getPath().toString()));
    for (FileStatus f : children) {
      if (f.isDirectory()) {
        if (!f.getPath().getName().startsWith("_") && !f.getPath().getName().startsWith(".")) {
          addFilesUnder(fs, f, endings, out, visitedDirs);
        }
      } else if (accepts(f.getPath().getName(), endings)) {
        out.put(normalize(f.getPath().toString()), realPath(fs, f.getPath()));
      }
    }
  }

  private static boolean accepts(String name, List<String> endings) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.startsWith(".") || n.startsWith("_")) {
      return false; // hidden files, _SUCCESS, Delta logs
    }
    return endings.isEmpty() || endings.stream().anyMatch(n::endsWith);
  }
}
