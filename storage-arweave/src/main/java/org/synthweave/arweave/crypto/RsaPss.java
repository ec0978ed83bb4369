package org.synthweave.arweave.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPublicKeySpec;

/**
 * RSASSA-PSS with SHA-256 as Arweave uses it. We sign with salt 32 (what the node and web wallets
 * do); verification tries 32 and then 478, because arweave-js on Node signs with the maximum salt
 * and the JDK cannot detect the salt length by itself.
 */
public final class RsaPss {
  /** Salt length used by Arweave nodes and by this client when signing. */
  public static final int SALT_NODE = 32;

  /** Salt length arweave-js uses under Node (the maximum for a 4096-bit key). */
  public static final int SALT_NODE_JS = 478;

  private static final BigInteger PUBLIC_EXPONENT = BigInteger.valueOf(65537);

  private RsaPss() {}

  public static byte[] sign(PrivateKey key, byte[] message) {
    try {
      Signature s = signature(SALT_NODE);
      s.initSign(key);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSASSA-PSS signing failed: " + e.getMessage(), e);
    }
  }

  /** Verifies {@code signature} over {@code message} by the owner (raw modulus bytes). */
  public static boolean verify(byte[] owner, byte[] message, byte[] signature) {
    PublicKey key = publicKey(owner);
    for (int salt : new int[] {SALT_NODE, SALT_NODE_JS}) {
      try {
        Signature s = signature(salt);
        s.initVerify(key);
        s.update(message);
        if (s.verify(signature)) {
          return true;
        }
      } catch (GeneralSecurityException e) {
        // A malformed signature for this salt length is just "not valid"; try the next one.
      }
    }
    return false;
  }

  public static PublicKey publicKey(byte[] owner) {
    try {
      return KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(new BigInteger(1, owner), PUBLIC_EXPONENT));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("owner is not a valid RSA modulus: " + e.getMessage(), e);
    }
  }

  private static Signature signature(int salt) throws GeneralSecurityException {
    Signature s = Signature.getInstance("RSASSA-PSS");
    s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, salt, 1));
    return s;
  }
}
