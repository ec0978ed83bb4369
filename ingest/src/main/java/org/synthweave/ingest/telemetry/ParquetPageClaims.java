package org.synthweave.ingest.telemetry;

import java.io.IOException;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Reads the page headers of a Parquet file, without its pages, and refuses a page whose header
 * claims more decompressed bytes than {@link #MAX_PAGE_BYTES}. Parquet's decompressor allocates the
 * claimed size before it reads a byte, so one forged header of an input file makes every task that
 * reads it allocate up to 2 GiB: two at once end the ingest with an OutOfMemoryError instead of
 * quarantining one file.
 */
public final class ParquetPageClaims {
  /**
   * Bytes one page may claim to decompress to. Writers cut pages at about 1 MiB (Spark and
   * parquet-hadoop's default page size); one very large value can make a page larger, hence the
   * margin.
   */
  public static final int MAX_PAGE_BYTES = 256 << 20;

  private ParquetPageClaims() {}

  /**
   * Checks every page header of every column chunk listed in {@code footer}; returns null when all
   * claims are within bounds, else why the file is refused. Header bytes that do not parse are left
   * to the reader (whose damaged-page handling already quarantines them).
   */
  public static String check(InputFile file, ParquetMetadata footer) throws IOException {
    try (SeekableInputStream in = file.newStream()) {
      for (BlockMetaData block : footer.getBlocks()) {
        for (ColumnChunkMetaData chunk : block.getColumns()) {
          String why = checkChunk(in, chunk, file.getLength());
          if (why != null) {
            return why;
          }
        }
      }
    }
    return null;
  }

  private static String checkChunk(SeekableInputStream in, ColumnChunkMetaData chunk, long length)
      throws IOException {
    long pos = chunk.getStartingPos();
    long end = Math.min(length, pos + chunk.getTotalSize());
    while (pos >= 0 && pos < end) {
      in.seek(pos);
      PageHeader h;
      try {
        h = Util.readPageHeader(in);
      } catch (IOException e) {
        return null; // not a page header: the reader's damaged-page handling takes it
      }
      int claimed = h.getUncompressed_page_size();
      if (claimed < 0 || claimed > MAX_PAGE_BYTES) {
        return "a page of column "
            + chunk.getPath().toDotString()
            + " at byte "
            + pos
            + " claims "
            + claimed
            + " bytes uncompressed, more than the "
            + MAX_PAGE_BYTES
            + " an ingest decompresses per page";
      }
      if (h.getCompressed_page_size() < 0) {
        return null;
      }
      pos = in.getPos() + h.getCompressed_page_size();
    }
    return null;
  }
}
