package org.synthweave.arweave.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.ArweaveException;

/**
 * The per-chunk log a resumed upload reads: crash leftovers are tolerated, foreign logs are not.
 */
class ChunkLogTest {
  private static UploadState state(int chunks) {
    return new UploadState("id", "root", 1000, chunks, "{}", true, new BitSet());
  }

  @Test
  void appendedChunksAreLoadedWithTheState(@TempDir Path dir) {
    Path file = dir.resolve("state.json");
    UploadState s = state(10);
    s.confirm(0);
    s.save(file);
    try (ChunkLog log = ChunkLog.open(file)) {
      log.append(3);
      log.append(7);
    }
    UploadState back = UploadState.load(file);
    assertEquals(3, back.confirmedCount());
    assertTrue(back.isConfirmed(0) && back.isConfirmed(3) && back.isConfirmed(7));
  }

  @Test
  void aLineCutShortByACrashIsIgnored(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("state.json");
    state(100).save(file);
    Files.writeString(ChunkLog.of(file), "1\n2\n4", StandardCharsets.US_ASCII);
    UploadState back = UploadState.load(file);
    assertEquals(2, back.confirmedCount());
    assertFalse(back.isConfirmed(4), "its line was not complete, so it is sent again");
  }

  @Test
  void aLogThatIsNotOursIsRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("state.json");
    state(5).save(file);
    for (String text : new String[] {"x\n", "5\n", "-1\n", "\n"}) {
      Files.writeString(ChunkLog.of(file), text, StandardCharsets.US_ASCII);
      assertThrows(ArweaveException.class, () -> UploadState.load(file), text);
    }
    ChunkLog.discard(file);
    assertFalse(Files.exists(ChunkLog.of(file)));
    assertEquals(0, UploadState.load(file).confirmedCount());
  }
}
