package org.synthweave.ingest.telemetry;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Ed25519 key handling with the JDK's own provider (JDK 15+), so that no crypto library has to be
 * shipped to executors. Devices publish raw 32-byte public keys (RFC 8032) most of the time, and
 * X.509 SubjectPublicKeyInfo when they come from standard tooling; both are accepted.
 */
public final class Ed25519Keys {
  /** Length of a raw public key, a private key seed, in bytes. */
  public static final int KEY_BYTES = 32;

  /** Length of an Ed25519 signature in bytes. */
  public static final int SIGNATURE_BYTES = 64;

  /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (OID 1.3.101.112); key follows. */
  private static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private Ed25519Keys() {}

  /**
   * The private key for a 32-byte RFC 8032 seed, as every Ed25519 library (libsodium, Go, Node,
   * Python cryptography) derives it, so test keys give the same signatures everywhere.
   */
  public static PrivateKey privateKeyFromSeed(byte[] seed) {
    checkSeed(seed);
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed.clone()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot build Ed25519 private keys", e);
    }
  }

  /**
   * The public key for a 32-byte seed. JDK 17 has no public API to derive it from a private key, so
   * the key pair generator is fed the seed as its only "random" bytes; it hashes the seed exactly
   * as RFC 8032 section 5.1.5 says, which the tests check against an independent implementation.
   */
  public static PublicKey publicKeyFromSeed(byte[] seed) {
    checkSeed(seed);
    byte[] copy = seed.clone();
    SecureRandom fixed =
        new SecureRandom() {
          private static final long serialVersionUID = 1L;

          @Override
          public void nextBytes(byte[] bytes) {
            if (bytes.length != KEY_BYTES) {
              throw new IllegalStateException("unexpected request for " + bytes.length + " bytes");
            }
            System.arraycopy(copy, 0, bytes, 0, KEY_BYTES);
          }
        };
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, fixed);
      return generator.generateKeyPair().getPublic();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate Ed25519 keys", e);
    }
  }

  /** The raw 32-byte form of an Ed25519 public key. */
  public static byte[] rawPublicKey(PublicKey key) {
    byte[] der = key.getEncoded();
    if (der.length != X509_PREFIX.length + KEY_BYTES
        || !Arrays.equals(der, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
      throw new IllegalArgumentException("key is not an Ed25519 public key: " + key.getAlgorithm());
    }
    return Arrays.copyOfRange(der, X509_PREFIX.length, der.length);
  }

  /**
   * Decodes a public key from standard base64 of either the raw 32 bytes or the 44-byte X.509
   * encoding; throws IllegalArgumentException saying which form was expected.
   */
  public static PublicKey decodePublicKey(String base64) {
    if (base64 == null) {
      throw new IllegalArgumentException("public key must not be null");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("public key is not valid base64", e);
    }
    byte[] der;
    if (bytes.length == KEY_BYTES) {
      der = new byte[X509_PREFIX.length + KEY_BYTES];
      System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
      System.arraycopy(bytes, 0, der, X509_PREFIX.length, KEY_BYTES);
    } else if (bytes.length == X509_PREFIX.length + KEY_BYTES
        && Arrays.equals(bytes, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
      der = bytes;
    } else {
      throw new IllegalArgumentException(
          "public key decodes to "
              + bytes.length
              + " bytes; expected a raw 32-byte Ed25519 key or its 44-byte X.509 encoding");
    }
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException("public key is not a valid Ed25519 point", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot decode Ed25519 keys", e);
    }
  }

  /** Signs {@code message}; Ed25519 is deterministic, so equal inputs give equal signatures. */
  public static byte[] sign(PrivateKey key, byte[] message) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(key);
      signer.update(message);
      return signer.sign();
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("key is not an Ed25519 private key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /**
   * True if {@code signature} is a valid Ed25519 signature of {@code message} under {@code key}.
   */
  public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    if (signature.length != SIGNATURE_BYTES) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (SignatureException e) {
      // The JDK throws instead of returning false for some malformed signatures (e.g. S >= L).
      return false;
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("key is not an Ed25519 public key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 verification failed to run", e);
    }
  }

  private static void checkSeed(byte[] seed) {
    if (seed == null || seed.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "seed must be 32 bytes, got " + (seed == null ? "null" : seed.length + " bytes"));
    }
  }
}
