/**
 * Chunking, the merkle tree over chunks, {@code data_root} and {@code data_path} proofs. The tree
 * is built in one streaming pass that keeps only hashes, so a multi-gigabyte file needs a few
 * megabytes of heap; chunk bytes are read again from the {@link
 * org.synthweave.arweave.chunk.DataSource} when they are uploaded.
 */
package org.synthweave.arweave.chunk;
