package org.synthweave.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.verification.VerificationReport.Kind;
import org.synthweave.verification.VerificationReport.Problem;

/**
 * A dataset folder whose manifest carries a signed certificate and whose quality.json holds the
 * certified checks, then edited the ways a seller might edit it to look better.
 */
class CertificateVerifierTest {
  private static final long SEED = 0xCE47L;
  private static RSAPrivateCrtKey key;
  private static RSAPrivateCrtKey otherKey;

  @BeforeAll
  static void generateKeys() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), new SecureRandom());
    key = (RSAPrivateCrtKey) gen.generateKeyPair().getPrivate();
    otherKey = (RSAPrivateCrtKey) gen.generateKeyPair().getPrivate();
  }

  private static DatasetManifest publish(Path dir, Certificate c, RSAPrivateCrtKey signer)
      throws Exception {
    Files.createDirectories(dir.resolve("data"));
    byte[] b = new byte[2000];
    new Random(SEED).nextBytes(b);
    Files.write(dir.resolve("data/part-00000.parquet"), b);
    DatasetManifest m =
        DatasetManifest.create(
                "silver_wine",
                "0",
                0,
                "{\"type\":\"struct\",\"fields\":[]}",
                List.of(DatasetManifest.FileEntry.describe(dir, "data/part-00000.parquet", 178)),
                new DatasetManifest.Provenance(
                    "silver/wine", 0, "cafe", "dev", "2026-12-05T16:00:00Z"),
                null)
            .withCertificate(c)
            .sign(signer);
    m.writeTo(dir);
    Certificate.CheckSet s = c.checks().get(0);
    new QualityReport(
            s.dataset(), s.table(), s.tableVersion(), s.checkedAt(), s.passed(), s.results())
        .writeTo(dir);
    return m;
  }

  private static DatasetManifest publish(Path dir) throws Exception {
    return publish(dir, CertificateSamples.certificate(14.83, false), key);
  }

  /** Rewrites manifest.json after {@code edit} changed its certificate member. */
  private static void editCertificate(Path dir, Consumer<ObjectNode> edit) throws Exception {
    Path file = dir.resolve(DatasetManifest.FILE_NAME);
    ObjectNode tree = (ObjectNode) ManifestJson.MAPPER.readTree(file.toFile());
    edit.accept((ObjectNode) tree.get("certificate"));
    Files.writeString(
        file,
        ManifestJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree),
        StandardCharsets.UTF_8);
  }

  private static ObjectNode result(ObjectNode cert, int i) {
    return (ObjectNode) cert.get("checks").get(0).get("results").get(i);
  }

  private static List<Kind> kinds(VerificationReport r) {
    return r.problems().stream().map(Problem::kind).toList();
  }

  private static String detail(VerificationReport r, Kind kind) {
    return r.problems().stream()
        .filter(p -> p.kind() == kind)
        .map(Problem::detail)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in " + r.problems()));
  }

  @Test
  void anIntactCertificateVerifiesWithQualityJsonBesideIt(@TempDir Path dir) throws Exception {
    publish(dir);
    VerificationReport r = ManifestVerifier.verify(dir);
    assertTrue(r.ok(), r.problems().toString());
    assertNotNull(r.certificate());
    assertEquals(7, r.certificate().checks().get(0).results().size());
    assertEquals(DatasetManifest.readFrom(dir).certificate(), r.certificate());
  }

  @Test
  void aManifestWithoutCertificateStillVerifies(@TempDir Path dir) throws Exception {
    DatasetManifest m = publish(dir);
    m.withCertificate(null).sign(key).writeTo(dir);
    Files.delete(dir.resolve(QualityReport.FILE_NAME));
    VerificationReport r = ManifestVerifier.verify(dir);
    assertTrue(r.ok(), r.problems().toString());
    assertNull(r.certificate());
  }

  @Test
  void anEditedCheckValueIsNamedWithBothValues(@TempDir Path dir) throws Exception {
    publish(dir);
    // range(alcohol) max is result 5 (rows, columns, complete, unique, range min, range max, ...).
    editCertificate(dir, c -> result(c, 5).put("value", 14.5));
    VerificationReport r = ManifestVerifier.verify(dir);
    assertEquals(
        List.of(Kind.BAD_SIGNATURE, Kind.CERTIFICATE_TAMPERED, Kind.QUALITY_MISMATCH),
        kinds(r),
        r.problems().toString());
    assertTrue(detail(r, Kind.CERTIFICATE_TAMPERED).contains("changed after signing"));
    assertEquals(
        "check range(alcohol) max: the certificate says 14.5 (needs <= 15, pass), quality.json"
            + " says 14.83 (needs <= 15, pass)",
        detail(r, Kind.QUALITY_MISMATCH));
  }

  @Test
  void passedTrueBesideAFailingCheckIsNamed(@TempDir Path dir) throws Exception {
    publish(dir, CertificateSamples.certificate(15.2, true), key);
    assertTrue(ManifestVerifier.verify(dir).ok(), "published with --allow-failed-checks");
    editCertificate(
        dir,
        c -> {
          c.put("passed", true);
          ((ObjectNode) c.get("checks").get(0)).put("passed", true);
        });
    VerificationReport r = ManifestVerifier.verify(dir);
    assertEquals(
        List.of(
            Kind.BAD_SIGNATURE,
            Kind.CERTIFICATE_TAMPERED,
            Kind.CERTIFICATE_INCONSISTENT,
            Kind.CERTIFICATE_INCONSISTENT),
        kinds(r),
        r.problems().toString());
    assertTrue(
        r.problems().stream()
            .anyMatch(
                p ->
                    p.detail()
                        .equals(
                            "the certificate says passed = true but 1 check(s) fail: range(alcohol)"
                                + " max = 15.2 (needs <= 15, fail)")),
        r.problems().toString());
  }

  @Test
  void aForgerWhoResignsEverythingStillCannotHideAFailingCheck(@TempDir Path dir) throws Exception {
    // A certificate that claims passed and no --allow-failed-checks over a failing check, signed
    // consistently (by the forger's own key): the signatures hold, the contradiction does not.
    Certificate honest = CertificateSamples.certificate(15.2, true);
    Certificate forged =
        new Certificate(
            honest.format(),
            true,
            false,
            honest.checks(),
            honest.synthetic(),
            honest.provenance(),
            null);
    publish(dir, forged, otherKey);
    VerificationReport r = ManifestVerifier.verify(dir);
    assertEquals(
        List.of(Kind.CERTIFICATE_INCONSISTENT, Kind.CERTIFICATE_INCONSISTENT),
        kinds(r),
        r.problems().toString());
    assertTrue(
        r.problems().get(1).detail().startsWith("checks fail but allow_failed_checks is false"),
        r.problems().toString());
  }

  @Test
  void aRemovedCheckIsNamed(@TempDir Path dir) throws Exception {
    publish(dir);
    editCertificate(dir, c -> ((ArrayNode) c.get("checks").get(0).get("results")).remove(2));
    VerificationReport r = ManifestVerifier.verify(dir);
    assertEquals(
        List.of(Kind.BAD_SIGNATURE, Kind.CERTIFICATE_TAMPERED, Kind.QUALITY_MISMATCH),
        kinds(r),
        r.problems().toString());
    assertEquals(
        "check complete(alcohol) completeness is not in the certificate",
        detail(r, Kind.QUALITY_MISMATCH));
  }

  @Test
  void editedProvenanceIsTampering(@TempDir Path dir) throws Exception {
    publish(dir);
    editCertificate(
        dir,
        c -> ((ObjectNode) c.get("provenance").get("tables").get(0)).put("table", "silver/other"));
    assertEquals(
        List.of(Kind.BAD_SIGNATURE, Kind.CERTIFICATE_TAMPERED),
        kinds(ManifestVerifier.verify(dir)));
  }

  @Test
  void aCertificateOfAnotherKeyIsTampering(@TempDir Path dir) throws Exception {
    DatasetManifest m = publish(dir);
    Certificate theirs = CertificateSamples.certificate(14.83, false).sign(otherKey);
    // Placed in the manifest and the manifest signed again by the right key, but not the
    // certificate.
    DatasetManifest swapped = m.withCertificate(theirs);
    swapped.withSignature(ManifestSignature.sign(swapped.canonicalBytes(), key)).writeTo(dir);
    VerificationReport r = ManifestVerifier.verify(dir);
    assertEquals(List.of(Kind.CERTIFICATE_TAMPERED), kinds(r), r.problems().toString());
    assertTrue(detail(r, Kind.CERTIFICATE_TAMPERED).endsWith("it was taken from another dataset"));
  }

  @Test
  void anEditedQualityJsonAloneIsAMismatch(@TempDir Path dir) throws Exception {
    publish(dir);
    Path q = dir.resolve(QualityReport.FILE_NAME);
    Files.writeString(
        q,
        Files.readString(q, StandardCharsets.UTF_8).replace("178.0", "179.0"),
        StandardCharsets.UTF_8);
    VerificationReport r = ManifestVerifier.verify(dir);
    assertTrue(kinds(r).stream().allMatch(k -> k == Kind.QUALITY_MISMATCH), r.toString());
    assertTrue(detail(r, Kind.QUALITY_MISMATCH).startsWith("check rows count: the certificate"));
  }

  @Test
  void recomputedValuesAreComparedExactlyForCountsAndWithToleranceOtherwise() {
    Certificate.CheckSet set = CertificateSamples.set(14.83);
    var checks = CertificateSamples.CHECKS;
    var same =
        checks.stream()
            .flatMap(c -> c.evaluate(CertificateSamples.wine(14.83 + 1e-12)).stream())
            .toList();
    assertEquals(List.of(), CertificateVerifier.compareRecomputed(set, same));
    var off =
        checks.stream().flatMap(c -> c.evaluate(CertificateSamples.wine(14.9)).stream()).toList();
    List<Problem> p = CertificateVerifier.compareRecomputed(set, off);
    assertEquals(1, p.size(), p.toString());
    assertEquals(
        "wine: range(alcohol) max certified 14.83 (needs <= 15, pass), the files give 14.9 (needs"
            + " <= 15, pass) (differs by more than 1.0E-9 relative)",
        p.get(0).detail());
  }

  @Test
  void aCertificateThatIsNoObjectMakesTheManifestMalformed(@TempDir Path dir) throws Exception {
    publish(dir);
    Path file = dir.resolve(DatasetManifest.FILE_NAME);
    ObjectNode tree = (ObjectNode) ManifestJson.MAPPER.readTree(file.toFile());
    tree.put("certificate", "trust me");
    Files.writeString(file, tree.toString(), StandardCharsets.UTF_8);
    VerificationReport r = ManifestVerifier.verify(dir);
    assertEquals(List.of(Kind.MALFORMED_MANIFEST), kinds(r), r.toString());
    assertTrue(r.problems().get(0).detail().contains("Certificate"), r.toString());
  }
}
