package org.synthweave.jobs;

import java.util.List;
import org.synthweave.arweave.upload.FolderUploader;
import org.synthweave.core.CoreErrors;
import org.synthweave.core.config.ConfigKey;
import org.synthweave.core.config.Settings;

/**
 * Every configuration key of {@code synthweave publish}, with its documented default, and the typed
 * view the command uses. It lives in jobs because the Arweave client (storage-arweave) does not
 * depend on core, where config keys are defined; command-line options override these keys.
 *
 * @param bundleMaxFileBytes files smaller than this go as data items of one bundle transaction
 */
public record PublishConfig(long bundleMaxFileBytes) {
  public static final ConfigKey<Long> BUNDLE_MAX_FILE_BYTES =
      ConfigKey.longKey(
          "publish.bundle.max-file-bytes",
          FolderUploader.DEFAULT_BUNDLE_MAX_FILE_BYTES,
          "Files of a dataset smaller than this many bytes are uploaded as ANS-104 data items of"
              + " one bundle transaction (one fee and header for all of them); larger files as"
              + " their own transactions. 0 bundles nothing.");

  public static final List<ConfigKey<?>> KEYS = List.of(BUNDLE_MAX_FILE_BYTES);

  public static PublishConfig from(Settings s) {
    long bundleMax = s.get(BUNDLE_MAX_FILE_BYTES);
    if (bundleMax < 0) {
      throw CoreErrors.badConfigValue(
          BUNDLE_MAX_FILE_BYTES.name(),
          bundleMax,
          "a byte count >= 0",
          s.origin(BUNDLE_MAX_FILE_BYTES.name()),
          null);
    }
    return new PublishConfig(bundleMax);
  }
}
