package org.synthweave.arweave.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.synthweave.arweave.ArweaveException;
import org.synthweave.arweave.SeedReporter;
import org.synthweave.arweave.crypto.Base64Url;
import org.synthweave.arweave.crypto.Hashes;

class MerkleTreeTest {
  static byte[] mod251(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i % 251);
    }
    return b;
  }

  /** Reference §10: data_root, chunk ranges and proof lengths for i % 251 data. */
  @ParameterizedTest
  @CsvSource({
    "1, Ht_yZhXGBDUZfLv4OD6we7FkrjcpDpGPwQZEZgEJVfk, 1, 64",
    "32768, a582yS2PyuWZpQmfA1j57OoWUALuzzSEuNeJvZXiC6U, 32768, 64",
    "262144, gty7KB2baLFp7OGxuV2wBeX3NippS1tNVlMOZryIq5o, 262144, 160",
    "262145, kJKkN6QWAcUM_WQUxeNXnnwKy0fp7myUNNob6XNlOPA, 131073:262145, 160:160",
    "294912, qk73Qz9Ymp1tr4dzJw_hTDS1VoVwBeLLNwkytN1sBYY, 262144:294912, 160:160",
    "614400, N_gS_f6fPYsmpog4LZJLEwgKVekMLOLMrdCXsi2Z_oc, 262144:524288:614400, 256:256:160",
    "1048576, TC33LkX2IUcxXUtMWUkcA-4lhuheDxub6pgtOVoXP68, 262144:524288:786432:1048576,"
        + " 352:352:352:352"
  })
  void dataRootVectors(int size, String root, String ends, String proofLengths) {
    byte[] data = mod251(size);
    MerkleTree tree = MerkleTree.build(data);
    assertEquals(root, Base64Url.encode(tree.dataRoot()));
    long[] wantEnds = Arrays.stream(ends.split(":")).mapToLong(Long::parseLong).toArray();
    int[] wantProof = Arrays.stream(proofLengths.split(":")).mapToInt(Integer::parseInt).toArray();
    assertEquals(wantEnds.length, tree.chunkCount());
    for (int i = 0; i < tree.chunkCount(); i++) {
      assertEquals(wantEnds[i], tree.chunkEnd(i), "end of chunk " + i);
      byte[] path = tree.dataPath(i);
      assertEquals(wantProof[i], path.length, "proof length of chunk " + i);
      byte[] chunk = Arrays.copyOfRange(data, (int) tree.chunkStart(i), (int) tree.chunkEnd(i));
      DataPath.Range r =
          DataPath.validate(tree.dataRoot(), size, tree.chunkEnd(i) - 1, path, chunk);
      assertEquals(tree.chunkStart(i), r.start());
      assertEquals(tree.chunkEnd(i), r.end());
    }
    assertArrayEquals(Hashes.sha256(data), tree.sha256());
  }

  @Test
  void chunkHashesAndProofFor600KiB() {
    MerkleTree tree = MerkleTree.build(mod251(614400));
    assertEquals("MaH53qAWlVEJLQXov0pEYijIw-tMm3E8Zq3Lf9U8ib4", Base64Url.encode(tree.dataHash(0)));
    assertEquals("4xvcY1d_529kQQFKqqIibZ_84RtE0NUQyt4TK3n9fXY", Base64Url.encode(tree.dataHash(1)));
    assertEquals("gaUHRnQWdI2vIzwWQeA_BZHsIY4P9IeuuZkKD-JNQV8", Base64Url.encode(tree.dataHash(2)));
    assertEquals(
        "cMQemMMots_NMLjYx5-Nh2u7sAnmsn4a8EwIHJvnBCFlaOwll345DzdVx27pkT7yteubtbfqrs-C5KHkeSi7QgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACAAAgaUHRnQWdI2vIzwWQeA_BZHsIY4P9IeuuZkKD-JNQV8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlgAA",
        Base64Url.encode(tree.dataPath(2)));
  }

  @Test
  void emptyDataHasNoRootAndNoChunks() {
    MerkleTree tree = MerkleTree.build(new byte[0]);
    assertEquals(0, tree.dataRoot().length);
    assertEquals(0, tree.chunkCount());
  }

  @Test
  void proofRejectsTamperedChunkWrongOffsetAndFlippedPathBits() {
    byte[] data = mod251(614400);
    MerkleTree tree = MerkleTree.build(data);
    byte[] chunk1 = Arrays.copyOfRange(data, 262144, 524288);
    byte[] path1 = tree.dataPath(1);
    byte[] root = tree.dataRoot();
    DataPath.validate(root, data.length, 262144, path1, chunk1);
    byte[] bad = chunk1.clone();
    bad[1000] ^= 1;
    assertThrows(
        ArweaveException.class, () -> DataPath.validate(root, data.length, 262144, path1, bad));
    assertThrows(
        ArweaveException.class, () -> DataPath.validate(root, data.length, 10, path1, chunk1));
    for (int bit : new int[] {0, 40 * 8, 90 * 8 + 7, 100 * 8, path1.length * 8 - 1}) {
      byte[] p = path1.clone();
      p[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThrows(
          ArweaveException.class,
          () -> DataPath.validate(root, data.length, 262144, p, chunk1),
          "flipped bit " + bit);
    }
  }

  /** Streaming from a file gives the same tree as in memory, for random sizes. */
  @Test
  void fileAndMemoryAgreeOnRandomSizes(@TempDir Path dir) throws IOException {
    long seed = SeedReporter.seed();
    SeedReporter.run(
        seed,
        () -> {
          Random rnd = new Random(seed);
          for (int round = 0; round < 12; round++) {
            int size =
                rnd.nextBoolean()
                    ? rnd.nextInt(3 * MerkleTree.MAX_CHUNK_SIZE)
                    : rnd.nextInt(6) * MerkleTree.MAX_CHUNK_SIZE + rnd.nextInt(3) - 1;
            size = Math.max(size, 1);
            byte[] data = new byte[size];
            rnd.nextBytes(data);
            Path f = dir.resolve("d" + round);
            Files.write(f, data);
            MerkleTree mem = MerkleTree.build(data);
            MerkleTree file;
            try (DataSource src = DataSource.open(f)) {
              file = MerkleTree.build(src);
            }
            assertArrayEquals(mem.dataRoot(), file.dataRoot(), "size " + size);
            long covered = 0;
            for (int i = 0; i < file.chunkCount(); i++) {
              int len = file.chunkLength(i);
              assertEquals(covered, file.chunkStart(i));
              covered += len;
              if (i < file.chunkCount() - 1) {
                assertEquals(true, len >= MerkleTree.MIN_CHUNK_SIZE, "chunk " + i + " of " + size);
              }
              byte[] chunk =
                  Arrays.copyOfRange(data, (int) file.chunkStart(i), (int) file.chunkEnd(i));
              long offset = file.chunkStart(i) + rnd.nextInt(len);
              DataPath.validate(file.dataRoot(), size, offset, file.dataPath(i), chunk);
            }
            assertEquals(size, covered);
          }
        });
  }
}
