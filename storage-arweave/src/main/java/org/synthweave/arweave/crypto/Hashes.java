package org.synthweave.arweave.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 and SHA-384 without the checked exception that every JDK has these algorithms for. */
public final class Hashes {
  private Hashes() {}

  public static MessageDigest sha256() {
    return digest("SHA-256");
  }

  public static MessageDigest sha384() {
    return digest("SHA-384");
  }

  public static byte[] sha256(byte[]... parts) {
    MessageDigest md = sha256();
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  public static byte[] sha384(byte[]... parts) {
    MessageDigest md = sha384();
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK must provide " + name, e);
    }
  }
}
