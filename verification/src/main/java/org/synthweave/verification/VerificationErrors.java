package org.synthweave.verification;

import java.io.IOException;
import java.nio.file.Path;
import org.synthweave.core.SynthweaveException;

/** The user-facing errors of this module: what went wrong, why, and how to fix it. */
public final class VerificationErrors {
  private VerificationErrors() {}

  public static SynthweaveException unreadable(Path file, IOException cause) {
    return new SynthweaveException(
        "Cannot read "
            + file
            + ": "
            + cause
            + ". Check that the path exists and is readable by this user.",
        cause,
        1);
  }

  public static SynthweaveException unwritable(Path file, IOException cause) {
    return new SynthweaveException(
        "Cannot write "
            + file
            + ": "
            + cause
            + ". Check free space and that the folder is writable by this user.",
        cause,
        1);
  }

  public static SynthweaveException malformed(Path file, String why, Throwable cause) {
    return new SynthweaveException(
        "The dataset manifest "
            + file
            + " is not valid: "
            + why
            + ". Download it again from the publisher; a manifest must not be edited by hand.",
        cause,
        1);
  }
}
