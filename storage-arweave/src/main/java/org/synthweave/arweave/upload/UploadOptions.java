package org.synthweave.arweave.upload;

import java.nio.file.Path;
import org.synthweave.arweave.ProgressListener;

/**
 * How to run one upload: where to keep resumable state (none by default), whom to tell about
 * progress, and whether to read the data back from the gateway and compare its SHA-256.
 */
public final class UploadOptions {
  /** No state file, no listener, no read-back. */
  public static final UploadOptions DEFAULTS = builder().build();

  private final Path stateFile;
  private final ProgressListener listener;
  private final boolean verify;

  private UploadOptions(Builder b) {
    this.stateFile = b.stateFile;
    this.listener = b.listener;
    this.verify = b.verify;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The state file, or null when the upload is not resumable. */
  public Path stateFile() {
    return stateFile;
  }

  public ProgressListener listener() {
    return listener;
  }

  public boolean verifyAfterUpload() {
    return verify;
  }

  /** Collects upload options. */
  public static final class Builder {
    private Path stateFile;
    private ProgressListener listener = ProgressListener.NONE;
    private boolean verify;

    private Builder() {}

    /** Makes the upload resumable through {@code file} (created if missing). */
    public Builder stateFile(Path file) {
      if (file == null) {
        throw new IllegalArgumentException("file must not be null");
      }
      this.stateFile = file;
      return this;
    }

    public Builder listener(ProgressListener l) {
      if (l == null) {
        throw new IllegalArgumentException("listener must not be null (use ProgressListener.NONE)");
      }
      this.listener = l;
      return this;
    }

    /** After the upload, stream {@code GET /{id}} and check its SHA-256 against the source. */
    public Builder verifyAfterUpload() {
      this.verify = true;
      return this;
    }

    public UploadOptions build() {
      return new UploadOptions(this);
    }
  }
}
