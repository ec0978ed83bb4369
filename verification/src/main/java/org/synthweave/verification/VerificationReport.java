package org.synthweave.verification;

import java.util.List;

/**
 * The result of {@link ManifestVerifier#verify}: every problem found, not just the first, so a
 * buyer sees at once which files are damaged.
 *
 * @param dataset the manifest's dataset name (null when the manifest could not be read)
 * @param version the manifest's version (null when the manifest could not be read)
 * @param signer the signer's address (base64url SHA-256 of the owner), null when unsigned
 * @param filesChecked how many files the manifest lists
 * @param problems what is wrong; empty when the copy is intact and the signature valid
 * @param certificate the manifest's quality certificate as read (checked or not, see {@code
 *     problems}); null when the manifest has none
 */
public record VerificationReport(
    String dataset,
    String version,
    String signer,
    int filesChecked,
    List<Problem> problems,
    Certificate certificate) {

  public VerificationReport {
    problems = List.copyOf(problems);
  }

  /** A report of a manifest without a certificate. */
  public VerificationReport(
      String dataset, String version, String signer, int filesChecked, List<Problem> problems) {
    this(dataset, version, signer, filesChecked, problems, null);
  }

  /** Whether nothing is wrong. */
  public boolean ok() {
    return problems.isEmpty();
  }

  /** What can be wrong with a downloaded dataset. */
  public enum Kind {
    MALFORMED_MANIFEST,
    MISSING_FILE,
    UNEXPECTED_FILE,
    SIZE_MISMATCH,
    SHA256_MISMATCH,
    ROW_COUNT_MISMATCH,
    SCHEMA_HASH_MISMATCH,
    MERKLE_ROOT_MISMATCH,
    UNSIGNED,
    BAD_SIGNATURE,
    /** The certificate cannot be read, or has a format this version does not know. */
    CERTIFICATE_MALFORMED,
    /** The certificate's own signature fails: it was edited after signing. */
    CERTIFICATE_TAMPERED,
    /** The certificate contradicts itself, e.g. passed = true beside a failing check. */
    CERTIFICATE_INCONSISTENT,
    /** quality.json beside the files disagrees with the certified checks. */
    QUALITY_MISMATCH,
    /**
     * A check recomputed from the files ({@code verify --recompute}) differs from the certified.
     */
    RECOMPUTED_MISMATCH,
    /** croissant.json disagrees with the files or schema it describes. */
    CARD_MISMATCH,
    /**
     * The manifest is signed by someone other than the owner of the transaction that lists it: a
     * copy of another publisher's dataset.
     */
    SIGNER_NOT_OWNER
  }

  /**
   * One problem.
   *
   * @param kind what kind
   * @param path the file concerned, relative to the dataset folder; null for manifest-wide ones
   * @param detail expected and actual values, or why
   */
  public record Problem(Kind kind, String path, String detail) {
    @Override
    public String toString() {
      return kind + (path == null ? "" : " " + path) + ": " + detail;
    }
  }
}
