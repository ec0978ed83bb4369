package org.synthweave.arweave.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.synthweave.arweave.ArweaveErrors;
import org.synthweave.arweave.tx.Tag;

/**
 * An {@code arweave/paths} manifest (version 0.1.0). Paths are sorted so that the same folder
 * always gives the same bytes, and so the same manifest id once signed data is equal.
 */
public final class PathManifest {
  /** Content-Type that makes gateways resolve paths through the manifest. */
  public static final String CONTENT_TYPE = "application/x.arweave-manifest+json";

  /** The tag to put on the manifest transaction. */
  public static final Tag CONTENT_TYPE_TAG = Tag.of("Content-Type", CONTENT_TYPE);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> paths = new TreeMap<>();
  private String index;

  /** Maps {@code path} (relative, '/'-separated) to transaction or data item {@code id}. */
  public PathManifest path(String path, String id) {
    if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
      throw new IllegalArgumentException(
          "path must be relative and '/'-separated, got \"" + path + "\"");
    }
    if (id == null || !id.matches("[A-Za-z0-9_-]{43}")) {
      throw new IllegalArgumentException("id must be a 43-character id, got \"" + id + "\"");
    }
    paths.put(path, id);
    return this;
  }

  /** The path served at {@code /{manifestId}/} itself; must be one of the paths. */
  public PathManifest index(String path) {
    this.index = path;
    return this;
  }

  public Map<String, String> paths() {
    return Collections.unmodifiableMap(paths);
  }

  public String toJson() {
    if (index != null && !paths.containsKey(index)) {
      throw ArweaveErrors.badManifest("index \"" + index + "\" is not one of the paths");
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("manifest", "arweave/paths");
    o.put("version", "0.1.0");
    if (index != null) {
      o.putObject("index").put("path", index);
    }
    ObjectNode p = o.putObject("paths");
    paths.forEach((k, v) -> p.putObject(k).put("id", v));
    return o.toString();
  }

  public byte[] toBytes() {
    return toJson().getBytes(StandardCharsets.UTF_8);
  }

  /** The index path, or null. */
  public String index() {
    return index;
  }

  /** Reads a manifest as served for transaction {@code id}; fails if it is not one. */
  public static PathManifest parse(byte[] bytes, String id) {
    if (bytes == null) {
      throw new IllegalArgumentException("bytes must not be null");
    }
    JsonNode n;
    try {
      n = JSON.readTree(bytes);
    } catch (java.io.IOException e) {
      throw ArweaveErrors.notAPathManifest(id, "its data is not JSON");
    }
    if (n == null || !"arweave/paths".equals(n.path("manifest").asText())) {
      throw ArweaveErrors.notAPathManifest(id, "it has no \"manifest\": \"arweave/paths\" field");
    }
    PathManifest m = new PathManifest();
    try {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.path("paths").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        m.path(e.getKey(), e.getValue().path("id").asText(null));
      }
    } catch (IllegalArgumentException e) {
      throw ArweaveErrors.notAPathManifest(id, e.getMessage());
    }
    String index = n.path("index").path("path").asText(null);
    if (index != null) {
      if (!m.paths.containsKey(index)) {
        throw ArweaveErrors.notAPathManifest(id, "its index " + index + " is not one of its paths");
      }
      m.index(index);
    }
    return m;
  }
}
