package org.synthweave.core;

/**
 * A user-facing failure: the message says what went wrong, why, and how to fix it. The CLI prints
 * only the message (no stack trace) for this type and exits with {@link #exitCode()}.
 */
public class SynthweaveException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  public SynthweaveException(String message) {
    this(message, null, 2);
  }

  public SynthweaveException(String message, Throwable cause) {
    this(message, cause, 2);
  }

  public SynthweaveException(String message, Throwable cause, int exitCode) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Process exit code the CLI uses for this failure (2 for usage/config, 1 for data checks). */
  public int exitCode() {
    return exitCode;
  }
}
