package org.synthweave.ingest.crawl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** An HTML file is one record: offset 0, the path as record id, the file URI as URL. */
final class HtmlFileSource implements EntrySource {
  private final Path file;
  private final String sourceFile;
  private final int maxRecordBytes;
  private boolean done;

  HtmlFileSource(Path file, int maxRecordBytes) {
    this.file = file;
    this.sourceFile = file.toString();
    this.maxRecordBytes = maxRecordBytes;
  }

  @Override
  public boolean step(Consumer<CrawlEntry> out) {
    if (done) {
      return false;
    }
    done = true;
    try {
      long size = Files.size(file);
      if (size == 0) {
        out.accept(new CrawlSkip(sourceFile, 0, CrawlSkipReason.EMPTY_FILE, null));
      } else if (size > maxRecordBytes) {
        out.accept(
            new CrawlRejection(
                sourceFile,
                0,
                sourceFile,
                file.toUri().toString(),
                CrawlRejectReason.RECORD_TOO_LARGE,
                null,
                size + " bytes > max " + maxRecordBytes,
                null,
                size));
      } else {
        byte[] body = Files.readAllBytes(file);
        out.accept(
            new CrawlRecord(
                sourceFile,
                0,
                sourceFile,
                file.toUri().toString(),
                null,
                null,
                "text/html",
                null,
                CrawlRecord.TYPE_HTML_FILE,
                body,
                null));
      }
    } catch (IOException | SecurityException e) {
      out.accept(
          CrawlRejection.of(
              sourceFile,
              0,
              sourceFile,
              null,
              CrawlRejectReason.IO_ERROR,
              null,
              e.toString(),
              null));
    }
    return true;
  }

  @Override
  public void close() {}
}
