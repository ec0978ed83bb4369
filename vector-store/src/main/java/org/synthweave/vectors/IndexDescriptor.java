package org.synthweave.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The small JSON file ({@value #FILE}) beside an index's shards, and the index's one commit point:
 * a shard exists for readers only once the descriptor lists it. It records how the vectors were
 * made (model and version, dimensions), how the graphs were built, which source table version the
 * index reflects, and every shard with its live and deleted vector counts.
 *
 * @param name index name, e.g. {@code text}
 * @param dimensions vector length
 * @param params graph parameters of every shard
 * @param kind what the vectors are of (text passages, table rows, images)
 * @param model model that made the vectors
 * @param modelVersion version of that model (files hash, fitted pipeline hash); vectors of other
 *     versions do not belong in this index
 * @param sourceTable table the vectors were read from
 * @param sourceVersion Delta version of {@code sourceTable} the index reflects, -1 if not a Delta
 *     table
 * @param filterable metadata fields a search can filter on
 * @param stored fields returned with a hit but not filterable
 * @param generation incremented by every update; new shard names carry it
 * @param shards the live shards
 * @param updatedAt ISO-8601 time of the last update
 */
public record IndexDescriptor(
    String name,
    int dimensions,
    HnswParams params,
    String kind,
    String model,
    String modelVersion,
    String sourceTable,
    long sourceVersion,
    List<String> filterable,
    List<String> stored,
    long generation,
    List<Shard> shards,
    String updatedAt) {
  public static final String FILE = "index.json";
  private static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One shard: its directory name under the index, live vectors and deleted (hidden) ones. */
  public record Shard(String name, long vectors, long deleted) {
    /** Share of the shard's documents that are deleted and still take space and graph time. */
    public double deletedRatio() {
      long all = vectors + deleted;
      return all == 0 ? 0 : deleted / (double) all;
    }
  }

  public IndexDescriptor {
    filterable = List.copyOf(filterable);
    stored = List.copyOf(stored);
    shards = List.copyOf(shards);
  }

  /** Live vectors over all shards. */
  public long vectors() {
    return shards.stream().mapToLong(Shard::vectors).sum();
  }

  /** Deleted vectors still held by shards (removed by compaction). */
  public long deleted() {
    return shards.stream().mapToLong(Shard::deleted).sum();
  }

  /** The same index with other shards, generation, source version and time. */
  public IndexDescriptor withShards(
      List<Shard> newShards, long newGeneration, long newSourceVersion, String time) {
    return new IndexDescriptor(
        name,
        dimensions,
        params,
        kind,
        model,
        modelVersion,
        sourceTable,
        newSourceVersion,
        filterable,
        stored,
        newGeneration,
        newShards,
        time);
  }

  /**
   * Why vectors described by {@code other} cannot go into this index (so it must be rebuilt), or
   * null if they can.
   */
  public String incompatibility(IndexDescriptor other) {
    if (dimensions != other.dimensions) {
      return "dimensions " + dimensions + " -> " + other.dimensions;
    }
    if (!params.equals(other.params)) {
      return "graph parameters " + params + " -> " + other.params;
    }
    if (!java.util.Objects.equals(model, other.model)
        || !java.util.Objects.equals(modelVersion, other.modelVersion)) {
      return "model "
          + model
          + "@"
          + modelVersion
          + " -> "
          + other.model
          + "@"
          + other.modelVersion;
    }
    if (!filterable.equals(other.filterable) || !stored.equals(other.stored)) {
      return "fields " + filterable + "/" + stored + " -> " + other.filterable + "/" + other.stored;
    }
    return null;
  }

  public byte[] toJson() {
    ObjectNode d = JSON.createObjectNode();
    d.put("format", FORMAT);
    d.put("name", name);
    d.put("dimensions", dimensions);
    d.put("similarity", params.similarity().name().toLowerCase(Locale.ROOT));
    d.put("m", params.m());
    d.put("beam_width", params.beamWidth());
    d.put("quantization", params.quantization().name().toLowerCase(Locale.ROOT));
    d.put("kind", kind);
    d.put("model", model);
    d.put("model_version", modelVersion);
    d.put("source_table", sourceTable);
    d.put("source_version", sourceVersion);
    d.putPOJO("filterable", filterable);
    d.putPOJO("stored", stored);
    d.put("generation", generation);
    d.put("vectors", vectors());
    d.put("deleted", deleted());
    var list = d.putArray("shards");
    for (Shard s : shards) {
      list.addObject().put("name", s.name).put("vectors", s.vectors).put("deleted", s.deleted);
    }
    d.put("updated_at", updatedAt);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a descriptor; {@code where} names the file in error messages. */
  public static IndexDescriptor parse(byte[] json, String where) {
    try {
      JsonNode d = JSON.readTree(json);
      if (d == null || d.path("format").asInt() != FORMAT) {
        throw VectorStoreErrors.badDescriptor(where, "unknown format " + d.path("format"));
      }
      HnswParams params =
          new HnswParams(
              HnswParams.Similarity.valueOf(text(d, "similarity").toUpperCase(Locale.ROOT)),
              d.path("m").asInt(),
              d.path("beam_width").asInt(),
              HnswParams.Quantization.valueOf(text(d, "quantization").toUpperCase(Locale.ROOT)));
      List<Shard> shards = new ArrayList<>();
      for (JsonNode s : d.path("shards")) {
        shards.add(
            new Shard(text(s, "name"), s.path("vectors").asLong(), s.path("deleted").asLong()));
      }
      return new IndexDescriptor(
          text(d, "name"),
          d.path("dimensions").asInt(),
          params,
          d.path("kind").asText(null),
          d.path("model").asText(null),
          d.path("model_version").asText(null),
          d.path("source_table").asText(null),
          d.path("source_version").asLong(-1),
          strings(d.path("filterable")),
          strings(d.path("stored")),
          d.path("generation").asLong(),
          shards,
          d.path("updated_at").asText(null));
    } catch (IOException | IllegalArgumentException e) {
      throw VectorStoreErrors.badDescriptor(where, e.getMessage());
    }
  }

  /** Reads {@code <index>/index.json} from a local index directory. */
  public static IndexDescriptor read(Path indexDir) {
    Path file = indexDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw VectorStoreErrors.noIndex(indexDir);
    }
    try {
      return parse(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw VectorStoreErrors.badDescriptor(file.toString(), e.getMessage());
    }
  }

  /** Descriptor fields as a map, for printing. */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("kind", kind);
    m.put("model", model);
    m.put("model_version", modelVersion);
    m.put("dimensions", dimensions);
    m.put("similarity", params.similarity().name().toLowerCase(Locale.ROOT));
    m.put("source", sourceTable + (sourceVersion >= 0 ? "@v" + sourceVersion : ""));
    m.put("shards", shards.size());
    m.put("vectors", vectors());
    m.put("deleted", deleted());
    return m;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("missing field " + field);
    }
    return v.asText();
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }
}
