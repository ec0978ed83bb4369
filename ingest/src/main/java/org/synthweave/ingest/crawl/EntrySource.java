package org.synthweave.ingest.crawl;

import java.io.Closeable;
import java.util.function.Consumer;

/** One format's record producer behind {@link CrawlFileReader}; never throws for bad content. */
interface EntrySource extends Closeable {
  /**
   * Reads the next record (or damaged region) and passes zero or more entries to {@code out}.
   *
   * @return false once the file is exhausted and nothing more will come
   */
  boolean step(Consumer<CrawlEntry> out);

  @Override
  void close();
}
