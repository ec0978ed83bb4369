/**
 * Arweave path manifests ({@code arweave/paths}): a JSON transaction mapping relative paths to
 * transaction ids, so a gateway serves a published folder as {@code /{manifestId}/{path}}.
 */
package org.synthweave.arweave.manifest;
