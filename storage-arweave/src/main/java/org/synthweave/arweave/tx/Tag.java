package org.synthweave.arweave.tx;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A name/value tag of a transaction or data item. Kept as raw bytes because signatures cover the
 * bytes, and a third-party tag need not be valid UTF-8.
 */
public final class Tag {
  private final byte[] name;
  private final byte[] value;

  private Tag(byte[] name, byte[] value) {
    this.name = name;
    this.value = value;
  }

  /** A tag from UTF-8 text. */
  public static Tag of(String name, String value) {
    if (name == null) {
      throw new IllegalArgumentException("name must not be null");
    }
    if (value == null) {
      throw new IllegalArgumentException("value must not be null (tag " + name + ")");
    }
    return new Tag(name.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  /** A tag from raw bytes. */
  public static Tag ofBytes(byte[] name, byte[] value) {
    if (name == null || value == null) {
      throw new IllegalArgumentException("name and value must not be null");
    }
    return new Tag(name.clone(), value.clone());
  }

  public String name() {
    return new String(name, StandardCharsets.UTF_8);
  }

  public String value() {
    return new String(value, StandardCharsets.UTF_8);
  }

  public byte[] nameBytes() {
    return name.clone();
  }

  public byte[] valueBytes() {
    return value.clone();
  }

  int byteLength() {
    return name.length + value.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tag
        && Arrays.equals(name, ((Tag) o).name)
        && Arrays.equals(value, ((Tag) o).value);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(name) + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return name() + "=" + value();
  }
}
