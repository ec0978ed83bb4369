package org.synthweave.verification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.synthweave.core.ContentIds;
import org.synthweave.verification.checks.Check;

/** The certificate's JSON form: it reads back as written, and its signed bytes do not drift. */
class CertificateTest {
  private static RSAPrivateCrtKey key;

  @BeforeAll
  static void generateKey() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), new SecureRandom());
    key = (RSAPrivateCrtKey) gen.generateKeyPair().getPrivate();
  }

  @Test
  void aSignedCertificateRoundTripsAndVerifies() {
    Certificate c = CertificateSamples.certificate(14.83, false).sign(key);
    assertTrue(c.passed());
    Certificate read = Certificate.fromJson(c.toJson());
    assertEquals(c, read);
    assertEquals(c.toJson(), read.toJson());
    assertTrue(read.signature().verifies(read.canonicalBytes()));
    assertEquals(7, read.checks().get(0).results().size());
    assertNull(read.provenance().gitCommit());
  }

  @Test
  void aFailingCheckMakesItNotPassedAndIsListed() {
    Certificate c = CertificateSamples.certificate(15.2, true);
    assertFalse(c.passed());
    assertTrue(c.allowFailedChecks());
    assertEquals(1, c.failures().size());
    assertEquals("max", c.failures().get(0).metric());
    assertEquals(15.2, c.failures().get(0).value());
  }

  @Test
  void declaredChecksBuildTheSameChecksAgain() {
    for (Check c : CertificateSamples.CHECKS) {
      assertEquals(c, Certificate.Declared.of(c).toCheck().orElseThrow(), c.toString());
    }
    Check open = new Check.Range("x", Double.NaN, 3);
    assertEquals(open, Certificate.Declared.of(open).toCheck().orElseThrow());
    Check rows = new Check.Rows(5, Long.MAX_VALUE);
    assertNull(Certificate.Declared.of(rows).max(), "no upper bound is written as null");
    assertEquals(rows, Certificate.Declared.of(rows).toCheck().orElseThrow());
    assertTrue(
        new Certificate.Declared("recall", "", null, null, null, null).toCheck().isEmpty(),
        "a kind that is not a data check is kept by name and not rebuilt");
  }

  @Test
  void canonicalBytesAreSortedCompactAndStable() {
    // Maps filled in another order give the same bytes.
    Map<String, Long> seeds = new LinkedHashMap<>();
    seeds.put("synth.seed", 42L);
    seeds.put("augment.seed", 7L);
    Map<String, Long> reversed = new LinkedHashMap<>();
    reversed.put("augment.seed", 7L);
    reversed.put("synth.seed", 42L);
    byte[] a = small(seeds).canonicalBytes();
    assertArrayEquals(a, small(reversed).canonicalBytes());
    // The exact bytes: a change here changes what every published certificate's signature covers.
    assertEquals(
        "{\"allow_failed_checks\":false,\"checks\":[{\"checked_at\":\"2026-12-05T16:00:00Z\","
            + "\"dataset\":\"wine\",\"declared\":[{\"column\":\"\",\"kind\":\"rows\",\"max\":1000.0,"
            + "\"min\":100.0,\"type\":null,\"values\":null}],\"passed\":true,\"results\":[{\"actual\":"
            + "null,\"check\":\"rows\",\"column\":\"\",\"metric\":\"count\",\"pass\":true,"
            + "\"threshold\":\"in [100, 1000]\",\"value\":178.0}],\"table\":\"silver/wine\","
            + "\"table_version\":0}],\"format\":\"synthweave-certificate/1\",\"passed\":true,"
            + "\"provenance\":{\"augment\":[],\"code_version\":\"dev\",\"config_hash\":\"cafe\","
            + "\"git_commit\":null,\"models\":[],\"seeds\":{\"augment.seed\":7,\"synth.seed\":42},"
            + "\"tables\":[{\"basis\":\"exported\",\"role\":\"exported\",\"table\":\"silver/wine\","
            + "\"version\":0}]},\"synthetic\":null}",
        new String(a, StandardCharsets.UTF_8));
    // Signing does not change what is signed, and the bytes survive a JSON round trip.
    Certificate signed = small(seeds).sign(key);
    assertArrayEquals(a, signed.canonicalBytes());
    assertArrayEquals(a, Certificate.fromJson(signed.toJson()).canonicalBytes());
    assertEquals(ContentIds.sha256Hex(a), ContentIds.sha256Hex(signed.canonicalBytes()));
  }

  @Test
  void anUpstreamNamesTheCommitThatReadItAndOldOnesReadWithout() {
    Certificate.Upstream recorded =
        new Certificate.Upstream(
            "real", "silver/wine", 3L, Certificate.Upstream.RECORDED, 1L, "run-7");
    String json =
        new String(
            ManifestJson.canonicalWithoutSignature(ManifestJson.MAPPER.valueToTree(recorded)),
            StandardCharsets.UTF_8);
    assertEquals(
        "{\"basis\":\"recorded\",\"commit\":1,\"role\":\"real\",\"run_id\":\"run-7\","
            + "\"table\":\"silver/wine\",\"version\":3}",
        json);
    // A certificate from before commits were recorded: the members are absent, not null.
    Certificate.Upstream old =
        Certificate.fromJson(
                CertificateSamples.certificate(14.83, false)
                    .toJson()
                    .replace("\"basis\" : \"exported\"", "\"basis\" : \"latest-at-commit\""))
            .provenance()
            .tables()
            .get(0);
    assertEquals(Certificate.Upstream.LATEST_AT_COMMIT, old.basis());
    assertNull(old.commit());
    assertNull(old.runId());
    assertFalse(
        CertificateSamples.certificate(14.83, false).toJson().contains("\"commit\""),
        "an upstream without a commit writes no member for it");
  }

  private static Certificate small(Map<String, Long> seeds) {
    List<Check> checks = List.of(new Check.Rows(100, 1000));
    Certificate.CheckSet set =
        Certificate.CheckSet.of(
            "wine",
            "silver/wine",
            0,
            "2026-12-05T16:00:00Z",
            checks,
            checks.get(0).evaluate(CertificateSamples.wine(14.83)));
    Certificate.Lineage l = CertificateSamples.lineage();
    return Certificate.of(
        List.of(set),
        false,
        null,
        new Certificate.Lineage(
            l.tables(), l.models(), l.augment(), l.configHash(), l.codeVersion(), null, seeds));
  }
}
