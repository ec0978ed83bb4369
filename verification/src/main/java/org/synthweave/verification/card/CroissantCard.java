package org.synthweave.verification.card;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.VerificationErrors;

/**
 * The {@code croissant.json} of an export: MLCommons Croissant 1.0 JSON-LD
 * (http://mlcommons.org/croissant/1.0) describing the dataset (name, description, SPDX license URL,
 * creator, date, keywords, version), each Parquet file as a {@code cr:FileObject} with its SHA-256,
 * a {@code cr:FileSet} over them, and one {@code cr:RecordSet} with a {@code cr:Field} per column
 * of the schema, each extracted from the Parquet column of the same name.
 */
public final class CroissantCard {
  /** The card's file name inside a dataset folder. */
  public static final String FILE_NAME = "croissant.json";

  /** The {@code conformsTo} value of Croissant 1.0. */
  public static final String CONFORMS_TO = "http://mlcommons.org/croissant/1.0";

  /** The media type Croissant uses for Parquet files. */
  public static final String PARQUET = "application/x-parquet";

  /** The {@code @id} of the file set over the Parquet files. */
  public static final String FILE_SET_ID = "parquet-files";

  /** The {@code @id} of the record set, whose fields are the columns. */
  public static final String RECORD_SET_ID = "records";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CroissantCard() {}

  /**
   * The card of a dataset whose data files are {@code parquetFiles} (paths relative to the dataset
   * folder, with their SHA-256) and whose Spark schema is {@code schemaJson}.
   */
  public static ObjectNode build(
      CardInfo info, String schemaJson, List<DatasetManifest.FileEntry> parquetFiles) {
    if (info == null || schemaJson == null || parquetFiles == null) {
      throw new IllegalArgumentException("info, schemaJson and parquetFiles must not be null");
    }
    ObjectNode card = NODES.objectNode();
    card.set("@context", context());
    card.put("@type", "sc:Dataset");
    card.put("name", info.name());
    card.put("alternateName", info.title());
    card.put("description", info.description());
    card.put("conformsTo", CONFORMS_TO);
    String url = info.licenseUrl();
    card.put("license", url != null ? url : info.license());
    ObjectNode creator = card.putObject("creator");
    creator.put("@type", "sc:Person");
    creator.put("name", info.creator());
    card.put("datePublished", info.datePublished());
    card.put("version", info.version());
    ArrayNode keywords = card.putArray("keywords");
    info.keywords().forEach(keywords::add);

    ArrayNode distribution = card.putArray("distribution");
    for (DatasetManifest.FileEntry f : parquetFiles) {
      ObjectNode o = distribution.addObject();
      o.put("@type", "cr:FileObject");
      o.put("@id", f.path());
      o.put("name", f.path());
      o.put("contentUrl", f.path());
      o.put("contentSize", f.bytes() + " B");
      o.put("encodingFormat", PARQUET);
      o.put("sha256", f.sha256());
    }
    ObjectNode set = distribution.addObject();
    set.put("@type", "cr:FileSet");
    set.put("@id", FILE_SET_ID);
    set.put("name", FILE_SET_ID);
    set.put("description", "The Parquet files of the dataset; each is also listed above.");
    set.put("encodingFormat", PARQUET);
    set.put("includes", "data/*.parquet");

    ObjectNode records = card.putArray("recordSet").addObject();
    records.put("@type", "cr:RecordSet");
    records.put("@id", RECORD_SET_ID);
    records.put("name", RECORD_SET_ID);
    records.put("description", "One record per row of " + info.sourceTable() + ".");
    ArrayNode fields = records.putArray("field");
    for (CardFields.Column c : CardFields.of(schemaJson)) {
      fields.add(field(RECORD_SET_ID, c, null));
    }
    return card;
  }

  /**
   * What {@code card} says besides its files and schema, read back: the inverse of {@link #build}
   * for the descriptive fields (name, version, title, description, license, creator, keywords,
   * date), so that a card can be rebuilt for other files with the publisher's own words.
   *
   * @param sourceTable the exported table, which the card states only inside a sentence
   * @throws IllegalArgumentException naming the field that is missing or not text
   */
  public static CardInfo readInfo(JsonNode card, String sourceTable) {
    if (card == null || !card.isObject()) {
      throw new IllegalArgumentException("the card is not a JSON object");
    }
    List<String> keywords = new java.util.ArrayList<>();
    JsonNode k = card.path("keywords");
    if (!k.isArray()) {
      throw new IllegalArgumentException("the card has no keywords array");
    }
    k.forEach(x -> keywords.add(x.asText()));
    String license = text(card, "license");
    if (license.startsWith(SPDX_PREFIX) && license.endsWith(SPDX_SUFFIX)) {
      license = license.substring(SPDX_PREFIX.length(), license.length() - SPDX_SUFFIX.length());
    }
    return new CardInfo(
        text(card, "name"),
        text(card, "version"),
        text(card, "alternateName"),
        text(card, "description"),
        license,
        text(card.path("creator"), "name"),
        keywords,
        text(card, "datePublished"),
        sourceTable);
  }

  private static final String SPDX_PREFIX = "https://spdx.org/licenses/";
  private static final String SPDX_SUFFIX = ".html";

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (!v.isTextual()) {
      throw new IllegalArgumentException("the card's " + field + " is missing or not text");
    }
    return v.asText();
  }

  private static ObjectNode field(String parentId, CardFields.Column c, String parentColumn) {
    ObjectNode f = NODES.objectNode();
    f.put("@type", "cr:Field");
    f.put("@id", parentId + "/" + c.name());
    f.put("name", c.name());
    f.put("description", c.sparkType() + (c.nullable() ? ", nullable" : ", not null"));
    if (c.dataType() != null) {
      f.put("dataType", c.dataType());
    }
    if (c.repeated()) {
      f.put("repeated", true);
    }
    ObjectNode source = f.putObject("source");
    source.putObject("fileSet").put("@id", FILE_SET_ID);
    source.putObject("extract").put("column", parentColumn == null ? c.name() : parentColumn);
    if (parentColumn != null) {
      source.putObject("transform").put("jsonPath", c.name());
    }
    if (!c.subFields().isEmpty()) {
      ArrayNode subs = f.putArray("subField");
      for (CardFields.Column s : c.subFields()) {
        subs.add(
            field(parentId + "/" + c.name(), s, parentColumn == null ? c.name() : parentColumn));
      }
    }
    return f;
  }

  /** The JSON-LD context of Croissant 1.0, as the specification's examples give it. */
  static ObjectNode context() {
    ObjectNode c = NODES.objectNode();
    c.put("@language", "en");
    c.put("@vocab", "https://schema.org/");
    c.put("citeAs", "cr:citeAs");
    c.put("column", "cr:column");
    c.put("conformsTo", "dct:conformsTo");
    c.put("cr", "http://mlcommons.org/croissant/");
    c.put("rai", "http://mlcommons.org/croissant/RAI/");
    ObjectNode data = c.putObject("data");
    data.put("@id", "cr:data");
    data.put("@type", "@json");
    ObjectNode dataType = c.putObject("dataType");
    dataType.put("@id", "cr:dataType");
    dataType.put("@type", "@vocab");
    c.put("dct", "http://purl.org/dc/terms/");
    ObjectNode examples = c.putObject("examples");
    examples.put("@id", "cr:examples");
    examples.put("@type", "@json");
    for (String term :
        List.of(
            "extract",
            "field",
            "fileProperty",
            "fileObject",
            "fileSet",
            "format",
            "includes",
            "isLiveDataset",
            "jsonPath",
            "key",
            "md5",
            "parentField",
            "path",
            "recordSet",
            "references",
            "regex",
            "repeated",
            "replace")) {
      c.put(term, "cr:" + term);
    }
    c.put("sc", "https://schema.org/");
    for (String term : List.of("separator", "source", "subField", "transform")) {
      c.put(term, "cr:" + term);
    }
    return c;
  }

  /** Writes {@code card} to {@code dir/croissant.json}; returns the file. */
  public static Path writeTo(Path dir, JsonNode card) {
    Path file = dir.resolve(FILE_NAME);
    try {
      Files.writeString(file, JSON.writeValueAsString(card) + "\n", StandardCharsets.UTF_8);
      return file;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a card must serialize: " + e.getMessage(), e);
    } catch (IOException e) {
      throw VerificationErrors.unwritable(file, e);
    }
  }
}
