/**
 * Integrity of published datasets, without Spark: the signed {@link
 * org.synthweave.verification.DatasetManifest} (schema, files with their SHA-256, a Merkle root,
 * provenance) and the offline {@link org.synthweave.verification.ManifestVerifier} a buyer runs on
 * a downloaded copy. Publishing jobs and the market reuse these classes as they are.
 */
package org.synthweave.verification;
