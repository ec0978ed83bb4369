package org.synthweave.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.synthweave.core.ContentIds;

class MerkleRootTest {
  private static String h(String s) {
    return ContentIds.sha256Hex(s);
  }

  @Test
  void threeFilesGiveTheGoldenRoot() {
    // Computed independently (Python hashlib): leaves SHA256(0x00‖SHA256(x)) for x = a, b, c;
    // root = SHA256(0x01 ‖ SHA256(0x01 ‖ la ‖ lb) ‖ lc), the odd leaf c promoted.
    assertEquals(
        "cac3d448d4e20a2ad5eae1f500e63c2a7f9217cd14572ba7fd22e26dc1ec2648",
        MerkleRoot.ofHex(List.of(h("a"), h("b"), h("c"))));
  }

  @Test
  void oneFileIsItsLeafAndNoFilesTheEmptyHash() {
    assertEquals(
        "a23bd5b06da9048238a65b3f1d9d0b9e15fae3dde262688e6489aa4c763d1820",
        MerkleRoot.ofHex(List.of(h("a"))));
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        MerkleRoot.ofHex(List.of()));
  }

  @Test
  void orderMatters() {
    assertNotEquals(
        MerkleRoot.ofHex(List.of(h("a"), h("b"))), MerkleRoot.ofHex(List.of(h("b"), h("a"))));
  }
}
