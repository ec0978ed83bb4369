package org.synthweave.verification.card;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.synthweave.core.SynthweaveException;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.VerificationReport.Kind;
import org.synthweave.verification.VerificationReport.Problem;

/**
 * Checks that the {@code croissant.json} of a dataset folder agrees with what it describes: each
 * Parquet file's SHA-256 is the file's, every Parquet file of the manifest is listed and no other,
 * name and version are the manifest's, and the record set has one field per column of the
 * manifest's schema, in order, with that column's data type. The manifest's hashes and signature
 * cover the card's bytes, so this catches a card that was wrong when it was signed, or a folder
 * whose card and manifest were replaced together with other data files.
 */
public final class CardVerifier {
  private CardVerifier() {}

  /**
   * The problems of the card in {@code dir}; none when the manifest lists no card (exports made
   * before cards existed) or when the card file is missing (reported by the manifest check).
   */
  public static List<Problem> check(Path dir, DatasetManifest m) {
    if (dir == null || m == null) {
      throw new IllegalArgumentException("dir and m must not be null");
    }
    List<Problem> problems = new ArrayList<>();
    boolean listed =
        m.files().stream().anyMatch(f -> f != null && CroissantCard.FILE_NAME.equals(f.path()));
    Path file = dir.resolve(CroissantCard.FILE_NAME);
    if (!listed || !Files.isRegularFile(file)) {
      return problems;
    }
    JsonNode card;
    try {
      card = CroissantCard.JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      problems.add(problem("is not valid JSON: " + e.getOriginalMessage()));
      return problems;
    } catch (IOException e) {
      problems.add(problem("is unreadable: " + e));
      return problems;
    }
    if (card == null || !card.isObject()) {
      problems.add(problem("is not a JSON object"));
      return problems;
    }
    expectText(card, "conformsTo", CroissantCard.CONFORMS_TO, problems);
    expectText(card, "name", m.dataset(), problems);
    expectText(card, "version", m.version(), problems);
    checkFiles(dir, m, card, problems);
    checkFields(m, card, problems);
    return problems;
  }

  private static void checkFiles(Path dir, DatasetManifest m, JsonNode card, List<Problem> out) {
    Map<String, DatasetManifest.FileEntry> parquet = new LinkedHashMap<>();
    for (DatasetManifest.FileEntry f : m.dataFiles()) {
      parquet.put(f.path(), f);
    }
    Map<String, String> described = new LinkedHashMap<>();
    for (JsonNode o : card.path("distribution")) {
      if (!"cr:FileObject".equals(o.path("@type").asText())) {
        continue;
      }
      String url = o.path("contentUrl").asText();
      if (described.put(url, o.path("sha256").asText()) != null) {
        out.add(problem("lists " + url + " twice in distribution"));
      }
    }
    described.forEach(
        (url, sha) -> {
          DatasetManifest.FileEntry f = parquet.get(url);
          if (f == null) {
            out.add(problem("lists " + url + ", which the manifest does not list as a data file"));
            return;
          }
          String actual;
          try {
            actual = DatasetManifest.FileEntry.describe(dir, url, 0).sha256();
          } catch (SynthweaveException e) {
            return; // a missing or unreadable file is reported by the manifest check
          }
          if (!actual.equals(sha)) {
            out.add(
                problem(
                    "gives "
                        + url
                        + " the sha256 "
                        + (sha.isEmpty() ? "(none)" : sha)
                        + ", but the file's is "
                        + actual));
          }
        });
    for (String path : parquet.keySet()) {
      if (!described.containsKey(path)) {
        out.add(problem("does not list the data file " + path + " in distribution"));
      }
    }
  }

  private static void checkFields(DatasetManifest m, JsonNode card, List<Problem> out) {
    List<CardFields.Column> columns;
    try {
      columns = CardFields.of(m.schema());
    } catch (IllegalArgumentException e) {
      return; // a manifest without a readable schema fails its own checks
    }
    JsonNode sets = card.path("recordSet");
    if (!sets.isArray() || sets.size() != 1) {
      out.add(problem("must have exactly one recordSet (the table), it has " + count(sets)));
      return;
    }
    compareFields("recordSet", columns, sets.get(0).path("field"), null, out);
  }

  private static void compareFields(
      String where,
      List<CardFields.Column> columns,
      JsonNode fields,
      String parentColumn,
      List<Problem> out) {
    List<String> expected = columns.stream().map(CardFields.Column::name).toList();
    if (!fields.isArray()) {
      out.add(problem(where + " has no field list, but the schema has the columns " + expected));
      return;
    }
    List<String> actual = new ArrayList<>();
    fields.forEach(f -> actual.add(f.path("name").asText()));
    if (!expected.equals(actual)) {
      out.add(
          problem(
              where
                  + " has the fields "
                  + actual
                  + ", but the schema has the columns "
                  + expected));
      return;
    }
    for (int i = 0; i < columns.size(); i++) {
      CardFields.Column c = columns.get(i);
      JsonNode f = fields.get(i);
      String name = where + " field " + c.name();
      String dataType = f.hasNonNull("dataType") ? f.get("dataType").asText() : null;
      if (!Objects.equals(c.dataType(), dataType)) {
        out.add(
            problem(
                name
                    + " has dataType "
                    + dataType
                    + ", but the column is "
                    + c.sparkType()
                    + " ("
                    + c.dataType()
                    + ")"));
      }
      if (c.repeated() != f.path("repeated").asBoolean(false)) {
        out.add(
            problem(
                name
                    + (c.repeated() ? " is not" : " is")
                    + " repeated, but the column is "
                    + c.sparkType()));
      }
      String column = parentColumn == null ? c.name() : parentColumn;
      String extract = f.path("source").path("extract").path("column").asText();
      if (!column.equals(extract)) {
        out.add(
            problem(name + " is extracted from column '" + extract + "', not '" + column + "'"));
      }
      if (!c.subFields().isEmpty() || f.has("subField")) {
        compareFields(name, c.subFields(), f.path("subField"), column, out);
      }
    }
  }

  private static void expectText(JsonNode card, String key, String expected, List<Problem> out) {
    String actual = card.path(key).asText(null);
    if (!Objects.equals(expected, actual)) {
      out.add(problem("has " + key + " " + actual + ", expected " + expected));
    }
  }

  private static int count(JsonNode n) {
    return n.isArray() ? n.size() : n.isMissingNode() || n.isNull() ? 0 : 1;
  }

  private static Problem problem(String detail) {
    return new Problem(Kind.CARD_MISMATCH, CroissantCard.FILE_NAME, detail);
  }
}
