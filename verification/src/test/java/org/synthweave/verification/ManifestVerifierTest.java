package org.synthweave.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.verification.VerificationReport.Kind;

/** Signs a small dataset folder, then damages it in the ways a buyer must be told about. */
class ManifestVerifierTest {
  private static final long SEED = 0x5EEDL;
  private static RSAPrivateCrtKey key;

  @BeforeAll
  static void generateKey() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    // 2048 bits keeps the test quick; the scheme is the same as for 4096-bit Arweave wallets.
    gen.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), new SecureRandom());
    key = (RSAPrivateCrtKey) gen.generateKeyPair().getPrivate();
  }

  private static DatasetManifest publish(Path dir) throws Exception {
    Random random = new Random(SEED);
    Files.createDirectories(dir.resolve("data"));
    for (int i = 0; i < 3; i++) {
      byte[] b = new byte[1000 + 500 * i];
      random.nextBytes(b);
      Files.write(dir.resolve("data/part-0000" + i + ".parquet"), b);
    }
    List<DatasetManifest.FileEntry> files =
        List.of(
            DatasetManifest.FileEntry.describe(dir, "data/part-00002.parquet", 30),
            DatasetManifest.FileEntry.describe(dir, "data/part-00000.parquet", 10),
            DatasetManifest.FileEntry.describe(dir, "data/part-00001.parquet", 20));
    DatasetManifest m =
        DatasetManifest.create(
                "silver_wine",
                "0",
                0,
                "{\"type\":\"struct\",\"fields\":[]}",
                files,
                new DatasetManifest.Provenance(
                    "silver/wine", 0, "cafe", "dev", "2026-11-25T00:00Z"),
                Map.of("null_cells", 0L))
            .sign(key);
    m.writeTo(dir);
    return m;
  }

  @Test
  void aSignedCopyVerifiesAndRoundTrips(@TempDir Path dir) throws Exception {
    DatasetManifest m = publish(dir);
    assertEquals(60, m.rows());
    assertEquals("data/part-00000.parquet", m.files().get(0).path(), "files sorted by path");
    VerificationReport r = ManifestVerifier.verify(dir);
    assertTrue(r.ok(), r.problems().toString());
    assertEquals(3, r.filesChecked());
    assertNotNull(r.signer());
    DatasetManifest read = DatasetManifest.readFrom(dir);
    assertEquals(m.toJson(), read.toJson());
    assertTrue(read.signature().verifies(read.canonicalBytes()));
  }

  @Test
  void oneFlippedByteIsReportedWithItsFile(@TempDir Path dir) throws Exception {
    publish(dir);
    Path victim = dir.resolve("data/part-00001.parquet");
    byte[] b = Files.readAllBytes(victim);
    b[b.length / 2] ^= 0x01;
    Files.write(victim, b);

    VerificationReport r = ManifestVerifier.verify(dir);
    assertFalse(r.ok());
    assertEquals(1, r.problems().size(), r.problems().toString());
    assertEquals(Kind.SHA256_MISMATCH, r.problems().get(0).kind());
    assertEquals("data/part-00001.parquet", r.problems().get(0).path());
  }

  @Test
  void missingTruncatedAndExtraFilesAreAllReported(@TempDir Path dir) throws Exception {
    publish(dir);
    Files.delete(dir.resolve("data/part-00000.parquet"));
    Files.write(dir.resolve("data/part-00002.parquet"), new byte[] {1, 2, 3});
    Files.writeString(dir.resolve("data/extra.parquet"), "x", StandardCharsets.UTF_8);

    List<VerificationReport.Problem> p = ManifestVerifier.verify(dir).problems();
    assertTrue(p.contains(problem(p, Kind.MISSING_FILE, "data/part-00000.parquet")), p.toString());
    assertTrue(p.contains(problem(p, Kind.SIZE_MISMATCH, "data/part-00002.parquet")), p.toString());
    assertTrue(p.contains(problem(p, Kind.SHA256_MISMATCH, "data/part-00002.parquet")));
    assertTrue(p.contains(problem(p, Kind.UNEXPECTED_FILE, "data/extra.parquet")), p.toString());
  }

  @Test
  void anEditedManifestFieldBreaksTheSignature(@TempDir Path dir) throws Exception {
    publish(dir);
    Path file = dir.resolve("manifest.json");
    String json = Files.readString(file, StandardCharsets.UTF_8);
    Files.writeString(
        file,
        json.replace("\"source_table\" : \"silver/wine\"", "\"source_table\" : \"silver/x\""));
    assertTrue(!json.equals(Files.readString(file, StandardCharsets.UTF_8)), "edit applied");

    List<VerificationReport.Problem> p = ManifestVerifier.verify(dir).problems();
    assertEquals(List.of(Kind.BAD_SIGNATURE), p.stream().map(x -> x.kind()).toList(), p.toString());
  }

  @Test
  void aConsistentlyEditedFileListBreaksTheRootOrTheSignature(@TempDir Path dir) throws Exception {
    DatasetManifest m = publish(dir);
    // A forger who swaps a file and its hash but cannot re-sign: the signature fails.
    Path victim = dir.resolve("data/part-00000.parquet");
    Files.write(victim, new byte[] {9});
    DatasetManifest.FileEntry forged =
        DatasetManifest.FileEntry.describe(dir, "data/part-00000.parquet", 10);
    List<DatasetManifest.FileEntry> files = List.of(forged, m.files().get(1), m.files().get(2));
    new DatasetManifest(
            m.format(),
            m.dataset(),
            m.version(),
            m.tableVersion(),
            m.schema(),
            m.schemaHash(),
            m.rows(),
            files,
            m.merkleRoot(),
            m.provenance(),
            m.quality(),
            m.certificate(),
            m.signature())
        .writeTo(dir);
    List<Kind> kinds = ManifestVerifier.verify(dir).problems().stream().map(x -> x.kind()).toList();
    assertEquals(List.of(Kind.MERKLE_ROOT_MISMATCH, Kind.BAD_SIGNATURE), kinds);
  }

  @Test
  void anUnsignedManifestIsReported(@TempDir Path dir) throws Exception {
    DatasetManifest m = publish(dir);
    m.withSignature(null).writeTo(dir);
    List<VerificationReport.Problem> p = ManifestVerifier.verify(dir).problems();
    assertEquals(List.of(Kind.UNSIGNED), p.stream().map(x -> x.kind()).toList());
  }

  private static VerificationReport.Problem problem(
      List<VerificationReport.Problem> all, Kind kind, String path) {
    return all.stream()
        .filter(x -> x.kind() == kind && path.equals(x.path()))
        .findFirst()
        .orElse(null);
  }

  // Found by ManifestFuzzTest: each of these escaped verify as an exception, or passed.

  private static VerificationReport verifyEdited(Path dir, String from, String to)
      throws Exception {
    Path file = dir.resolve("manifest.json");
    String json = Files.readString(file, StandardCharsets.UTF_8);
    String edited = json.replaceFirst(from, to);
    assertTrue(!json.equals(edited), "edit applied: " + from);
    Files.writeString(file, edited);
    return ManifestVerifier.verify(dir);
  }

  @Test
  void aNullFilesEntryIsReportedNotThrown(@TempDir Path dir) throws Exception {
    publish(dir);
    VerificationReport r = verifyEdited(dir, "\"files\" : \\[", "\"files\" : [ null,");
    assertTrue(
        r.problems().stream().anyMatch(p -> p.kind() == Kind.MALFORMED_MANIFEST), r.toString());
  }

  @Test
  void aFilePathWithNulOrBackslashIsReportedNotThrown(@TempDir Path dir) throws Exception {
    for (String bad : List.of("data/part-00000.parquet\\\\u0000x", "data\\\\\\\\..\\\\\\\\x")) {
      Path d = dir.resolve(bad.length() + "x");
      publish(d);
      VerificationReport r = verifyEdited(d, "data/part-00000.parquet", bad);
      assertTrue(
          r.problems().stream()
              .anyMatch(p -> p.kind() == Kind.MALFORMED_MANIFEST && p.detail().contains("outside")),
          r.toString());
    }
  }

  @Test
  void aKeyGivenTwiceIsMalformedEvenWithTheSignedValue(@TempDir Path dir) throws Exception {
    publish(dir);
    VerificationReport r =
        verifyEdited(
            dir,
            "\"dataset\" : \"silver_wine\"",
            "\"dataset\" : \"other\", \"dataset\" : \"silver_wine\"");
    assertEquals(
        List.of(Kind.MALFORMED_MANIFEST), r.problems().stream().map(p -> p.kind()).toList());
  }

  @Test
  void aManifestThatIsNoObjectIsReportedNotThrown(@TempDir Path dir) throws Exception {
    // ManifestFuzzTest seed 7440654573450 cut a manifest down to text that bound to null.
    for (String text : List.of("", "   ", "null", "42", "\"manifest\"", "[]")) {
      Path d = dir.resolve("case" + text.length() + text.hashCode());
      publish(d);
      Files.writeString(d.resolve("manifest.json"), text);
      VerificationReport r = ManifestVerifier.verify(d);
      assertEquals(
          List.of(Kind.MALFORMED_MANIFEST),
          r.problems().stream().map(p -> p.kind()).toList(),
          "manifest text '" + text + "': " + r);
    }
  }
}
