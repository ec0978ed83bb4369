package org.synthweave.arweave;

/**
 * A failure talking to Arweave or handling its data. Created only by {@link ArweaveErrors}, so
 * every message says what went wrong, why, and how to fix it; gateway failures also carry the HTTP
 * status and the node's own reason text.
 */
public final class ArweaveException extends RuntimeException {
  private final int status;
  private final String reason;
  private final boolean retryable;

  ArweaveException(String message, int status, String reason, boolean retryable, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.reason = reason;
    this.retryable = retryable;
  }

  /** The HTTP status the gateway answered with, or -1 when no answer was received. */
  public int status() {
    return status;
  }

  /** The gateway's reason (response body or node error code), or {@code null}. */
  public String reason() {
    return reason;
  }

  /** Whether trying the same request again later may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
