package org.synthweave.core.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a stage read to make the rows of one Delta commit: the stage, each source table with the
 * Delta version it was read at, and the run. Stages write it as the commit's {@code userMetadata}
 * ({@code {"synthweave":{"stage":...,"sources":[{"table":...,"version":...}],"run_id":...}}}), so
 * that a certificate can name the upstream versions a table's rows came from instead of guessing
 * them from commit times.
 *
 * @param stage the stage that wrote the commit, e.g. {@code synthesize}
 * @param sources the tables it read, each at the version it read; empty when not known
 * @param runId the run that wrote it; null when not known
 */
public record CommitLineage(String stage, List<Source> sources, String runId) {
  /** The top-level member of the commit metadata that holds the lineage. */
  public static final String KEY = "synthweave";

  private static final ObjectMapper JSON = new ObjectMapper();

  public CommitLineage {
    if (stage == null || stage.isBlank()) {
      throw new IllegalArgumentException("stage must not be blank");
    }
    sources = List.copyOf(sources);
  }

  /**
   * One table read at one Delta version.
   *
   * @param table the catalog table, e.g. {@code silver/wine}
   * @param version the Delta version read
   */
  public record Source(String table, long version) {
    public Source {
      if (table == null || table.isBlank()) {
        throw new IllegalArgumentException("table must not be blank");
      }
      if (version < 0) {
        throw new IllegalArgumentException("version must be >= 0, got " + version);
      }
    }
  }

  /** A commit of {@code stage} in run {@code runId} that read {@code table} at {@code version}. */
  public static CommitLineage of(String stage, String table, Long version, String runId) {
    return new CommitLineage(
        stage, version == null ? List.of() : List.of(new Source(table, version)), runId);
  }

  /** The commit metadata: one compact JSON object. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode body = root.putObject(KEY);
    body.put("stage", stage);
    ArrayNode list = body.putArray("sources");
    for (Source s : sources) {
      list.addObject().put("table", s.table()).put("version", s.version());
    }
    if (runId != null) {
      body.put("run_id", runId);
    }
    return root.toString();
  }

  /**
   * The lineage in a commit's {@code userMetadata}; empty when there is none, the text is not JSON
   * or it holds no {@value #KEY} member (metadata written by someone else).
   */
  public static Optional<CommitLineage> parse(String userMetadata) {
    if (userMetadata == null || userMetadata.isBlank()) {
      return Optional.empty();
    }
    JsonNode body;
    try {
      body = JSON.readTree(userMetadata).path(KEY);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    String stage = body.path("stage").asText("");
    if (!body.isObject() || stage.isBlank()) {
      return Optional.empty();
    }
    List<Source> sources = new ArrayList<>();
    for (JsonNode s : body.path("sources")) {
      String table = s.path("table").asText("");
      JsonNode v = s.path("version");
      if (!table.isBlank() && v.canConvertToLong() && v.asLong() >= 0) {
        sources.add(new Source(table, v.asLong()));
      }
    }
    JsonNode run = body.path("run_id");
    return Optional.of(new CommitLineage(stage, sources, run.isTextual() ? run.asText() : null));
  }
}
