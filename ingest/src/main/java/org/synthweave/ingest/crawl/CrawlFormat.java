package org.synthweave.ingest.crawl;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The crawl input formats, recognised by file name alone so that listing a directory is cheap. */
public enum CrawlFormat {
  /** WARC 1.0/1.1, plain ({@code .warc}) or gzip-compressed per record ({@code .warc.gz}). */
  WARC,
  /** One HTML page per file ({@code .html}, {@code .htm}); a directory of them is a crawl. */
  HTML,
  /**
   * One JSON object per line ({@code .jsonl}, {@code .jsonl.gz}, {@code .json}) with {@code url}
   * and {@code html} or {@code text}.
   */
  JSONL;

  /**
   * The format a file name implies, case-insensitively, or empty for files that are not crawl input
   * (so a directory walk can skip READMEs and checksums instead of rejecting them).
   */
  public static Optional<CrawlFormat> fromFileName(String fileName) {
    if (fileName == null) {
      throw new IllegalArgumentException("fileName must not be null");
    }
    String name = fileName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".warc") || name.endsWith(".warc.gz")) {
      return Optional.of(WARC);
    }
    if (name.endsWith(".html") || name.endsWith(".htm")) {
      return Optional.of(HTML);
    }
    if (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz") || name.endsWith(".json")) {
      return Optional.of(JSONL);
    }
    return Optional.empty();
  }

  /** Like {@link #fromFileName(String)} for the last element of {@code file}. */
  public static Optional<CrawlFormat> of(Path file) {
    if (file == null || file.getFileName() == null) {
      throw new IllegalArgumentException("file must name a file, got " + file);
    }
    return fromFileName(file.getFileName().toString());
  }

  /** Whether the file is gzip-compressed as a whole stream ({@code .jsonl.gz}). */
  static boolean isGzipStream(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
  }
}
