package org.synthweave.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content-hash identifiers. A record's id is the lower-case hex SHA-256 of its canonical bytes, so
 * the same content gets the same id on every machine and every rerun (idempotent merges by id).
 */
public final class ContentIds {
  private ContentIds() {}

  /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code text}. */
  public static String sha256Hex(String text) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256Hex(byte[] bytes) {
    if (bytes == null) {
      throw new IllegalArgumentException("bytes must not be null");
    }
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /** A fresh SHA-256 digest; every JDK has one, so absence is a broken runtime. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256 MessageDigest", e);
    }
  }
}
