/**
 * Byte-level primitives of the Arweave protocol: unpadded base64url, SHA-2 helpers, the SHA-384
 * deep hash and RSASSA-PSS signatures. They carry no state and are checked against the reference
 * vectors.
 */
package org.synthweave.arweave.crypto;
