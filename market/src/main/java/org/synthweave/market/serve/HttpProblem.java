package org.synthweave.market.serve;

/**
 * A request the server answers with an error status and a message that says what was wrong and how
 * to ask instead. The message may quote request text; pages escape it like everything else.
 */
final class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  HttpProblem(int status, String message) {
    super(message);
    this.status = status;
  }

  HttpProblem(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  int status() {
    return status;
  }
}
