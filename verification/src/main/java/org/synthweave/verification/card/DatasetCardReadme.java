package org.synthweave.verification.card;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.VerificationErrors;

/**
 * The {@code README.md} of an export, the card for people: title, description, license, creator,
 * schema table, row count, files with their SHA-256, and how to check all of it. It sits in the
 * folder before the manifest is made, so the signed manifest covers it like any data file.
 */
public final class DatasetCardReadme {
  /** The card's file name inside a dataset folder. */
  public static final String FILE_NAME = "README.md";

  private DatasetCardReadme() {}

  /**
   * The Markdown text.
   *
   * @param nullCounts nulls per column, shown in the schema table; may be empty
   */
  public static String render(
      CardInfo info,
      String schemaJson,
      List<DatasetManifest.FileEntry> parquetFiles,
      Map<String, Long> nullCounts) {
    if (info == null || schemaJson == null || parquetFiles == null || nullCounts == null) {
      throw new IllegalArgumentException(
          "info, schemaJson, parquetFiles and nullCounts must not be null");
    }
    long rows = parquetFiles.stream().mapToLong(DatasetManifest.FileEntry::rows).sum();
    StringBuilder b = new StringBuilder();
    b.append("# ").append(oneLine(info.title())).append("\n\n");
    b.append(info.description().strip()).append("\n\n");
    b.append("| | |\n|---|---|\n");
    row(b, "Dataset", "`" + info.name() + "` version `" + info.version() + "`");
    String url = info.licenseUrl();
    row(
        b,
        "License",
        url == null
            ? info.license() + " (all rights reserved)"
            : "[" + info.license() + "](" + url + ")");
    row(b, "Creator", info.creator());
    row(b, "Published", info.datePublished());
    if (!info.keywords().isEmpty()) {
      row(b, "Keywords", String.join(", ", info.keywords()));
    }
    row(b, "Source", "table `" + info.sourceTable() + "`");
    row(b, "Rows", Long.toString(rows));
    b.append('\n');

    b.append("## Schema\n\n| column | type | Croissant dataType | nulls |\n|---|---|---|---|\n");
    for (CardFields.Column c : CardFields.of(schemaJson)) {
      Long nulls = nullCounts.get(c.name());
      b.append("| `")
          .append(cell(c.name()))
          .append("` | ")
          .append(cell(c.sparkType()))
          .append(c.nullable() ? "" : " not null")
          .append(" | ")
          .append(c.dataType() == null ? "(sub-fields)" : c.dataType())
          .append(c.repeated() ? " (repeated)" : "")
          .append(" | ")
          .append(nulls == null ? "" : nulls.toString())
          .append(" |\n");
    }
    b.append('\n');

    b.append("## Files\n\n| file | bytes | rows | SHA-256 |\n|---|---|---|---|\n");
    for (DatasetManifest.FileEntry f : parquetFiles) {
      b.append("| `")
          .append(f.path())
          .append("` | ")
          .append(f.bytes())
          .append(" | ")
          .append(f.rows())
          .append(" | `")
          .append(f.sha256())
          .append("` |\n");
    }
    b.append('\n');

    b.append("## How to verify\n\n")
        .append("`")
        .append(DatasetManifest.FILE_NAME)
        .append("` lists every file of this folder (this README and `")
        .append(CroissantCard.FILE_NAME)
        .append("` too) with its size and SHA-256, a Merkle root over them, and the")
        .append(" publisher's signature over all of it. Check the folder offline with\n\n")
        .append("    synthweave verify <this folder>\n\n")
        .append("or a published copy with `synthweave verify --id <manifest id> --gateway <url>`.")
        .append(" Without synthweave, `sha256sum data/*.parquet` must print the hashes above,")
        .append(" which are also in `")
        .append(CroissantCard.FILE_NAME)
        .append("` (MLCommons Croissant 1.0, readable by `mlcroissant`).\n");
    return b.toString();
  }

  /** Writes {@link #render} to {@code dir/README.md}; returns the file. */
  public static Path writeTo(Path dir, String text) {
    Path file = dir.resolve(FILE_NAME);
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw VerificationErrors.unwritable(file, e);
    }
  }

  private static void row(StringBuilder b, String key, String value) {
    b.append("| ").append(key).append(" | ").append(cell(value)).append(" |\n");
  }

  private static String cell(String s) {
    return oneLine(s).replace("|", "\\|");
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }
}
