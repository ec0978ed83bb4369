/**
 * Downloading published folders with proof: every file of an {@code arweave/paths} manifest is
 * checked against what its owner signed (a transaction's data_root, or a data item's signature
 * inside a bundle whose data_root is checked too), so a gateway cannot serve other bytes unnoticed.
 */
package org.synthweave.arweave.download;
