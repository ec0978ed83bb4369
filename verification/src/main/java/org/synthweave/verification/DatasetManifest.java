package org.synthweave.verification;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.synthweave.core.ContentIds;

/**
 * The {@code manifest.json} of an exported dataset: what the files are (path, size, SHA-256, rows),
 * one {@link MerkleRoot} over them, the schema and its hash, where the data came from, and a
 * signature by the publisher's wallet over the canonical form (see {@link #canonicalBytes()}).
 * Paths are relative to the folder holding the manifest, with '/' separators, sorted.
 *
 * @param format always {@link #FORMAT}
 * @param dataset dataset name, e.g. {@code silver_wine}
 * @param version the published version, e.g. {@code 0}
 * @param tableVersion the Delta table version that was exported
 * @param schema the Spark schema as JSON
 * @param schemaHash lower-case hex SHA-256 of the UTF-8 bytes of {@code schema}
 * @param rows total rows over all files
 * @param files the data files, sorted by path
 * @param merkleRoot hex {@link MerkleRoot} over the files' SHA-256 in path order
 * @param provenance where the data came from
 * @param quality optional quality summary (metric name to value); may be null
 * @param certificate the quality certificate (checks, synthetic summary, lineage); null in
 *     manifests made before it existed
 * @param signature the publisher's signature; null until signed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetManifest(
    @JsonProperty("format") String format,
    @JsonProperty("dataset") String dataset,
    @JsonProperty("version") String version,
    @JsonProperty("table_version") long tableVersion,
    @JsonProperty("schema") String schema,
    @JsonProperty("schema_hash") String schemaHash,
    @JsonProperty("rows") long rows,
    @JsonProperty("files") List<FileEntry> files,
    @JsonProperty("merkle_root") String merkleRoot,
    @JsonProperty("provenance") Provenance provenance,
    @JsonProperty("quality") Map<String, Object> quality,
    @JsonProperty("certificate") Certificate certificate,
    @JsonProperty("signature") ManifestSignature signature) {

  /** The format tag of this manifest layout. */
  public static final String FORMAT = "synthweave-dataset-manifest/1";

  /** The manifest's file name inside a dataset folder. */
  public static final String FILE_NAME = "manifest.json";

  /**
   * One data file.
   *
   * @param path relative path with '/' separators, e.g. {@code data/part-00000.parquet}
   * @param bytes file size
   * @param sha256 lower-case hex SHA-256 of the file
   * @param rows rows in the file
   */
  public record FileEntry(
      @JsonProperty("path") String path,
      @JsonProperty("bytes") long bytes,
      @JsonProperty("sha256") String sha256,
      @JsonProperty("rows") long rows) {

    /** Describes {@code dir/path} by reading it once (streaming, so any size works). */
    public static FileEntry describe(Path dir, String path, long rows) {
      if (dir == null || path == null) {
        throw new IllegalArgumentException("dir and path must not be null");
      }
      Path file = dir.resolve(path);
      try {
        return new FileEntry(path, Files.size(file), sha256Hex(file), rows);
      } catch (IOException e) {
        throw VerificationErrors.unreadable(file, e);
      }
    }
  }

  /**
   * Where the data came from.
   *
   * @param sourceTable the catalog table, e.g. {@code silver/wine}
   * @param sourceVersion the Delta version read
   * @param configHash SHA-256 of the explicit configuration of the publishing run
   * @param codeVersion synthweave version
   * @param createdAt ISO-8601 instant the export was made
   */
  public record Provenance(
      @JsonProperty("source_table") String sourceTable,
      @JsonProperty("source_version") long sourceVersion,
      @JsonProperty("config_hash") String configHash,
      @JsonProperty("code_version") String codeVersion,
      @JsonProperty("created_at") String createdAt) {}

  /**
   * A new unsigned manifest: sorts {@code files} by path and computes the row total, the schema
   * hash and the Merkle root.
   */
  public static DatasetManifest create(
      String dataset,
      String version,
      long tableVersion,
      String schema,
      List<FileEntry> files,
      Provenance provenance,
      Map<String, Object> quality) {
    requireText(dataset, "dataset");
    requireText(version, "version");
    requireText(schema, "schema");
    if (files == null || provenance == null) {
      throw new IllegalArgumentException("files and provenance must not be null");
    }
    List<FileEntry> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparing(FileEntry::path));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).path().equals(sorted.get(i - 1).path())) {
        throw new IllegalArgumentException("files lists " + sorted.get(i).path() + " twice");
      }
    }
    long rows = sorted.stream().mapToLong(FileEntry::rows).sum();
    return new DatasetManifest(
        FORMAT,
        dataset,
        version,
        tableVersion,
        schema,
        ContentIds.sha256Hex(schema),
        rows,
        List.copyOf(sorted),
        merkleRootOf(sorted),
        provenance,
        quality == null ? null : new TreeMap<>(quality),
        null,
        null);
  }

  /** The hex Merkle root of {@code files} in the given order. */
  public static String merkleRootOf(List<FileEntry> files) {
    return MerkleRoot.ofHex(files.stream().map(FileEntry::sha256).toList());
  }

  /** The bytes a signature covers: this manifest without its signature, canonical JSON. */
  public byte[] canonicalBytes() {
    return ManifestJson.canonicalWithoutSignature(ManifestJson.MAPPER.valueToTree(this));
  }

  /**
   * This manifest signed with {@code key} (an Arweave wallet's RSA key); its certificate, if any,
   * is signed first, on its own, by the same key.
   */
  public DatasetManifest sign(RSAPrivateCrtKey key) {
    DatasetManifest m = certificate == null ? this : withCertificate(certificate.sign(key));
    return m.withSignature(ManifestSignature.sign(m.canonicalBytes(), key));
  }

  public DatasetManifest withSignature(ManifestSignature s) {
    return new DatasetManifest(
        format,
        dataset,
        version,
        tableVersion,
        schema,
        schemaHash,
        rows,
        files,
        merkleRoot,
        provenance,
        quality,
        certificate,
        s);
  }

  /**
   * This manifest, unsigned, carrying {@code c} (signed by the same key when the manifest is: see
   * {@link #sign}).
   */
  public DatasetManifest withCertificate(Certificate c) {
    return new DatasetManifest(
        format,
        dataset,
        version,
        tableVersion,
        schema,
        schemaHash,
        rows,
        files,
        merkleRoot,
        provenance,
        quality,
        c,
        null);
  }

  /**
   * The Parquet files of the dataset: the entries ending in {@code .parquet}; the others (the
   * dataset card) describe them.
   */
  public List<FileEntry> dataFiles() {
    return files.stream()
        .filter(f -> f != null && f.path() != null && f.path().endsWith(".parquet"))
        .toList();
  }

  /** Pretty JSON with sorted keys, for the file; the signature covers the canonical form. */
  public String toJson() {
    try {
      return ManifestJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a manifest must serialize: " + e.getMessage(), e);
    }
  }

  /** Writes {@link #toJson()} to {@code dir/manifest.json}, replacing it; returns the file. */
  public Path writeTo(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    try {
      Files.writeString(file, toJson(), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw VerificationErrors.unwritable(file, e);
    }
  }

  /** Reads {@code dir/manifest.json}. */
  public static DatasetManifest readFrom(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    return fromTree(readTree(file), file);
  }

  static JsonNode readTree(Path file) {
    try {
      return ManifestJson.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw VerificationErrors.malformed(file, e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw VerificationErrors.unreadable(file, e);
    }
  }

  static DatasetManifest fromTree(JsonNode tree, Path file) {
    if (tree == null || !tree.isObject()) {
      // Empty text, "null" or a bare value: Jackson would bind it to null, not to a manifest.
      throw VerificationErrors.malformed(
          file,
          "it is not a JSON object (" + (tree == null ? "empty" : tree.getNodeType()) + ")",
          null);
    }
    try {
      DatasetManifest m = ManifestJson.MAPPER.treeToValue(tree, DatasetManifest.class);
      if (!FORMAT.equals(m.format())) {
        throw VerificationErrors.malformed(
            file, "format is " + m.format() + ", this version reads " + FORMAT, null);
      }
      if (m.files() == null) {
        throw VerificationErrors.malformed(file, "it has no files list", null);
      }
      return m;
    } catch (JsonProcessingException e) {
      throw VerificationErrors.malformed(file, e.getOriginalMessage(), e);
    }
  }

  static String sha256Hex(Path file) throws IOException {
    MessageDigest md = ContentIds.sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void requireText(String v, String name) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
