package org.synthweave.verification;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The JSON forms of a manifest. The canonical form, which is what gets signed, is the manifest
 * without its {@code signature} member, with object keys sorted at every level and no whitespace,
 * in UTF-8; it is computed from the parsed JSON tree so that a verifier signs off exactly what the
 * file says, including members this version does not know.
 */
final class ManifestJson {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // A key given twice would let two readers see two manifests behind one signature.
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  static final String SIGNATURE_FIELD = "signature";

  private ManifestJson() {}

  /** Canonical bytes of {@code manifest} with its signature member removed. */
  static byte[] canonicalWithoutSignature(JsonNode manifest) {
    if (!(manifest instanceof ObjectNode o)) {
      throw new IllegalArgumentException("a manifest must be a JSON object, got " + manifest);
    }
    ObjectNode copy = o.deepCopy();
    copy.remove(SIGNATURE_FIELD);
    try {
      // Through plain maps, because ORDER_MAP_ENTRIES_BY_KEYS sorts maps but not ObjectNodes.
      Object plain = MAPPER.treeToValue(copy, Object.class);
      return MAPPER.writeValueAsString(plain).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree must serialize: " + e.getMessage(), e);
    }
  }
}
