package org.synthweave.verification.card;

import java.util.List;
import java.util.Locale;

/**
 * What a dataset card says about a dataset besides its files and schema.
 *
 * @param name the dataset name, as in the manifest (e.g. {@code silver_wine})
 * @param version the published version, as in the manifest (e.g. {@code 0})
 * @param title a human title
 * @param description what the data is
 * @param license an SPDX license id (e.g. {@code CC-BY-4.0}), or {@code UNLICENSED}
 * @param creator who made the dataset (a name or the publisher's wallet address)
 * @param keywords search keywords, possibly none
 * @param datePublished ISO-8601 date of publication, e.g. {@code 2026-12-05}
 * @param sourceTable the catalog table exported, e.g. {@code silver/wine}
 */
public record CardInfo(
    String name,
    String version,
    String title,
    String description,
    String license,
    String creator,
    List<String> keywords,
    String datePublished,
    String sourceTable) {

  /** The license value meaning "all rights reserved"; it has no SPDX page. */
  public static final String UNLICENSED = "UNLICENSED";

  public CardInfo {
    requireText(name, "name");
    requireText(version, "version");
    requireText(title, "title");
    requireText(description, "description");
    requireText(license, "license");
    requireText(creator, "creator");
    requireText(datePublished, "datePublished");
    requireText(sourceTable, "sourceTable");
    if (keywords == null) {
      throw new IllegalArgumentException("keywords must not be null (pass an empty list)");
    }
    keywords = List.copyOf(keywords);
  }

  /**
   * The license as a URL: the SPDX page of an SPDX id, or null for {@link #UNLICENSED} and {@code
   * LicenseRef-} ids, which have none.
   */
  public String licenseUrl() {
    if (license.equalsIgnoreCase(UNLICENSED)
        || license.toLowerCase(Locale.ROOT).startsWith("licenseref-")) {
      return null;
    }
    return "https://spdx.org/licenses/" + license + ".html";
  }

  private static void requireText(String v, String name) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
