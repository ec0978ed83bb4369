package org.synthweave.jobs;

import java.net.URI;
import java.net.URISyntaxException;
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
 * @param gateway the Arweave gateway to publish to
 * @param license the SPDX license of published datasets (their card), unless the dataset's own key
 *     or --license gives another
 * @param bundleMaxFileBytes files smaller than this go as data items of one bundle transaction
 */
public record PublishConfig(URI gateway, String license, long bundleMaxFileBytes) {
  public static final ConfigKey<String> GATEWAY =
      ConfigKey.string(
          "publish.gateway",
          LocalGateway.LOCAL,
          "Arweave gateway that publish uploads to: a URL, or local (the default): an arlocal"
              + " that publish starts on 127.0.0.1:<publish.local.port> with its data kept in"
              + " <warehouse>/arweave/arlocal, funds the wallet there with free test tokens and"
              + " stops afterwards. A gateway off this machine also needs publish --allow-mainnet."
              + " --gateway overrides it.");
  public static final ConfigKey<String> LICENSE =
      ConfigKey.string(
          "publish.license",
          "UNLICENSED",
          "SPDX license id of published datasets, written into their card (croissant.json,"
              + " README.md), e.g. CC-BY-4.0; UNLICENSED means all rights reserved. Arweave tags"
              + " carry the UDL (ANS-105) with terms picked from it. publish.dataset.<name>.license"
              + " and --license override it.");
  public static final ConfigKey<Long> BUNDLE_MAX_FILE_BYTES =
      ConfigKey.longKey(
          "publish.bundle.max-file-bytes",
          FolderUploader.DEFAULT_BUNDLE_MAX_FILE_BYTES,
          "Files of a dataset smaller than this many bytes are uploaded as ANS-104 data items of"
              + " one bundle transaction (one fee and header for all of them); larger files as"
              + " their own transactions. 0 bundles nothing.");

  public static final ConfigKey<String> WALLET =
      ConfigKey.string(
          "publish.wallet",
          "",
          "JWK key file that signs manifests and pays for uploads; --wallet overrides it. Empty:"
              + " on the local gateway, the warehouse's test wallet"
              + " <warehouse>/arweave/wallet.json (created on first use, funded with test tokens);"
              + " any other gateway needs a wallet.");
  public static final ConfigKey<List<String>> DATASETS =
      ConfigKey.stringList(
          "publish.datasets",
          List.of(),
          "Tables `synthweave run` publishes at their latest version after checking them (e.g."
              + " silver/wine, gold/wine_synthetic), each as dataset <table with / as _>; a"
              + " version published already uploads nothing. Empty: run publishes nothing.");

  public static final List<ConfigKey<?>> KEYS =
      List.of(GATEWAY, LICENSE, BUNDLE_MAX_FILE_BYTES, WALLET, DATASETS);

  /**
   * The resolved config: {@code gatewayOption} and {@code licenseOption} (the command line; null
   * when not given) win over the config keys, which fall back to their defaults.
   */
  public static PublishConfig from(Settings s, URI gatewayOption, String licenseOption) {
    URI gateway = gatewayOption;
    if (gateway == null) {
      String raw = s.get(GATEWAY);
      try {
        gateway = new URI(raw);
      } catch (URISyntaxException e) {
        throw CoreErrors.badConfigValue(
            GATEWAY.name(), raw, "an http(s) URL", s.origin(GATEWAY.name()), e);
      }
    }
    String license = licenseOption != null ? licenseOption : s.get(LICENSE);
    if (license.isBlank()) {
      throw CoreErrors.badConfigValue(
          LICENSE.name(),
          license,
          "a license name such as CC-BY-4.0 or UNLICENSED",
          licenseOption != null ? "--license" : s.origin(LICENSE.name()),
          null);
    }
    long bundleMax = s.get(BUNDLE_MAX_FILE_BYTES);
    if (bundleMax < 0) {
      throw CoreErrors.badConfigValue(
          BUNDLE_MAX_FILE_BYTES.name(),
          bundleMax,
          "a byte count >= 0",
          s.origin(BUNDLE_MAX_FILE_BYTES.name()),
          null);
    }
    return new PublishConfig(gateway, license, bundleMax);
  }
}
