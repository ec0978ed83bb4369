package org.synthweave.verification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.synthweave.core.ContentIds;
import org.synthweave.verification.VerificationReport.Kind;
import org.synthweave.verification.VerificationReport.Problem;

/**
 * A {@code manifest.json} read from bytes alone, without its dataset folder (as a market reads a
 * listing before anyone downloads the data): what can be checked without the files is checked, that
 * is the publisher's signature, the certificate's own signature and its agreement with itself, the
 * schema hash, and the row total and Merkle root against the file entries the manifest lists.
 *
 * @param manifest the manifest as read
 * @param signer the address of the key that signed it; null when unsigned
 * @param certificate its quality certificate; null when it has none or it cannot be read
 * @param problems what is wrong; empty when the manifest is intact and signed
 */
public record SignedManifest(
    DatasetManifest manifest, String signer, Certificate certificate, List<Problem> problems) {

  public SignedManifest {
    problems = List.copyOf(problems);
  }

  /** Whether nothing is wrong. */
  public boolean ok() {
    return problems.isEmpty();
  }

  /**
   * Reads and checks {@code bytes}; {@code source} names it in messages (e.g. a transaction id).
   * Throws the error of {@link VerificationErrors#malformed} when the bytes are not a manifest at
   * all (not JSON, another format, no files list); problems of a readable manifest are returned.
   */
  public static SignedManifest read(byte[] bytes, String source) {
    if (bytes == null || source == null) {
      throw new IllegalArgumentException("bytes and source must not be null");
    }
    Path file = Path.of(source);
    JsonNode tree;
    try {
      tree = ManifestJson.MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw VerificationErrors.malformed(file, e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw VerificationErrors.malformed(file, e.getMessage(), e);
    }
    DatasetManifest m = DatasetManifest.fromTree(tree, file);
    List<Problem> problems = new ArrayList<>();
    long rows = 0;
    String previous = null;
    for (DatasetManifest.FileEntry f : m.files()) {
      if (f == null || f.path() == null) {
        problems.add(new Problem(Kind.MALFORMED_MANIFEST, null, "a files entry has no path"));
        continue;
      }
      rows += f.rows();
      if (previous != null && f.path().compareTo(previous) <= 0) {
        problems.add(
            new Problem(Kind.MALFORMED_MANIFEST, f.path(), "files are not sorted by unique path"));
      }
      previous = f.path();
    }
    if (rows != m.rows()) {
      problems.add(
          new Problem(
              Kind.ROW_COUNT_MISMATCH,
              null,
              "manifest says " + m.rows() + " rows, its files add up to " + rows));
    }
    if (m.schema() == null || !ContentIds.sha256Hex(m.schema()).equals(m.schemaHash())) {
      problems.add(
          new Problem(Kind.SCHEMA_HASH_MISMATCH, null, "schema_hash is not the schema's SHA-256"));
    }
    if (problems.stream().noneMatch(p -> p.kind() == Kind.MALFORMED_MANIFEST)) {
      String root = ManifestVerifier.merkleRoot(m, problems);
      if (root != null && !root.equals(m.merkleRoot())) {
        problems.add(
            new Problem(
                Kind.MERKLE_ROOT_MISMATCH,
                null,
                "merkle_root " + m.merkleRoot() + " is not the root of the listed files " + root));
      }
    }
    String signer = ManifestVerifier.checkSignature(m, tree, problems);
    Certificate certificate = CertificateVerifier.check(tree, m, null, problems);
    return new SignedManifest(m, signer, certificate, problems);
  }
}
