package org.synthweave.verification;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.synthweave.core.ContentIds;

/**
 * The signature block of a manifest: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (what
 * Arweave wallets use) over the canonical manifest bytes. {@code owner} is the signer's RSA modulus
 * as unpadded base64url, exactly an Arweave wallet's owner field, so the signer's address is
 * base64url(SHA-256(owner)); the public exponent is always 65537.
 *
 * @param scheme always {@link #SCHEME}
 * @param owner the RSA modulus, unpadded base64url of its unsigned big-endian bytes
 * @param signature the signature, unpadded base64url
 */
public record ManifestSignature(
    @JsonProperty("scheme") String scheme,
    @JsonProperty("owner") String owner,
    @JsonProperty("signature") String signature) {

  /** The only scheme this version writes and accepts. */
  public static final String SCHEME = "rsa-pss-sha256-salt32";

  private static final int SALT = 32;
  private static final BigInteger PUBLIC_EXPONENT = BigInteger.valueOf(65537);

  /** Signs {@code message} with {@code key}; the owner is the key's modulus. */
  public static ManifestSignature sign(byte[] message, RSAPrivateCrtKey key) {
    if (message == null || key == null) {
      throw new IllegalArgumentException("message and key must not be null");
    }
    if (!PUBLIC_EXPONENT.equals(key.getPublicExponent())) {
      throw new IllegalArgumentException(
          "key must have public exponent 65537, got " + key.getPublicExponent());
    }
    try {
      Signature s = pss();
      s.initSign(key);
      s.update(message);
      return new ManifestSignature(SCHEME, b64(unsigned(key.getModulus())), b64(s.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSASSA-PSS signing failed: " + e.getMessage(), e);
    }
  }

  /** Whether this block is a valid signature over {@code message}; never throws on bad input. */
  public boolean verifies(byte[] message) {
    if (!SCHEME.equals(scheme) || owner == null || signature == null || message == null) {
      return false;
    }
    try {
      Base64.Decoder d = Base64.getUrlDecoder();
      PublicKey pub =
          KeyFactory.getInstance("RSA")
              .generatePublic(
                  new RSAPublicKeySpec(new BigInteger(1, d.decode(owner)), PUBLIC_EXPONENT));
      Signature s = pss();
      s.initVerify(pub);
      s.update(message);
      return s.verify(d.decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The signer's Arweave address: base64url SHA-256 of the owner bytes; null if malformed. */
  @JsonIgnore
  public String address() {
    try {
      return b64(ContentIds.sha256().digest(Base64.getUrlDecoder().decode(owner)));
    } catch (IllegalArgumentException | NullPointerException e) {
      return null;
    }
  }

  private static Signature pss() throws GeneralSecurityException {
    Signature s = Signature.getInstance("RSASSA-PSS");
    s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, SALT, 1));
    return s;
  }

  private static byte[] unsigned(BigInteger n) {
    byte[] b = n.toByteArray();
    return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
