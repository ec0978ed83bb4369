package org.synthweave.arweave.upload;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.BitSet;
import org.synthweave.arweave.ArweaveErrors;

/**
 * The append-only record of an upload's confirmed chunks, next to its {@link UploadState} file: one
 * line with the chunk index, forced to disk, as soon as the gateway has accepted that chunk. A
 * process killed at any moment leaves every chunk it saw accepted in the log (at worst a last line
 * cut short, which is ignored: that chunk is sent again), so a resumed upload re-sends none of
 * them. Appending a line costs one small write, where rewriting the state file costs a whole file
 * and a rename per chunk. Written through a stream, not an NIO channel: an interrupted chunk worker
 * would close a channel for all the others, and their accepted chunks would go unrecorded.
 */
final class ChunkLog implements AutoCloseable {
  private final Path file;
  private final FileOutputStream out;

  private ChunkLog(Path file, FileOutputStream out) {
    this.file = file;
    this.out = out;
  }

  /** The log that belongs to {@code stateFile}. */
  static Path of(Path stateFile) {
    return stateFile.resolveSibling(stateFile.getFileName() + ".chunks");
  }

  /** Opens the log of {@code stateFile} for appending, creating it if missing. */
  static ChunkLog open(Path stateFile) {
    Path file = of(stateFile);
    try {
      return new ChunkLog(file, new FileOutputStream(file.toFile(), true));
    } catch (IOException e) {
      throw ArweaveErrors.stateUnwritable(file, e);
    }
  }

  /** Deletes the log of {@code stateFile}, if any, before a new upload takes that state file. */
  static void discard(Path stateFile) {
    Path file = of(stateFile);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw ArweaveErrors.stateUnwritable(file, e);
    }
  }

  /** Records {@code chunk} as accepted, durably, before returning. */
  synchronized void append(int chunk) {
    try {
      out.write((chunk + "\n").getBytes(StandardCharsets.US_ASCII));
      out.getFD().sync();
    } catch (IOException e) {
      throw ArweaveErrors.stateUnwritable(file, e);
    }
  }

  /**
   * Adds the chunks recorded in the log of {@code stateFile} (if any) to {@code confirmed}. A last
   * line without its newline was cut short by a crash and is skipped; any other line that is not a
   * chunk index below {@code chunkCount} means the log is not ours.
   */
  static void readInto(Path stateFile, int chunkCount, BitSet confirmed) {
    Path file = of(stateFile);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw ArweaveErrors.stateUnreadable(file, e);
    }
    int start = 0;
    for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      String line = text.substring(start, nl);
      start = nl + 1;
      int chunk;
      try {
        chunk = Integer.parseInt(line);
      } catch (NumberFormatException e) {
        throw ArweaveErrors.stateMismatch(file, "its line \"" + line + "\" is not a chunk index");
      }
      if (chunk < 0 || chunk >= chunkCount) {
        throw ArweaveErrors.stateMismatch(
            file, "it records chunk " + chunk + " of an upload of " + chunkCount + " chunks");
      }
      confirmed.set(chunk);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw ArweaveErrors.stateUnwritable(file, e);
    }
  }
}
