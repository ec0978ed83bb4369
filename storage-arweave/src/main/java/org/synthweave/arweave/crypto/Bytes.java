package org.synthweave.arweave.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/** Conversions between integers and the fixed-width big/little-endian fields of the protocol. */
public final class Bytes {
  private Bytes() {}

  /** Unsigned big-endian bytes of {@code value} without the sign byte, minimal length. */
  public static byte[] unsigned(BigInteger value) {
    byte[] raw = value.toByteArray();
    if (raw.length > 1 && raw[0] == 0) {
      return Arrays.copyOfRange(raw, 1, raw.length);
    }
    return raw;
  }

  /** Unsigned big-endian bytes of {@code value}, left-padded with zeros to {@code width}. */
  public static byte[] unsigned(BigInteger value, int width) {
    byte[] minimal = unsigned(value);
    if (minimal.length > width) {
      throw new IllegalArgumentException(
          "value needs " + minimal.length + " bytes but the field holds " + width);
    }
    byte[] out = new byte[width];
    System.arraycopy(minimal, 0, out, width - minimal.length, minimal.length);
    return out;
  }

  /** The 32-byte big-endian "note" merkle proofs use for byte offsets. */
  public static byte[] note(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("note must be non-negative, got " + value);
    }
    byte[] out = new byte[32];
    for (int i = 0; i < 8; i++) {
      out[31 - i] = (byte) (value >>> (8 * i));
    }
    return out;
  }

  /** Reads a 32-byte big-endian note; fails if it does not fit a non-negative long. */
  public static long readNote(byte[] buf, int offset) {
    for (int i = 0; i < 24; i++) {
      if (buf[offset + i] != 0) {
        throw new IllegalArgumentException("offset note exceeds 2^63");
      }
    }
    long v = 0;
    for (int i = 24; i < 32; i++) {
      v = (v << 8) | (buf[offset + i] & 0xff);
    }
    if (v < 0) {
      throw new IllegalArgumentException("offset note exceeds 2^63");
    }
    return v;
  }

  /** Little-endian {@code value} in {@code width} bytes (ANS-104 length and count fields). */
  public static byte[] littleEndian(long value, int width) {
    byte[] out = new byte[width];
    for (int i = 0; i < Math.min(8, width); i++) {
      out[i] = (byte) (value >>> (8 * i));
    }
    return out;
  }

  /** Reads a little-endian field; fails if it does not fit a non-negative long. */
  public static long readLittleEndian(byte[] buf, int offset, int width) {
    for (int i = 8; i < width; i++) {
      if (buf[offset + i] != 0) {
        throw new IllegalArgumentException("little-endian field exceeds 2^63");
      }
    }
    long v = 0;
    for (int i = Math.min(8, width) - 1; i >= 0; i--) {
      v = (v << 8) | (buf[offset + i] & 0xff);
    }
    if (v < 0) {
      throw new IllegalArgumentException("little-endian field exceeds 2^63");
    }
    return v;
  }

  public static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }
}
