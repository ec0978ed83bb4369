package org.synthweave.arweave.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.synthweave.arweave.ArweaveException;
import org.synthweave.arweave.TestWallets;
import org.synthweave.arweave.crypto.Bytes;
import org.synthweave.arweave.tx.Tag;

class DataItemTest {
  static final List<Tag> TAGS =
      List.of(Tag.of("Content-Type", "text/plain"), Tag.of("App-Name", "x"));
  static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

  static byte[] fakeOwner() {
    byte[] o = new byte[512];
    for (int i = 0; i < o.length; i++) {
      o[i] = (byte) i;
    }
    return o;
  }

  @Test
  void avroTagsVector() {
    byte[] avro = AvroTags.encode(TAGS);
    assertEquals(
        "0418436f6e74656e742d5479706514746578742f706c61696e104170702d4e616d65027800",
        Bytes.hex(avro));
    assertEquals(TAGS, AvroTags.decode(avro));
    assertEquals(0, AvroTags.encode(List.of()).length);
  }

  @Test
  void bytesAfterOwnerVector() {
    byte[] avro = AvroTags.encode(TAGS);
    assertEquals(
        "0000" + "0200000000000000" + "2500000000000000" + Bytes.hex(avro) + "68656c6c6f",
        Bytes.hex(DataItem.afterOwner(new byte[0], new byte[0], 2, avro, HELLO)));
  }

  @Test
  void signatureDataVectors() {
    byte[] avro = AvroTags.encode(TAGS);
    assertEquals(
        "b5e5d1531d40eaeec71ac91c22ece4070d61ac5502f84fe640595848a9f5b103bb800ff9f028ed5ed75605567667b4fd",
        Bytes.hex(DataItem.signatureData(fakeOwner(), new byte[0], new byte[0], avro, HELLO)));
    byte[] target = new byte[32];
    for (int i = 0; i < 32; i++) {
      target[i] = (byte) (i % 7);
    }
    byte[] anchor = "abcdefghijklmnopqrstuvwxyz012345".getBytes(StandardCharsets.US_ASCII);
    assertEquals(
        "adcd8f9ca0ce31cf4b5c71aa800fd0315627f680e801d46f362ad369a28f0a14c297ac122a18d2bf78bfc91d7c0ce653",
        Bytes.hex(DataItem.signatureData(fakeOwner(), target, anchor, avro, HELLO)));
  }

  @Test
  void signParseVerifyAndTamper() {
    DataItem item = DataItem.sign(TestWallets.first(), HELLO, TAGS);
    assertTrue(item.verify());
    DataItem back = DataItem.parse(item.bytes());
    assertEquals(item.id(), back.id());
    assertEquals(TAGS, back.tags());
    assertArrayEquals(HELLO, back.data());
    byte[] raw = item.bytes();
    raw[raw.length - 1] ^= 1;
    assertThrows(ArweaveException.class, () -> DataItem.parse(raw));
  }

  @Test
  void tagRulesAreChecked() {
    ArweaveException e =
        assertThrows(
            ArweaveException.class,
            () -> DataItem.sign(TestWallets.first(), HELLO, List.of(Tag.of("Empty", ""))));
    assertTrue(e.getMessage().contains("values 1..3072"), e.getMessage());
    assertFalse(e.getMessage().isEmpty());
  }

  @Test
  void bundleLayout() {
    DataItem a = DataItem.sign(TestWallets.first(), HELLO, TAGS);
    DataItem b = DataItem.sign(TestWallets.first(), new byte[] {1, 2, 3}, List.of());
    byte[] bundle = Bundle.toBytes(List.of(a, b));
    assertEquals(2, Bytes.readLittleEndian(bundle, 0, 32));
    assertEquals(a.length(), Bytes.readLittleEndian(bundle, 32, 32));
    assertArrayEquals(a.idBytes(), java.util.Arrays.copyOfRange(bundle, 64, 96));
    assertEquals(b.length(), Bytes.readLittleEndian(bundle, 96, 32));
    assertEquals(32 + 2 * 64 + a.length() + b.length(), bundle.length);
  }

  @Test
  void bundleParsesBackToItsItemsAndRefusesTampering() {
    List<DataItem> items =
        List.of(
            DataItem.sign(TestWallets.first(), HELLO, TAGS),
            DataItem.sign(TestWallets.first(), new byte[0], List.of()),
            DataItem.sign(TestWallets.first(), new byte[70_000], TAGS));
    byte[] bundle = Bundle.toBytes(items);
    List<DataItem> back = Bundle.parse(bundle);
    assertEquals(3, back.size());
    for (int i = 0; i < items.size(); i++) {
      assertEquals(items.get(i).id(), back.get(i).id());
      assertArrayEquals(items.get(i).data(), back.get(i).data());
      assertEquals(items.get(i).tags(), back.get(i).tags());
    }
    byte[] flipped = bundle.clone();
    flipped[flipped.length - 1] ^= 1; // last byte of the last item's data
    assertThrows(ArweaveException.class, () -> Bundle.parse(flipped));
    byte[] longer = java.util.Arrays.copyOf(bundle, bundle.length + 1);
    assertThrows(ArweaveException.class, () -> Bundle.parse(longer));
    byte[] shorter = java.util.Arrays.copyOf(bundle, bundle.length - 1);
    assertThrows(ArweaveException.class, () -> Bundle.parse(shorter));
    assertThrows(ArweaveException.class, () -> Bundle.parse(new byte[10]));
  }
}
