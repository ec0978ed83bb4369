/**
 * Arweave format-2 transactions: tags, the deep-hash signature data, signing, verification, JSON
 * form and the mainnet size limits. A transaction only commits to its {@code data_root}, so large
 * data travels separately as chunks (see {@code org.synthweave.arweave.chunk}).
 */
package org.synthweave.arweave.tx;
