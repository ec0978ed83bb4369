/**
 * A Spark-free Arweave client: {@link org.synthweave.arweave.ArweaveClient} is the entry point the
 * publish job, the market server and the CLI call. The sub-packages hold the protocol pieces
 * (wallet, transactions, chunk proofs, bundles, manifests) so they can be tested against the
 * reference vectors without a gateway.
 */
package org.synthweave.arweave;
