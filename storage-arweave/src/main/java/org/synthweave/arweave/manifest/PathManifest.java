package org.synthweave.arweave.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
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

  /** Largest manifest read: a dataset of many thousand files stays far below it. */
  public static final int MAX_MANIFEST_BYTES = 16 << 20;

  /** Most paths in one manifest. */
  public static final int MAX_PATHS = 100_000;

  /** Longest path, in characters. */
  public static final int MAX_PATH_CHARS = 1024;

  /** Longest path segment in UTF-8 bytes: the file-name limit of common file systems. */
  public static final int MAX_SEGMENT_BYTES = 255;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");

  /** Duplicate keys are refused: two entries for one path would make the manifest ambiguous. */
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private final TreeMap<String, String> paths = new TreeMap<>();
  private String index;

  /**
   * Maps {@code path} to transaction or data item {@code id}. A path is relative and '/'-separated:
   * segments that are not empty, "." or "..", no backslash or control character (NUL included), at
   * most {@link #MAX_SEGMENT_BYTES} UTF-8 bytes a segment and {@link #MAX_PATH_CHARS} characters in
   * all; so every accepted path names a file inside any folder it is written under. A path may not
   * also be a folder of another path.
   */
  public PathManifest path(String path, String id) {
    String bad = pathProblem(path);
    if (bad != null) {
      throw new IllegalArgumentException("path \"" + printable(path) + "\" is refused: " + bad);
    }
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "id must be a 43-character base64url id, got \"" + printable(id) + "\"");
    }
    String folder = path + "/";
    String below = paths.ceilingKey(folder);
    if (below != null && below.startsWith(folder)) {
      throw new IllegalArgumentException(
          "path \"" + printable(path) + "\" is also the folder of \"" + printable(below) + "\"");
    }
    for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
      if (paths.containsKey(path.substring(0, slash))) {
        throw new IllegalArgumentException(
            "path \""
                + printable(path)
                + "\" lies below the file \""
                + printable(path.substring(0, slash))
                + "\"");
      }
    }
    if (paths.size() >= MAX_PATHS && !paths.containsKey(path)) {
      throw new IllegalArgumentException("more than " + MAX_PATHS + " paths");
    }
    paths.put(path, id);
    return this;
  }

  /**
   * Why {@code path} is not a safe relative path (empty, absolute, a backslash, a control
   * character, an empty, "." or ".." segment, too long), or null when it is.
   */
  public static String pathProblem(String path) {
    if (path == null || path.isEmpty()) {
      return "it is empty";
    }
    if (path.length() > MAX_PATH_CHARS) {
      return "it is longer than " + MAX_PATH_CHARS + " characters";
    }
    if (path.startsWith("/")) {
      return "it is absolute";
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\') {
        return "it holds a backslash";
      }
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validSurrogate(path, i)) {
        return "it holds a control character or broken UTF-16";
      }
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return "it has an empty, \".\" or \"..\" segment";
      }
      if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
        return "a segment is longer than " + MAX_SEGMENT_BYTES + " bytes";
      }
    }
    return null;
  }

  private static boolean validSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  /** {@code s} cut short and with control characters escaped, for an error message. */
  private static String printable(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 120; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return s.length() > 120 ? b + "..." : b.toString();
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

  /**
   * Reads a manifest as served for transaction {@code id}; fails with an {@link
   * org.synthweave.arweave.ArweaveException} if it is not one, or if any path is unsafe (see {@link
   * #path}) or duplicated, so that whatever it returns can be written under a folder as it is.
   */
  public static PathManifest parse(byte[] bytes, String id) {
    if (bytes == null) {
      throw new IllegalArgumentException("bytes must not be null");
    }
    if (bytes.length > MAX_MANIFEST_BYTES) {
      throw ArweaveErrors.notAPathManifest(
          id, "it is " + bytes.length + " bytes, over the limit of " + MAX_MANIFEST_BYTES);
    }
    JsonNode n;
    try {
      n = JSON.readTree(bytes);
    } catch (java.io.IOException e) {
      throw ArweaveErrors.notAPathManifest(
          id, "its data is not valid JSON (" + printable(String.valueOf(e.getMessage())) + ")");
    }
    if (n == null || !n.isObject() || !"arweave/paths".equals(n.path("manifest").asText())) {
      throw ArweaveErrors.notAPathManifest(id, "it has no \"manifest\": \"arweave/paths\" field");
    }
    JsonNode list = n.path("paths");
    if (!list.isObject() || list.isEmpty()) {
      throw ArweaveErrors.notAPathManifest(id, "its \"paths\" is not an object with entries");
    }
    PathManifest m = new PathManifest();
    try {
      for (Iterator<Map.Entry<String, JsonNode>> it = list.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode txId = e.getValue().path("id");
        m.path(e.getKey(), txId.isTextual() ? txId.asText() : null);
      }
    } catch (IllegalArgumentException e) {
      throw ArweaveErrors.notAPathManifest(id, e.getMessage());
    }
    JsonNode index = n.path("index");
    if (!index.isMissingNode() && !index.isNull()) {
      JsonNode path = index.path("path");
      if (!path.isTextual() || !m.paths.containsKey(path.asText())) {
        throw ArweaveErrors.notAPathManifest(
            id, "its index " + printable(index.toString()) + " is not one of its paths");
      }
      m.index(path.asText());
    }
    return m;
  }

  /**
   * Where {@code path} of this manifest goes under {@code root}: always a file strictly inside
   * {@code root}, since {@link #path} admits only safe paths (checked again here all the same).
   */
  public static java.nio.file.Path target(java.nio.file.Path root, String path, String id) {
    java.nio.file.Path base = root.toAbsolutePath().normalize();
    java.nio.file.Path target;
    try {
      target = pathProblem(path) == null ? base.resolve(path).normalize() : null;
    } catch (java.nio.file.InvalidPathException e) {
      target = null;
    }
    if (target == null || !target.startsWith(base) || target.equals(base)) {
      throw ArweaveErrors.unsafeManifestPath(id, printable(path));
    }
    return target;
  }
}
