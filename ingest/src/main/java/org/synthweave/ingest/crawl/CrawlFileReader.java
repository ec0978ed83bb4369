package org.synthweave.ingest.crawl;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;

/**
 * Streams one crawl file as {@link CrawlEntry} values: good {@link CrawlRecord}s, {@link
 * CrawlRejection}s for quarantine and {@link CrawlSkip}s for the report. It holds at most one
 * record in memory (bounded by {@code maxRecordBytes}), so multi-GB WARCs stream, and it never
 * throws for bad content: damage becomes a rejection and reading goes on where the format allows.
 *
 * <p>What counts as a record in (see {@link CrawlReadStats}): WARC response, resource and
 * conversion records; non-blank JSONL lines; non-empty HTML files; and damaged regions, each
 * counted once. WARC warcinfo, request, metadata, revisit and continuation records are skipped by
 * type.
 *
 * <p>Recovery: in a WARC, a record whose HTTP part is broken, or whose body is too large, is
 * rejected and the next record is read normally (the WARC framing is intact). When the framing
 * itself breaks (bad WARC header, truncated or corrupt gzip member, a block that does not end
 * exactly where the next record or the end of the file begins, i.e. a wrong Content-Length) the
 * reader rejects the damaged record once, never passes it on, and resynchronises from just after
 * the damaged record's start (so a neighbour its block swallowed is found again): in a {@code
 * .warc.gz} it scans forward for the next gzip member that starts a valid WARC record, in a plain
 * {@code .warc} for the next {@code WARC/1.} (usually at a line start, but also right behind a
 * record whose trailing newline the damage took), each confirmed by parsing its header. A header
 * that holds another record's start (a header cut short that runs on into the next record's header,
 * or a forged gzip member header over the next member's) is rejected too, and reading resumes at
 * that start, so the next record is read whole at its own offset. Records behind the damage are
 * therefore not lost, though a damaged region that swallowed several records yields one rejection.
 * Whole-file gzip (one member for all records) cannot be resynchronised; the rest of such a file is
 * lost and reported as one rejection. JSONL continues after any bad line, except inside a damaged
 * {@code .jsonl.gz} stream, which ends with a {@code truncated_record} rejection.
 *
 * <p>Not thread-safe; use one reader per file and thread (the Spark adapter opens one per file in
 * each partition). Usage: {@code try (CrawlFileReader r = CrawlFileReader.open(file)) { while
 * (r.hasNext()) { CrawlEntry e = r.next(); ... } }}.
 */
public final class CrawlFileReader implements Iterator<CrawlEntry>, Closeable {
  /**
   * Largest record payload (after HTTP decoding) or JSONL line kept in memory; larger ones are
   * rejected with {@link CrawlRejectReason#RECORD_TOO_LARGE}. 64 MiB lets a 50 MB page through
   * while bounding executor memory.
   */
  public static final long DEFAULT_MAX_RECORD_BYTES = 64L * 1024 * 1024;

  private final EntrySource source;
  private final ArrayDeque<CrawlEntry> queue = new ArrayDeque<>();
  private final CrawlReadStats stats = new CrawlReadStats();
  private boolean exhausted;

  private CrawlFileReader(EntrySource source) {
    this.source = source;
  }

  /** Opens {@code file} with {@link #DEFAULT_MAX_RECORD_BYTES}. */
  public static CrawlFileReader open(Path file) {
    return open(file, DEFAULT_MAX_RECORD_BYTES);
  }

  /**
   * Opens {@code file}, whose format comes from its name (see {@link CrawlFormat#of(Path)}). No I/O
   * happens here; an unreadable file yields one {@link CrawlRejectReason#IO_ERROR} rejection.
   *
   * @throws IllegalArgumentException when the file name has no crawl format extension
   */
  public static CrawlFileReader open(Path file, long maxRecordBytes) {
    if (file == null) {
      throw new IllegalArgumentException("file must not be null");
    }
    if (maxRecordBytes < 1 || maxRecordBytes > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException(
          "maxRecordBytes must be in [1, " + (Integer.MAX_VALUE - 64) + "], got " + maxRecordBytes);
    }
    CrawlFormat format =
        CrawlFormat.of(file)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "not a crawl file (expected .warc, .warc.gz, .html, .htm, .jsonl,"
                            + " .jsonl.gz or .json): "
                            + file));
    EntrySource source =
        switch (format) {
          case WARC -> new WarcSource(file, (int) maxRecordBytes);
          case HTML -> new HtmlFileSource(file, (int) maxRecordBytes);
          case JSONL -> new JsonlSource(file, (int) maxRecordBytes);
        };
    return new CrawlFileReader(source);
  }

  /** Reads all of {@code file} into {@code sink} with {@link #DEFAULT_MAX_RECORD_BYTES}. */
  public static CrawlReadStats read(Path file, CrawlRecordSink sink) {
    return read(file, DEFAULT_MAX_RECORD_BYTES, sink);
  }

  /** Reads all of {@code file} into {@code sink}; returns the file's counts. */
  public static CrawlReadStats read(Path file, long maxRecordBytes, CrawlRecordSink sink) {
    if (sink == null) {
      throw new IllegalArgumentException("sink must not be null");
    }
    try (CrawlFileReader reader = open(file, maxRecordBytes)) {
      while (reader.hasNext()) {
        CrawlEntry entry = reader.next();
        if (entry instanceof CrawlRecord record) {
          sink.accept(record);
        } else if (entry instanceof CrawlRejection rejection) {
          sink.reject(rejection);
        } else if (entry instanceof CrawlSkip skip) {
          sink.skipped(skip);
        }
      }
      return reader.stats();
    }
  }

  /**
   * The crawl files under {@code root} (or {@code root} itself if it is a crawl file), recursively,
   * sorted by path so runs are deterministic. Files without a crawl extension are ignored. Symbolic
   * links are followed, but each real directory is walked once and each real file listed once
   * (under its first path in sorted order), so a link loop ({@code l1 -> .}) neither hangs nor
   * repeats files.
   */
  public static List<Path> listInputs(Path root) throws IOException {
    if (root == null) {
      throw new IllegalArgumentException("root must not be null");
    }
    if (Files.isRegularFile(root)) {
      return CrawlFormat.of(root).isPresent() ? List.of(root) : List.of();
    }
    TreeMap<Path, Path> found = new TreeMap<>(); // listed path -> real path
    walk(root, found, new HashSet<>());
    List<Path> files = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    found.forEach(
        (listed, real) -> {
          if (seen.add(real)) {
            files.add(listed);
          }
        });
    return files;
  }

  /** Depth first in sorted order, so which name of a linked folder is listed does not vary. */
  private static void walk(Path dir, Map<Path, Path> found, Set<Path> visitedDirs)
      throws IOException {
    if (!visitedDirs.add(dir.toRealPath())) {
      return; // reached again through a link: a loop, or a second name for the same folder
    }
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(children::add);
    }
    children.sort(null);
    for (Path child : children) {
      if (Files.isDirectory(child)) {
        walk(child, found, visitedDirs);
      } else if (Files.isRegularFile(child) && CrawlFormat.of(child).isPresent()) {
        found.put(child, child.toRealPath());
      }
    }
  }

  @Override
  public boolean hasNext() {
    while (queue.isEmpty() && !exhausted) {
      exhausted = !source.step(queue::add);
    }
    if (queue.isEmpty()) {
      source.close();
    }
    return !queue.isEmpty();
  }

  @Override
  public CrawlEntry next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more entries");
    }
    CrawlEntry entry = queue.poll();
    stats.count(entry);
    return entry;
  }

  /** Counts of what {@link #next()} has returned so far; complete once hasNext() is false. */
  public CrawlReadStats stats() {
    return stats;
  }

  @Override
  public void close() {
    source.close();
  }
}
