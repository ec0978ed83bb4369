package org.synthweave.ingest.telemetry;

import java.security.PrivateKey;
import java.util.Base64;

/**
 * The device side of reading signatures: signs the canonical encoding ({@link
 * CanonicalReadingEncoding}) of a reading with an Ed25519 private key. Used by the sample generator
 * and the tests; real devices do the same in their firmware. Thread-safe.
 */
public final class TelemetrySigner {
  private final PrivateKey privateKey;

  /** A signer for an Ed25519 private key. */
  public TelemetrySigner(PrivateKey privateKey) {
    if (privateKey == null || !"EdDSA".equals(privateKey.getAlgorithm())) {
      throw new IllegalArgumentException(
          "privateKey must be an Ed25519 key, got "
              + (privateKey == null ? "null" : privateKey.getAlgorithm()));
    }
    this.privateKey = privateKey;
  }

  /** A signer for the key derived from a 32-byte RFC 8032 seed. */
  public static TelemetrySigner fromSeed(byte[] seed) {
    return new TelemetrySigner(Ed25519Keys.privateKeyFromSeed(seed));
  }

  /** The standard padded base64 Ed25519 signature of the reading's canonical encoding. */
  public String sign(TypedReading reading) {
    return Base64.getEncoder()
        .encodeToString(Ed25519Keys.sign(privateKey, CanonicalReadingEncoding.encode(reading)));
  }

  /** The reading with its signature set (any previous signature replaced). */
  public TypedReading signed(TypedReading reading) {
    return reading.withSignature(sign(reading));
  }
}
