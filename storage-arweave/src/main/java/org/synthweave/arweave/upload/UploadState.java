package org.synthweave.arweave.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import org.synthweave.arweave.ArweaveErrors;

/**
 * What an upload has achieved, persisted as JSON: the signed transaction, whether the gateway
 * accepted it, and the confirmed chunk indexes (stored as ranges to stay small for files with many
 * thousands of chunks). For data of one chunk or less the transaction carries the data inline and
 * the chunk count is 0; otherwise it carries none and the data goes as chunks. Writes go to a
 * temporary file that is then renamed over the old one, so a crash leaves either the old or the new
 * state, never a torn one. Chunks accepted during an upload are appended, one forced line each, to
 * the state's {@link ChunkLog} ({@code <state file>.chunks}), which {@link #load} adds in.
 */
public final class UploadState {
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String txId;
  private final String dataRoot;
  private final long dataSize;
  private final int chunkCount;
  private final String headerJson;
  private boolean headerPosted;
  private final BitSet confirmed;

  UploadState(
      String txId,
      String dataRoot,
      long dataSize,
      int chunkCount,
      String headerJson,
      boolean headerPosted,
      BitSet confirmed) {
    this.txId = txId;
    this.dataRoot = dataRoot;
    this.dataSize = dataSize;
    this.chunkCount = chunkCount;
    this.headerJson = headerJson;
    this.headerPosted = headerPosted;
    this.confirmed = confirmed;
  }

  /** Reads the state file written by an earlier run. */
  public static UploadState load(Path file) {
    try {
      JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      if (n.path("version").asInt() != VERSION) {
        throw ArweaveErrors.stateMismatch(file, "unsupported version " + n.path("version"));
      }
      BitSet confirmed = new BitSet();
      for (JsonNode r : n.path("confirmed_chunks")) {
        confirmed.set(r.get(0).asInt(), r.get(1).asInt() + 1);
      }
      ChunkLog.readInto(file, n.path("chunk_count").asInt(), confirmed);
      return new UploadState(
          n.path("tx_id").asText(),
          n.path("data_root").asText(),
          n.path("data_size").asLong(),
          n.path("chunk_count").asInt(),
          n.path("header").toString(),
          n.path("header_posted").asBoolean(),
          confirmed);
    } catch (IOException | RuntimeException e) {
      if (e instanceof org.synthweave.arweave.ArweaveException) {
        throw (org.synthweave.arweave.ArweaveException) e;
      }
      throw ArweaveErrors.stateUnreadable(file, e);
    }
  }

  /** Writes the state atomically (temp file, fsync, rename). */
  public synchronized void save(Path file) {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", VERSION);
    o.put("tx_id", txId);
    o.put("data_root", dataRoot);
    o.put("data_size", dataSize);
    o.put("chunk_count", chunkCount);
    o.put("header_posted", headerPosted);
    ArrayNode ranges = o.putArray("confirmed_chunks");
    for (int i = confirmed.nextSetBit(0); i >= 0; ) {
      int end = confirmed.nextClearBit(i);
      ranges.addArray().add(i).add(end - 1);
      i = confirmed.nextSetBit(end);
    }
    try {
      o.set("header", JSON.readTree(headerJson));
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(o.toString().getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw ArweaveErrors.stateUnwritable(file, e);
    }
  }

  public String txId() {
    return txId;
  }

  public String dataRoot() {
    return dataRoot;
  }

  public long dataSize() {
    return dataSize;
  }

  /** Chunks to upload after the header; 0 when the data is inline in the transaction. */
  public int chunkCount() {
    return chunkCount;
  }

  /** The signed transaction as posted to {@code /tx}: inline data, or none when chunked. */
  public String headerJson() {
    return headerJson;
  }

  public synchronized boolean headerPosted() {
    return headerPosted;
  }

  synchronized void markHeaderPosted() {
    headerPosted = true;
  }

  public synchronized boolean isConfirmed(int chunk) {
    return confirmed.get(chunk);
  }

  public synchronized int confirmedCount() {
    return confirmed.cardinality();
  }

  /** A copy of the confirmed chunk indexes. */
  public synchronized BitSet confirmedChunks() {
    return (BitSet) confirmed.clone();
  }

  synchronized void confirm(int chunk) {
    confirmed.set(chunk);
  }
}
