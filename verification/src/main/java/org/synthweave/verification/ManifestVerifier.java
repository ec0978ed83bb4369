package org.synthweave.verification;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.synthweave.core.ContentIds;
import org.synthweave.core.SynthweaveException;
import org.synthweave.verification.VerificationReport.Kind;
import org.synthweave.verification.VerificationReport.Problem;
import org.synthweave.verification.card.CardVerifier;

/**
 * Checks a downloaded dataset folder offline against its {@code manifest.json}: every listed file
 * is present with the listed size and SHA-256, no other file is there, the row total, schema hash
 * and Merkle root agree with the file list, the dataset card (croissant.json) agrees with the files
 * and schema, the signature covers the manifest as it is, and its quality certificate is intact and
 * agrees with itself and with {@code quality.json} (see {@link CertificateVerifier}). Needs only
 * the JDK, so a buyer can run it anywhere.
 */
public final class ManifestVerifier {
  private ManifestVerifier() {}

  /** Verifies the dataset in {@code dir}; problems are reported, not thrown. */
  public static VerificationReport verify(Path dir) {
    if (dir == null) {
      throw new IllegalArgumentException("dir must not be null");
    }
    Path file = dir.resolve(DatasetManifest.FILE_NAME);
    List<Problem> problems = new ArrayList<>();
    DatasetManifest m;
    JsonNode tree;
    try {
      if (!Files.isRegularFile(file)) {
        problems.add(new Problem(Kind.MISSING_FILE, DatasetManifest.FILE_NAME, "not found"));
        return new VerificationReport(null, null, null, 0, problems);
      }
      tree = DatasetManifest.readTree(file);
      m = DatasetManifest.fromTree(tree, file);
    } catch (SynthweaveException e) {
      problems.add(new Problem(Kind.MALFORMED_MANIFEST, DatasetManifest.FILE_NAME, e.getMessage()));
      return new VerificationReport(null, null, null, 0, problems);
    }

    Path root = dir.toAbsolutePath().normalize();
    Set<String> listed = new HashSet<>();
    long rows = 0;
    String previous = null;
    for (DatasetManifest.FileEntry f : m.files()) {
      if (f == null) {
        problems.add(new Problem(Kind.MALFORMED_MANIFEST, null, "a files entry is null"));
        continue;
      }
      rows += f.rows();
      if (f.path() == null || previous != null && f.path().compareTo(previous) <= 0) {
        problems.add(
            new Problem(Kind.MALFORMED_MANIFEST, f.path(), "files are not sorted by unique path"));
      }
      previous = f.path();
      if (f.path() == null) {
        continue;
      }
      listed.add(f.path());
      Path p = inside(root, f.path());
      if (p == null || p.equals(root.resolve(DatasetManifest.FILE_NAME))) {
        problems.add(
            new Problem(Kind.MALFORMED_MANIFEST, f.path(), "path points outside the data files"));
        continue;
      }
      checkFile(p, f, problems);
    }
    unexpectedFiles(root, listed, problems);
    problems.addAll(CardVerifier.check(root, m));

    if (rows != m.rows()) {
      problems.add(
          new Problem(
              Kind.ROW_COUNT_MISMATCH,
              null,
              "manifest says " + m.rows() + " rows, its files add up to " + rows));
    }
    if (m.schema() == null || !ContentIds.sha256Hex(m.schema()).equals(m.schemaHash())) {
      problems.add(
          new Problem(
              Kind.SCHEMA_HASH_MISMATCH,
              null,
              "schema_hash "
                  + m.schemaHash()
                  + " is not the SHA-256 of the schema"
                  + (m.schema() == null
                      ? " (no schema)"
                      : " (" + ContentIds.sha256Hex(m.schema()) + ")")));
    }
    String root2 = merkleRoot(m, problems);
    if (root2 != null && !root2.equals(m.merkleRoot())) {
      problems.add(
          new Problem(
              Kind.MERKLE_ROOT_MISMATCH,
              null,
              "expected " + m.merkleRoot() + " (manifest), computed " + root2 + " from its files"));
    }
    String signer = checkSignature(m, tree, problems);
    Certificate certificate = CertificateVerifier.check(tree, m, root, problems);
    return new VerificationReport(
        m.dataset(), m.version(), signer, m.files().size(), problems, certificate);
  }

  /**
   * {@code root/path} when that is a file below {@code root}; null for a path that leaves it, names
   * it, or that this file system cannot hold (a NUL, a backslash, control characters).
   */
  private static Path inside(Path root, String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == '\\' || c == 0x7f) {
        return null;
      }
    }
    try {
      Path p = root.resolve(path).normalize();
      return p.startsWith(root) && !p.equals(root) ? p : null;
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }

  private static void checkFile(Path p, DatasetManifest.FileEntry f, List<Problem> problems) {
    if (!Files.isRegularFile(p)) {
      problems.add(new Problem(Kind.MISSING_FILE, f.path(), "not found"));
      return;
    }
    try {
      long size = Files.size(p);
      if (size != f.bytes()) {
        problems.add(
            new Problem(
                Kind.SIZE_MISMATCH, f.path(), "expected " + f.bytes() + " bytes, found " + size));
      }
      String sha = DatasetManifest.sha256Hex(p);
      if (!sha.equals(f.sha256())) {
        problems.add(
            new Problem(Kind.SHA256_MISMATCH, f.path(), "expected " + f.sha256() + ", got " + sha));
      }
    } catch (IOException e) {
      problems.add(new Problem(Kind.MISSING_FILE, f.path(), "unreadable: " + e));
    }
  }

  private static void unexpectedFiles(Path root, Set<String> listed, List<Problem> problems) {
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
          .filter(rel -> !rel.equals(DatasetManifest.FILE_NAME) && !listed.contains(rel))
          // The check results beside an export: quality.json is held against the signed
          // certificate instead; quality.html is its rendering for people.
          .filter(rel -> !QualityReport.FILE_NAMES.contains(rel))
          .sorted()
          .forEach(
              rel ->
                  problems.add(
                      new Problem(Kind.UNEXPECTED_FILE, rel, "not listed in the manifest")));
    } catch (IOException e) {
      problems.add(new Problem(Kind.MISSING_FILE, null, "cannot list " + root + ": " + e));
    }
  }

  static String merkleRoot(DatasetManifest m, List<Problem> problems) {
    try {
      return DatasetManifest.merkleRootOf(m.files());
    } catch (IllegalArgumentException | NullPointerException e) {
      problems.add(
          new Problem(Kind.MALFORMED_MANIFEST, null, "a file's sha256 is not 64 hex digits"));
      return null;
    }
  }

  /**
   * Adds a problem when the manifest is unsigned or its signature does not cover {@code tree} (the
   * manifest as read); returns the signer's address, or null when unsigned.
   */
  static String checkSignature(DatasetManifest m, JsonNode tree, List<Problem> problems) {
    if (m.signature() == null) {
      problems.add(new Problem(Kind.UNSIGNED, null, "the manifest has no signature block"));
      return null;
    }
    String signer = m.signature().address();
    if (!m.signature().verifies(ManifestJson.canonicalWithoutSignature(tree))) {
      problems.add(
          new Problem(
              Kind.BAD_SIGNATURE,
              null,
              "the signature by "
                  + signer
                  + " does not match the manifest: it was changed after signing, or signed by"
                  + " another key"));
    }
    return signer;
  }
}
