/**
 * The dataset card of an export: {@code croissant.json} (MLCommons Croissant 1.0 JSON-LD) for tools
 * and {@code README.md} for people, both written before the manifest so that its file list, Merkle
 * root and signature cover them, and the check that a card agrees with the files and schema it
 * describes. Spark-free, like the rest of what a buyer's verifier loads.
 */
package org.synthweave.verification.card;
