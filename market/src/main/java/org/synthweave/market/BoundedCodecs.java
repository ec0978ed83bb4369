package org.synthweave.market;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * parquet-hadoop's codecs with a limit on what a page may claim: a page header states how many
 * bytes its data decompresses to, and the decompressor allocates that much before it reads a byte,
 * so one forged header of an untrusted file would make the reader allocate 2 GiB. Each claim is
 * checked against {@link #maxPageBytes} and a running total against {@link #maxTotalBytes} before
 * the inner codec sees it; a claim over either fails the read with {@link ClaimTooLarge}.
 *
 * <p>One instance per file read: the total is the read's.
 */
final class BoundedCodecs implements CompressionCodecFactory {
  /** A page's decompressed size over a limit: the file is refused, nothing was allocated. */
  static final class ClaimTooLarge extends IOException {
    ClaimTooLarge(String message) {
      super(message);
    }
  }

  private final CompressionCodecFactory inner;
  private final int maxPageBytes;
  private final long maxTotalBytes;
  private long total;

  BoundedCodecs(CompressionCodecFactory inner, int maxPageBytes, long maxTotalBytes) {
    if (maxPageBytes <= 0 || maxTotalBytes < maxPageBytes) {
      throw new IllegalArgumentException(
          "need 0 < maxPageBytes <= maxTotalBytes, got " + maxPageBytes + " and " + maxTotalBytes);
    }
    this.inner = inner;
    this.maxPageBytes = maxPageBytes;
    this.maxTotalBytes = maxTotalBytes;
  }

  /** Bytes the pages decompressed so far claimed, in all. */
  synchronized long total() {
    return total;
  }

  private synchronized void claim(int bytes) throws ClaimTooLarge {
    if (bytes < 0 || bytes > maxPageBytes) {
      throw new ClaimTooLarge(
          "a page claims "
              + bytes
              + " bytes uncompressed, more than the "
              + maxPageBytes
              + " a preview decompresses per page");
    }
    if (total + bytes > maxTotalBytes) {
      throw new ClaimTooLarge(
          "the pages read claim "
              + (total + bytes)
              + " bytes uncompressed in all, more than the "
              + maxTotalBytes
              + " a preview decompresses");
    }
    total += bytes;
  }

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    throw new UnsupportedOperationException("a preview only reads");
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    BytesInputDecompressor d = inner.getDecompressor(codec);
    return new BytesInputDecompressor() {
      @Override
      public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
        claim(uncompressedSize);
        return d.decompress(bytes, uncompressedSize);
      }

      @Override
      public void decompress(
          ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
          throws IOException {
        claim(decompressedSize);
        d.decompress(input, compressedSize, output, decompressedSize);
      }

      @Override
      public void release() {
        d.release();
      }
    };
  }

  @Override
  public void release() {
    inner.release();
  }
}
