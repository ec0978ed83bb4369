package org.synthweave.arweave.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.synthweave.arweave.ArweaveException;
import org.synthweave.arweave.TestWallets;
import org.synthweave.arweave.crypto.Base64Url;
import org.synthweave.arweave.crypto.Bytes;
import org.synthweave.arweave.wallet.Wallet;

class TransactionTest {
  static String fakeOwner() {
    byte[] owner = new byte[512];
    for (int i = 0; i < owner.length; i++) {
      owner[i] = (byte) i;
    }
    return Base64Url.encode(owner);
  }

  @Test
  void v2SignatureDataVector() {
    Transaction tx =
        Transaction.builder()
            .owner(fakeOwner())
            .lastTx("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
            .reward("12345")
            .tag("Content-Type", "text/plain")
            .tag("App-Name", "x")
            .data("hello world".getBytes(StandardCharsets.UTF_8))
            .build();
    assertEquals("J3gOIuOz81boq6eHMs4yF84fMSh0yvrKFqOcnXQML90", tx.dataRoot());
    assertEquals(11, tx.dataSize());
    assertEquals(
        "ff523ce5a987559ff983405373472b638619248ea922e8b9aa8119d0d600a41232e569a464adfb49db425aced9909c47",
        Bytes.hex(tx.signatureData()));
  }

  @Test
  void transferVector() {
    byte[] target = new byte[32];
    for (int i = 0; i < 32; i++) {
      target[i] = (byte) (i % 7);
    }
    Transaction tx =
        Transaction.builder()
            .owner(fakeOwner())
            .target(Base64Url.encode(target))
            .quantity("1000000000000")
            .reward("0")
            .build();
    assertEquals(
        "c53e7cae479baa25b210337e9ee8ffad885bf97d78b73a2b1bf694b7b561b6999aa795e944426ceeb945db28e60653d7",
        Bytes.hex(tx.signatureData()));
  }

  @Test
  void signVerifyJsonRoundTripAndTamperDetection() {
    Wallet w = TestWallets.first();
    Transaction tx =
        Transaction.builder()
            .reward("42")
            .tag("App-Name", "synthweave")
            .data("payload".getBytes(StandardCharsets.UTF_8))
            .build()
            .sign(w);
    assertTrue(tx.verify());
    assertEquals(w.address(), tx.ownerAddress());
    Transaction back = Transaction.fromJson(tx.toJson());
    assertEquals(tx.id(), back.id());
    assertTrue(back.verify());
    assertEquals(List.of(Tag.of("App-Name", "synthweave")), back.tags());

    Transaction otherReward = tx.toBuilder().reward("43").build();
    assertFalse(otherReward.verify(), "changing a signed field must break the signature");
    Transaction otherData = tx.toBuilder().data("payloaD".getBytes(StandardCharsets.UTF_8)).build();
    assertFalse(otherData.verify());
    Transaction header = tx.toBuilder().withoutData().build();
    assertTrue(header.verify(), "dropping inline data keeps the signature valid");
    assertEquals(tx.id(), header.id());
  }

  @Test
  void fromJsonRejectsIdThatIsNotTheSignatureHash() {
    Transaction tx = Transaction.builder().build().sign(TestWallets.first());
    String json = tx.toJson().replace(tx.id(), "A" + tx.id().substring(1));
    ArweaveException e = assertThrows(ArweaveException.class, () -> Transaction.fromJson(json));
    assertTrue(e.getMessage().contains("SHA-256 of the signature"), e.getMessage());
  }

  @Test
  void limitsAreCheckedWithClearMessages() {
    Transaction.Builder b = Transaction.builder().owner(fakeOwner());
    b.tag("k", "v".repeat(2047));
    TxLimits.check(b.build(), 100);
    b.tag("x", "");
    ArweaveException e = assertThrows(ArweaveException.class, () -> TxLimits.check(b.build(), 100));
    assertTrue(e.getMessage().contains("2049 bytes"), e.getMessage());

    List<Tag> many = new ArrayList<>();
    for (int i = 0; i < 2049; i++) {
      many.add(Tag.of("", ""));
    }
    Transaction tooMany = Transaction.builder().tags(many).build();
    e = assertThrows(ArweaveException.class, () -> TxLimits.check(tooMany, 100));
    assertTrue(e.getMessage().contains("2049 tags"), e.getMessage());

    e =
        assertThrows(
            ArweaveException.class,
            () -> TxLimits.check(Transaction.builder().build(), TxLimits.MAX_BODY_BYTES + 1L));
    assertTrue(e.getMessage().contains("15 MiB"), e.getMessage());

    Transaction longAnchor = Transaction.builder().lastTx(Base64Url.encode(new byte[49])).build();
    e = assertThrows(ArweaveException.class, () -> TxLimits.check(longAnchor, 100));
    assertTrue(e.getMessage().contains("last_tx"), e.getMessage());
  }

  @Test
  void builderNamesBadArguments() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Transaction.builder().reward("-1"));
    assertTrue(e.getMessage().contains("winston"), e.getMessage());
  }
}
