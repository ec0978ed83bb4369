package org.synthweave.arweave.chunk;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Random-access bytes to upload: a file read with positional reads (safe from many threads), or an
 * array for small in-memory payloads such as manifests and bundles.
 */
public interface DataSource extends AutoCloseable {
  /** Total number of bytes. */
  long size();

  /** Fills {@code dst} completely with the bytes starting at {@code position}. */
  void readFully(long position, byte[] dst) throws IOException;

  /** A short description (file path or "memory") for error messages. */
  String description();

  @Override
  void close() throws IOException;

  static DataSource of(byte[] data) {
    if (data == null) {
      throw new IllegalArgumentException("data must not be null");
    }
    return new DataSource() {
      @Override
      public long size() {
        return data.length;
      }

      @Override
      public void readFully(long position, byte[] dst) {
        System.arraycopy(data, Math.toIntExact(position), dst, 0, dst.length);
      }

      @Override
      public String description() {
        return "memory (" + data.length + " bytes)";
      }

      @Override
      public void close() {}
    };
  }

  /** Opens {@code file} for reading; the caller closes the source. */
  static DataSource open(Path file) throws IOException {
    if (file == null) {
      throw new IllegalArgumentException("file must not be null");
    }
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    long size = ch.size();
    return new DataSource() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public void readFully(long position, byte[] dst) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(dst);
        long pos = position;
        while (buf.hasRemaining()) {
          int n = ch.read(buf, pos);
          if (n < 0) {
            throw new EOFException(
                file + " ended at byte " + pos + " while reading " + dst.length + " bytes");
          }
          pos += n;
        }
      }

      @Override
      public String description() {
        return file.toString();
      }

      @Override
      public void close() throws IOException {
        ch.close();
      }
    };
  }

  /** Reads {@code length} bytes at {@code position}, wrapping I/O failures. */
  default byte[] read(long position, int length) {
    byte[] out = new byte[length];
    try {
      readFully(position, out);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + description() + " at " + position, e);
    }
    return out;
  }
}
