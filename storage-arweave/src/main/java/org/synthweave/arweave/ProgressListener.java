package org.synthweave.arweave;

/**
 * Receives upload progress so a CLI can draw a progress bar. Called from upload worker threads
 * after a chunk is confirmed and recorded in the state file; implementations must be thread-safe
 * and quick. Throwing aborts the upload, which can then be resumed from its state file.
 */
@FunctionalInterface
public interface ProgressListener {
  /** A listener that ignores progress. */
  ProgressListener NONE = p -> {};

  void onProgress(UploadProgress progress);
}
