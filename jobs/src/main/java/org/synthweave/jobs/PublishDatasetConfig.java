package org.synthweave.jobs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.synthweave.core.CoreErrors;
import org.synthweave.core.config.ConfigKey;
import org.synthweave.core.config.ConfigRegistry;
import org.synthweave.core.config.Settings;
import org.synthweave.verification.card.CardInfo;

/**
 * What publish says about one dataset, from the keys {@code publish.dataset.<name>.*} ({@code
 * <name>} is the exported dataset name, e.g. {@code silver_wine} for table {@code silver/wine}):
 * the dataset card's title, description, license, creator and keywords, and the UDL terms tagged on
 * Arweave. Each value resolves in one order: command line, job config, documented default.
 *
 * @param title the card title and the ANS-110 Title tag (at most 150 characters)
 * @param description the card description (the Description tag holds its first 300 characters)
 * @param license SPDX license id written into the card
 * @param creator the card's creator
 * @param keywords the card's keywords and the ANS-110 Topic tags
 * @param udl the UDL terms tagged with the License
 */
record PublishDatasetConfig(
    String title,
    String description,
    String license,
    String creator,
    List<String> keywords,
    UdlTerms udl) {

  /** Prefix of the per-dataset keys. */
  static final String PREFIX = "publish.dataset.";

  /** ANS-110: a Title of at most 150 characters. */
  static final int MAX_TITLE_CHARS = 150;

  static final String AUTO = "auto";
  static final String NONE = "none";

  private static final String N = PREFIX + "<name>.";

  /** The form of an SPDX license id (or LicenseRef-), which the card turns into a URL. */
  private static final Pattern SPDX_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.+-]*");

  /** The per-dataset keys for {@code config --keys}; {@code <name>} is the dataset name. */
  static final List<ConfigKey<?>> KEYS =
      List.of(
          ConfigKey.string(
              N + "title",
              "",
              "Title of the dataset card and the ANS-110 Title tag, at most 150 characters;"
                  + " empty: '<table> version <version>'."),
          ConfigKey.string(
              N + "description",
              "",
              "Description of the dataset card; the ANS-110 Description tag holds its first 300"
                  + " characters. Empty: a sentence naming the table and its Delta version."),
          ConfigKey.string(
              N + "license",
              "",
              "SPDX license id written into the dataset card (croissant.json and README.md);"
                  + " empty: publish.license. --license overrides it."),
          ConfigKey.string(
              N + "creator",
              "",
              "Creator named in the dataset card; empty: the publishing wallet's address."),
          ConfigKey.stringList(
              N + "keywords",
              List.of(),
              "Keywords of the dataset card, each also an ANS-110 Topic:<keyword> tag."),
          ConfigKey.string(
              N + "udl.commercial-use",
              AUTO,
              "UDL Commercial-Use tag: Allowed, Allowed-With-Credit or Allowed-With-Fee-One-Time-<n>"
                  + " / -Monthly-<n>; none: not granted; auto: from the SPDX license (an open"
                  + " license without NC gives Allowed-With-Credit, others none)."),
          ConfigKey.string(
              N + "udl.derivation",
              AUTO,
              "UDL Derivation tag: Allowed-With-Credit, Allowed-With-Indication,"
                  + " Allowed-With-License-Passthrough or Allowed-With-RevenueShare-<n>%; none: not"
                  + " granted; auto: from the SPDX license (share-alike passes the license on,"
                  + " ND grants none)."),
          ConfigKey.string(
              N + "udl.data-model-training",
              AUTO,
              "UDL Data-Model-Training tag: Allowed or"
                  + " Allowed-With-Fee-One-Time-<n> / -Monthly-<n>; none: not granted; auto: from"
                  + " the SPDX license."),
          ConfigKey.string(
              N + "udl.license-fee",
              NONE,
              "UDL License-Fee tag, One-Time-<amount> or Monthly-<amount>; none: no fee."),
          ConfigKey.string(
              N + "udl.currency",
              "AR",
              "UDL Currency tag of the license fee; tagged only with a License-Fee."));

  private static final List<String> FIELDS =
      KEYS.stream().map(k -> k.name().substring(N.length())).toList();

  /**
   * The configuration of dataset {@code dataset} (exported from {@code table} at {@code version}).
   *
   * @param licenseOption the --license option, null when not given
   * @param defaultLicense publish.license as resolved
   * @param publisher the publishing wallet's address, the default creator
   */
  static PublishDatasetConfig from(
      Settings s,
      String dataset,
      String table,
      long version,
      String licenseOption,
      String defaultLicense,
      String publisher) {
    String prefix = PREFIX + dataset + ".";
    checkKnown(s, prefix);
    String title = text(s, prefix, "title", table + " version " + version);
    if (title.codePointCount(0, title.length()) > MAX_TITLE_CHARS) {
      throw CoreErrors.badConfigValue(
          prefix + "title",
          title,
          "at most " + MAX_TITLE_CHARS + " characters (ANS-110 Title)",
          s.origin(prefix + "title"),
          null);
    }
    String description =
        text(
            s,
            prefix,
            "description",
            "Table "
                + table
                + " at Delta version "
                + version
                + ", exported by synthweave as Parquet files with a signed manifest.");
    String license =
        licenseOption != null ? licenseOption : text(s, prefix, "license", defaultLicense);
    if (!SPDX_ID.matcher(license).matches()) {
      String key = licenseOption != null ? "--license" : prefix + "license";
      throw CoreErrors.badConfigValue(
          key,
          license,
          "an SPDX license id such as CC-BY-4.0, a LicenseRef-<name>, or UNLICENSED",
          licenseOption != null ? "the command line" : s.origin(prefix + "license"),
          null);
    }
    String creator = text(s, prefix, "creator", publisher);
    List<String> keywords = new ArrayList<>();
    for (String k : s.get(ConfigKey.stringList(prefix + "keywords", List.of(), doc("keywords")))) {
      if (!k.isBlank() && !keywords.contains(k.strip())) {
        keywords.add(k.strip());
      }
    }
    String[] auto = UdlTerms.fromSpdx(license);
    UdlTerms udl =
        new UdlTerms(
            term(s, prefix, "udl.commercial-use", auto[0], UdlTerms.COMMERCIAL_USE),
            term(s, prefix, "udl.derivation", auto[1], UdlTerms.DERIVATION),
            term(s, prefix, "udl.data-model-training", auto[2], UdlTerms.DATA_MODEL_TRAINING),
            term(s, prefix, "udl.license-fee", null, UdlTerms.LICENSE_FEE),
            term(s, prefix, "udl.currency", "AR", UdlTerms.CURRENCY));
    return new PublishDatasetConfig(title, description, license, creator, keywords, udl);
  }

  /** The card of dataset {@code dataset} version {@code version}, published on {@code date}. */
  CardInfo card(String dataset, String version, String table, String date) {
    return new CardInfo(
        dataset, version, title, description, license, creator, keywords, date, table);
  }

  private static String text(Settings s, String prefix, String field, String fallback) {
    String v = s.get(ConfigKey.string(prefix + field, "", doc(field))).strip();
    return v.isEmpty() ? fallback : v;
  }

  /** A UDL term: {@code auto} (the default) gives {@code auto}, none gives null. */
  private static String term(
      Settings s, String prefix, String field, String auto, Pattern allowed) {
    String name = prefix + field;
    String v = s.get(ConfigKey.string(name, AUTO, doc(field))).strip();
    if (v.equalsIgnoreCase(AUTO) || v.isEmpty()) {
      return auto;
    }
    if (v.equalsIgnoreCase(NONE)) {
      return null;
    }
    if (!allowed.matcher(v).matches()) {
      throw CoreErrors.badConfigValue(
          name, v, "one of " + allowed.pattern() + ", none or auto", s.origin(name), null);
    }
    return v;
  }

  /** The documentation of the template key of {@code field}, for a dataset's concrete key. */
  private static String doc(String field) {
    return KEYS.get(FIELDS.indexOf(field)).doc();
  }

  /** A misspelt key under the dataset's prefix is an error naming the nearest known one. */
  private static void checkKnown(Settings s, String prefix) {
    for (Map.Entry<String, Object> e : s.explicitValues().entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(prefix) || FIELDS.contains(key.substring(prefix.length()))) {
        continue;
      }
      String sub = key.substring(prefix.length());
      List<String> nearest =
          FIELDS.stream()
              .sorted(Comparator.comparingInt(f -> ConfigRegistry.editDistance(sub, f)))
              .limit(1)
              .map(f -> prefix + f)
              .toList();
      throw CoreErrors.unknownConfigKey(key, s.origin(key), nearest);
    }
  }
}
