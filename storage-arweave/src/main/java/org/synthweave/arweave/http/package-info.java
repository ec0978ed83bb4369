/**
 * The gateway's HTTP API on {@code java.net.http}: node endpoints, chunk posting and GraphQL, with
 * retries (exponential backoff with seeded jitter) for overload, timeouts and the node's retryable
 * errors. Fatal answers become {@code ArweaveException}s carrying the node's reason.
 */
package org.synthweave.arweave.http;
