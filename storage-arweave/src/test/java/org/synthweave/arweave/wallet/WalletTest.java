package org.synthweave.arweave.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.ArweaveException;
import org.synthweave.arweave.TestWallets;
import org.synthweave.arweave.crypto.Base64Url;
import org.synthweave.arweave.crypto.Hashes;

class WalletTest {
  @Test
  void ownerAndAddress() {
    Wallet w = TestWallets.first();
    assertEquals(512, w.owner().length);
    assertEquals(43, w.address().length());
    assertEquals(Base64Url.encode(Hashes.sha256(w.owner())), w.address());
  }

  @Test
  void saveIsOwnerOnlyAndLoadsBack(@TempDir Path dir) throws Exception {
    Wallet w = TestWallets.first();
    Path key = dir.resolve("wallet.json");
    w.save(key);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    Wallet back = Wallet.load(key);
    assertEquals(w.address(), back.address());
    assertArrayEquals(w.owner(), back.owner());
    ArweaveException e = assertThrows(ArweaveException.class, () -> w.save(key));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }

  @Test
  void refusesKeyReadableByOthers(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("wallet.json");
    TestWallets.first().save(key);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    ArweaveException e = assertThrows(ArweaveException.class, () -> Wallet.load(key));
    assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    assertThrows(ArweaveException.class, () -> Wallet.load(key));
  }

  @Test
  void toStringNeverShowsTheKey() {
    Wallet w = TestWallets.first();
    String s = w.toString();
    assertTrue(s.contains(w.address()));
    String jwk = w.toJwk();
    String d = jwk.replaceAll(".*\"d\":\"([^\"]+)\".*", "$1");
    assertFalse(s.contains(d.substring(0, 20)));
    assertFalse(s.contains(w.ownerB64().substring(0, 20)));
  }

  @Test
  void signaturesVerifyAgainstTheOwner() {
    Wallet w = TestWallets.first();
    byte[] msg = Hashes.sha384("m".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] sig = w.sign(msg);
    assertEquals(512, sig.length);
    assertTrue(org.synthweave.arweave.crypto.RsaPss.verify(w.owner(), msg, sig));
    assertFalse(
        org.synthweave.arweave.crypto.RsaPss.verify(TestWallets.second().owner(), msg, sig));
  }

  @Test
  void rejectsBrokenJwk() {
    ArweaveException e =
        assertThrows(
            ArweaveException.class, () -> Wallet.fromJwk("{\"kty\":\"RSA\",\"n\":\"AQAB\"}"));
    assertTrue(e.getMessage().contains("\"e\" is missing"), e.getMessage());
  }
}
