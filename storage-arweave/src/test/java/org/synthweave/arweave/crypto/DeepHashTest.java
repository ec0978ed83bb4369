package org.synthweave.arweave.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeepHashTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void blobVector() {
    assertEquals(
        "33ab2407a6c328c0bc1bbe5971f49af5c1908985f83c3d2bd89a9e221dd8b068dc61ce968ba3f9ab12d5361ba3944382",
        Bytes.hex(DeepHash.hash(utf8("hello"))));
  }

  @Test
  void emptyListVector() {
    assertEquals(
        "a69e7d37fdc7f040a9ec16aae84de24fab4a653dac4de0bd247e36bab9fe45d9289c5a04a893c95285812f5cefc9707a",
        Bytes.hex(DeepHash.hash(List.of())));
  }

  @Test
  void nestedVector() {
    assertEquals(
        "3ed238e6c19e557ab973d0e1e0a716cbe53e6c3d4fcbcd6e59484d1a3b0899a6eee29ca2ba41d098359772b1ebdb6420",
        Bytes.hex(
            DeepHash.hash(List.of(utf8("hello"), List.of(utf8("a"), utf8("b")), new byte[0]))));
  }

  @Test
  void rejectsOtherTypes() {
    assertThrows(IllegalArgumentException.class, () -> DeepHash.hash("a string"));
  }
}
