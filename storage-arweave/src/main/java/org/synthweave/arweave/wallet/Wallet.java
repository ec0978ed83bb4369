package org.synthweave.arweave.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.EnumSet;
import java.util.Set;
import org.synthweave.arweave.ArweaveErrors;
import org.synthweave.arweave.crypto.Base64Url;
import org.synthweave.arweave.crypto.Bytes;
import org.synthweave.arweave.crypto.Hashes;
import org.synthweave.arweave.crypto.RsaPss;

/**
 * An Arweave wallet: an RSA-4096 private key with its {@link #owner()} (the 512-byte modulus) and
 * {@link #address()} (base64url SHA-256 of the owner). {@link #toString()} shows only the address.
 */
public final class Wallet {
  /** Modulus size of Arweave keys. */
  public static final int KEY_BITS = 4096;

  /** Length in bytes of the owner field (the raw modulus). */
  public static final int OWNER_BYTES = KEY_BITS / 8;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<PosixFilePermission> NOT_FOR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  private final RSAPrivateCrtKey key;
  private final byte[] owner;
  private final String address;

  private Wallet(RSAPrivateCrtKey key) {
    if (key.getModulus().bitLength() != KEY_BITS) {
      throw new IllegalArgumentException(
          "key must be RSA-" + KEY_BITS + ", got " + key.getModulus().bitLength() + " bits");
    }
    this.key = key;
    this.owner = Bytes.unsigned(key.getModulus(), OWNER_BYTES);
    this.address = Base64Url.encode(Hashes.sha256(owner));
  }

  /** Generates a fresh RSA-4096 key with exponent 65537 (takes about a second). */
  public static Wallet generate(SecureRandom random) {
    if (random == null) {
      throw new IllegalArgumentException("random must not be null");
    }
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(new RSAKeyGenParameterSpec(KEY_BITS, RSAKeyGenParameterSpec.F4), random);
      return new Wallet((RSAPrivateCrtKey) gen.generateKeyPair().getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK must support RSA key generation", e);
    }
  }

  /**
   * Loads a JWK key file, refusing it when group or others may read or write it: a key that other
   * accounts can read must be treated as leaked.
   */
  public static Wallet load(Path path) {
    if (path == null) {
      throw new IllegalArgumentException("path must not be null");
    }
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : perms) {
          if (NOT_FOR_OTHERS.contains(p)) {
            open.add(p);
          }
        }
        if (!open.isEmpty()) {
          throw ArweaveErrors.keyFileTooOpen(path, PosixFilePermissions.toString(perms));
        }
      }
      return fromJwk(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    } catch (IOException e) {
      throw ArweaveErrors.keyFileUnreadable(path, e);
    }
  }

  /** Parses a JWK JSON document as written by arweave-js or {@link #save(Path)}. */
  public static Wallet fromJwk(String jwkJson) {
    return fromJwk(jwkJson, "JWK");
  }

  private static Wallet fromJwk(String jwkJson, String source) {
    if (jwkJson == null) {
      throw new IllegalArgumentException("jwkJson must not be null");
    }
    try {
      JsonNode n = JSON.readTree(jwkJson);
      if (n == null || !"RSA".equals(n.path("kty").asText())) {
        throw ArweaveErrors.badJwk(source, "kty is not \"RSA\"", null);
      }
      RSAPrivateCrtKeySpec spec =
          new RSAPrivateCrtKeySpec(
              big(n, "n", source),
              big(n, "e", source),
              big(n, "d", source),
              big(n, "p", source),
              big(n, "q", source),
              big(n, "dp", source),
              big(n, "dq", source),
              big(n, "qi", source));
      return new Wallet((RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(spec));
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      if (e instanceof org.synthweave.arweave.ArweaveException) {
        throw (org.synthweave.arweave.ArweaveException) e;
      }
      throw ArweaveErrors.badJwk(source, e.getMessage(), e);
    }
  }

  private static BigInteger big(JsonNode jwk, String field, String source) {
    JsonNode v = jwk.get(field);
    if (v == null || !v.isTextual()) {
      throw ArweaveErrors.badJwk(source, "field \"" + field + "\" is missing", null);
    }
    return new BigInteger(1, Base64Url.decode(v.asText(), "jwk." + field));
  }

  /**
   * Writes the key as JWK with permissions 0600. Refuses to overwrite an existing file, since that
   * would destroy a key that may hold funds.
   */
  public void save(Path path) {
    if (path == null) {
      throw new IllegalArgumentException("path must not be null");
    }
    if (Files.exists(path)) {
      throw ArweaveErrors.keyFileExists(path);
    }
    byte[] body = toJwk().getBytes(StandardCharsets.UTF_8);
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            path,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        // The umask cannot add bits, but set them explicitly in case the file system ignored them.
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
      } else {
        Files.createFile(path);
      }
      try (OutputStream out =
          Files.newOutputStream(path, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
        out.write(body);
      }
    } catch (IOException e) {
      throw ArweaveErrors.keyFileUnwritable(path, e);
    }
  }

  /** The private key as JWK JSON. Treat the result as a secret: never log it. */
  public String toJwk() {
    ObjectNode o = JSON.createObjectNode();
    o.put("kty", "RSA");
    o.put("n", Base64Url.encode(owner));
    o.put("e", Base64Url.encode(Bytes.unsigned(key.getPublicExponent())));
    o.put("d", Base64Url.encode(Bytes.unsigned(key.getPrivateExponent())));
    o.put("p", Base64Url.encode(Bytes.unsigned(key.getPrimeP())));
    o.put("q", Base64Url.encode(Bytes.unsigned(key.getPrimeQ())));
    o.put("dp", Base64Url.encode(Bytes.unsigned(key.getPrimeExponentP())));
    o.put("dq", Base64Url.encode(Bytes.unsigned(key.getPrimeExponentQ())));
    o.put("qi", Base64Url.encode(Bytes.unsigned(key.getCrtCoefficient())));
    return o.toString();
  }

  /** The raw 512-byte modulus, as carried in the {@code owner} field. */
  public byte[] owner() {
    return owner.clone();
  }

  /** The owner as unpadded base64url. */
  public String ownerB64() {
    return Base64Url.encode(owner);
  }

  /** The 43-character wallet address. */
  public String address() {
    return address;
  }

  /**
   * The private key, for signing other documents than transactions (e.g. a dataset manifest) with
   * the same identity. Treat it as a secret: never log or serialize it.
   */
  public RSAPrivateCrtKey privateKey() {
    return key;
  }

  /** Signs {@code message} with RSASSA-PSS/SHA-256, salt 32; the result is 512 bytes. */
  public byte[] sign(byte[] message) {
    return RsaPss.sign(key, message);
  }

  @Override
  public String toString() {
    return "Wallet[address=" + address + "]";
  }
}
