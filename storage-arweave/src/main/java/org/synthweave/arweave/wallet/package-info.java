/**
 * Arweave wallets: RSA-4096 keys in JWK form, their owner (modulus) and address. Key files are
 * written owner-only and refused when other users could read them, and the key never appears in a
 * string form meant for logs.
 */
package org.synthweave.arweave.wallet;
