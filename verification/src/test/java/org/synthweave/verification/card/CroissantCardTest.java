package org.synthweave.verification.card;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.ManifestVerifier;
import org.synthweave.verification.VerificationReport;
import org.synthweave.verification.VerificationReport.Kind;

/**
 * The dataset card of the real penguins sample (with a boolean, a date, a timestamp, an array and a
 * struct column added, so every mapping is met): Croissant fields against the Parquet schema,
 * SHA-256s against the files, and a card that disagrees with the files failing verify.
 */
class CroissantCardTest extends SparkTestBase {
  private static RSAPrivateCrtKey key;
  private Path exportDir;
  private String schemaJson;
  private List<DatasetManifest.FileEntry> parquet;

  @BeforeAll
  static void generateKey() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), new SecureRandom());
    key = (RSAPrivateCrtKey) gen.generateKeyPair().getPrivate();
  }

  @BeforeEach
  void export(@TempDir Path dir) throws Exception {
    Dataset<Row> penguins =
        spark
            .read()
            .option("header", true)
            .option("inferSchema", true)
            .csv(repoRoot().resolve("data/samples/tables/penguins.csv").toString())
            .withColumn("is_male", col("sex").equalTo("male"))
            .withColumn("observed", to_date(lit("2007-11-10")))
            .withColumn("logged_at", to_timestamp(lit("2007-11-10 09:30:00")))
            .withColumn("name_parts", split(col("species"), " "))
            .withColumn("place", struct(col("island"), col("body_mass_g")));
    exportDir = dir;
    Path data = dir.resolve("data");
    penguins.repartition(2).write().parquet(data.toString());
    Map<String, Long> rows = new HashMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(data)) {
      files = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
    try (Stream<Path> s = Files.list(data)) {
      for (Path p : s.filter(p -> !p.toString().endsWith(".parquet")).toList()) {
        Files.delete(p);
      }
    }
    parquet = new ArrayList<>();
    for (Path p : files) {
      long n = spark.read().parquet(p.toString()).count();
      rows.put(p.getFileName().toString(), n);
      parquet.add(DatasetManifest.FileEntry.describe(dir, "data/" + p.getFileName(), n));
    }
    // The schema as the Parquet files give it back, which is what a buyer's reader sees.
    schemaJson = spark.read().parquet(data.toString()).schema().json();
  }

  private CardInfo info() {
    return new CardInfo(
        "silver_penguins",
        "3",
        "Palmer penguins",
        "Size measurements of three penguin species.",
        "CC0-1.0",
        "Palmer Station LTER",
        List.of("penguins", "biology"),
        "2026-12-05",
        "silver/penguins");
  }

  /** Writes {@code card} and the README, then signs a manifest over data and card. */
  private VerificationReport signAndVerify(JsonNode card) {
    CroissantCard.writeTo(exportDir, card);
    DatasetCardReadme.writeTo(
        exportDir, DatasetCardReadme.render(info(), schemaJson, parquet, Map.of()));
    List<DatasetManifest.FileEntry> all = new ArrayList<>(parquet);
    all.add(DatasetManifest.FileEntry.describe(exportDir, CroissantCard.FILE_NAME, 0));
    all.add(DatasetManifest.FileEntry.describe(exportDir, DatasetCardReadme.FILE_NAME, 0));
    DatasetManifest.create(
            "silver_penguins",
            "3",
            3,
            schemaJson,
            all,
            new DatasetManifest.Provenance(
                "silver/penguins", 3, "cafe", "dev", "2026-12-05T00:00Z"),
            null)
        .sign(key)
        .writeTo(exportDir);
    return ManifestVerifier.verify(exportDir);
  }

  @Test
  void fieldsFollowTheParquetSchema() {
    ObjectNode card = CroissantCard.build(info(), schemaJson, parquet);
    assertEquals(CroissantCard.CONFORMS_TO, card.path("conformsTo").asText());
    assertEquals("https://schema.org/", card.path("@context").path("@vocab").asText());
    assertEquals("cr:dataType", card.path("@context").path("dataType").path("@id").asText());
    assertEquals("https://spdx.org/licenses/CC0-1.0.html", card.path("license").asText());
    assertEquals("Palmer Station LTER", card.path("creator").path("name").asText());
    assertEquals("2026-12-05", card.path("datePublished").asText());
    assertEquals("biology", card.path("keywords").get(1).asText());

    Map<String, JsonNode> fields = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (JsonNode f : card.path("recordSet").get(0).path("field")) {
      fields.put(f.path("name").asText(), f);
      names.add(f.path("name").asText());
      assertEquals(
          f.path("name").asText(), f.path("source").path("extract").path("column").asText());
      assertEquals(
          CroissantCard.FILE_SET_ID, f.path("source").path("fileSet").path("@id").asText());
    }
    assertEquals(
        List.of(
            "species",
            "island",
            "bill_length_mm",
            "bill_depth_mm",
            "flipper_length_mm",
            "body_mass_g",
            "sex",
            "is_male",
            "observed",
            "logged_at",
            "name_parts",
            "place"),
        names);
    Map<String, String> expected =
        Map.of(
            "species", "sc:Text",
            "bill_length_mm", "sc:Float",
            "flipper_length_mm", "sc:Integer",
            "is_male", "sc:Boolean",
            "observed", "sc:Date",
            "logged_at", "sc:DateTime",
            "name_parts", "sc:Text");
    expected.forEach((n, t) -> assertEquals(t, fields.get(n).path("dataType").asText(), n));
    assertTrue(fields.get("name_parts").path("repeated").asBoolean());
    assertFalse(fields.get("species").has("repeated"));
    JsonNode place = fields.get("place");
    assertFalse(place.has("dataType"), "a struct is described by its sub-fields");
    assertEquals("island", place.path("subField").get(0).path("name").asText());
    assertEquals("sc:Integer", place.path("subField").get(1).path("dataType").asText());
    assertEquals(
        "place",
        place.path("subField").get(1).path("source").path("extract").path("column").asText());
  }

  @Test
  void everyParquetFileIsAFileObjectWithItsSha256() throws Exception {
    ObjectNode card = CroissantCard.build(info(), schemaJson, parquet);
    int objects = 0;
    for (JsonNode o : card.path("distribution")) {
      if (!o.path("@type").asText().equals("cr:FileObject")) {
        assertEquals("cr:FileSet", o.path("@type").asText());
        continue;
      }
      objects++;
      Path file = exportDir.resolve(o.path("contentUrl").asText());
      assertEquals(CroissantCard.PARQUET, o.path("encodingFormat").asText());
      assertEquals(
          org.synthweave.core.ContentIds.sha256Hex(Files.readAllBytes(file)),
          o.path("sha256").asText());
    }
    assertEquals(2, objects);
    VerificationReport r = signAndVerify(card);
    assertTrue(r.ok(), r.problems().toString());
    String readme = Files.readString(exportDir.resolve("README.md"), StandardCharsets.UTF_8);
    assertTrue(readme.startsWith("# Palmer penguins\n"), readme);
    assertTrue(readme.contains("| Rows | 344 |"), readme);
    assertTrue(readme.contains("| `flipper_length_mm` | integer | sc:Integer |"), readme);
    assertTrue(readme.contains(parquet.get(0).sha256()), readme);
  }

  @Test
  void aCardThatDisagreesWithTheFilesFailsVerifyWithTheReason() {
    ObjectNode card = CroissantCard.build(info(), schemaJson, parquet);
    String path = parquet.get(0).path();
    String real = parquet.get(0).sha256();
    ObjectNode first = (ObjectNode) card.path("distribution").get(0);
    first.put("sha256", "0".repeat(64));
    ObjectNode mass = (ObjectNode) card.path("recordSet").get(0).path("field").get(5);
    mass.put("dataType", "sc:Text");
    // Signed as it is: the manifest's hashes agree, only the card check can tell.
    VerificationReport r = signAndVerify(card);
    assertEquals(
        List.of(
            new VerificationReport.Problem(
                Kind.CARD_MISMATCH,
                "croissant.json",
                "gives " + path + " the sha256 " + "0".repeat(64) + ", but the file's is " + real),
            new VerificationReport.Problem(
                Kind.CARD_MISMATCH,
                "croissant.json",
                "recordSet field body_mass_g has dataType sc:Text, but the column is integer"
                    + " (sc:Integer)")),
        r.problems());
  }

  @Test
  void aCardEditedAfterSigningFailsItsHashAndItsCheck() throws Exception {
    VerificationReport ok = signAndVerify(CroissantCard.build(info(), schemaJson, parquet));
    assertTrue(ok.ok(), ok.problems().toString());
    Path file = exportDir.resolve(CroissantCard.FILE_NAME);
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Files.writeString(
        file, text.replace("\"name\" : \"sex\"", "\"name\" : \"gender\""), StandardCharsets.UTF_8);
    VerificationReport r = ManifestVerifier.verify(exportDir);
    List<Kind> kinds = r.problems().stream().map(VerificationReport.Problem::kind).toList();
    assertEquals(
        List.of(Kind.SIZE_MISMATCH, Kind.SHA256_MISMATCH, Kind.CARD_MISMATCH),
        kinds,
        r.problems().toString());
    assertTrue(r.problems().stream().allMatch(p -> p.path().equals("croissant.json")));
    assertTrue(r.problems().get(2).detail().contains("[species, island"), r.problems().toString());
    assertTrue(r.problems().get(2).detail().contains("gender"), r.problems().toString());
  }

  @Test
  void aFieldListThatIsNoListIsAProblemNotACrash() {
    ObjectNode card = CroissantCard.build(info(), schemaJson, parquet);
    ObjectNode records = (ObjectNode) card.path("recordSet").get(0);
    records.putObject("field").putObject("species").put("name", "species");
    VerificationReport r = signAndVerify(card);
    assertEquals(1, r.problems().size(), r.problems().toString());
    assertTrue(
        r.problems().get(0).detail().startsWith("recordSet has no field list"),
        r.problems().toString());
  }

  @Test
  void aParquetFileLeftOutOfTheCardIsNamed() {
    List<DatasetManifest.FileEntry> one = List.of(parquet.get(0));
    VerificationReport r = signAndVerify(CroissantCard.build(info(), schemaJson, one));
    assertEquals(1, r.problems().size(), r.problems().toString());
    assertEquals(
        "does not list the data file " + parquet.get(1).path() + " in distribution",
        r.problems().get(0).detail());
  }
}
