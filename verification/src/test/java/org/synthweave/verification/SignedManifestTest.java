package org.synthweave.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.synthweave.core.SynthweaveException;
import org.synthweave.verification.VerificationReport.Kind;

/** A manifest read from bytes alone, as the market reads a listing. */
class SignedManifestTest {
  private static RSAPrivateCrtKey key;

  @BeforeAll
  static void generateKey() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), new SecureRandom());
    key = (RSAPrivateCrtKey) gen.generateKeyPair().getPrivate();
  }

  private static DatasetManifest manifest() {
    return DatasetManifest.create(
            "silver_wine",
            "0",
            0,
            "{\"type\":\"struct\",\"fields\":[]}",
            List.of(
                new DatasetManifest.FileEntry("data/part-00000.parquet", 100, "ab".repeat(32), 7),
                new DatasetManifest.FileEntry("data/part-00001.parquet", 90, "cd".repeat(32), 5)),
            new DatasetManifest.Provenance("silver/wine", 0, "cafe", "dev", "2026-11-25T00:00Z"),
            Map.of())
        .withCertificate(CertificateSamples.certificate(15.0, false))
        .sign(key);
  }

  @Test
  void aSignedManifestReadsWithItsSignerAndCertificate() {
    SignedManifest s =
        SignedManifest.read(manifest().toJson().getBytes(StandardCharsets.UTF_8), "tx/manifest");
    assertTrue(s.ok(), s.problems().toString());
    assertEquals(manifest().signature().address(), s.signer());
    assertNotNull(s.certificate());
    assertEquals(12, s.manifest().rows());
  }

  @Test
  void anEditedManifestOrCertificateIsAProblemNotAnException() {
    String json = manifest().toJson();
    SignedManifest rows =
        SignedManifest.read(
            json.replace("\"rows\" : 12", "\"rows\" : 13").getBytes(StandardCharsets.UTF_8), "t");
    assertTrue(
        rows.problems().stream().anyMatch(p -> p.kind() == Kind.BAD_SIGNATURE), rows.toString());
    assertTrue(
        rows.problems().stream().anyMatch(p -> p.kind() == Kind.ROW_COUNT_MISMATCH),
        rows.toString());
    SignedManifest cert =
        SignedManifest.read(
            json.replace("\"passed\" : true", "\"passed\" : false")
                .getBytes(StandardCharsets.UTF_8),
            "t");
    assertTrue(!cert.ok(), cert.toString());
  }

  @Test
  void bytesThatAreNoManifestAreRefused() {
    for (String bad :
        List.of("{\"format\": \"synthweave-dataset-manifest/1\", \"files\": [", "[]", "null", "")) {
      assertThrows(
          SynthweaveException.class,
          () -> SignedManifest.read(bad.getBytes(StandardCharsets.UTF_8), "t"),
          bad);
    }
  }
}
