/**
 * ANS-104 bundles: signed data items (Arweave signature type 1) with Avro-encoded tags, and the
 * binary bundle that carries many items in one transaction. Gateways index each item under its own
 * id, so many small files cost one transaction fee and one confirmation wait.
 */
package org.synthweave.arweave.bundle;
