package org.synthweave.verification.card;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The columns of a Spark schema (its JSON form, as the manifest records it) with the Croissant 1.0
 * {@code dataType} of each. Read from the JSON rather than from Spark's types so that a buyer's
 * verifier needs no Spark.
 */
public final class CardFields {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CardFields() {}

  /**
   * One column.
   *
   * @param name the column name
   * @param sparkType the Spark type as written in the schema, e.g. {@code decimal(10,2)} or {@code
   *     array<string>}
   * @param dataType the Croissant data type, e.g. {@code sc:Integer}; null for a struct
   * @param repeated whether the column holds a list (a Spark array) of {@code dataType} values
   * @param nullable whether the column may hold nulls
   * @param subFields the fields of a struct column (of its elements for an array of structs)
   */
  public record Column(
      String name,
      String sparkType,
      String dataType,
      boolean repeated,
      boolean nullable,
      List<Column> subFields) {
    public Column {
      subFields = List.copyOf(subFields);
    }
  }

  /**
   * The columns of {@code schemaJson} (Spark's {@code StructType.json()}), in order.
   *
   * @throws IllegalArgumentException when it is not a struct schema
   */
  public static List<Column> of(String schemaJson) {
    if (schemaJson == null) {
      throw new IllegalArgumentException("schemaJson must not be null");
    }
    JsonNode root;
    try {
      root = JSON.readTree(schemaJson);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the schema is not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !"struct".equals(root.path("type").asText())) {
      throw new IllegalArgumentException("the schema is not a Spark struct: " + schemaJson);
    }
    return fields(root);
  }

  private static List<Column> fields(JsonNode struct) {
    List<Column> out = new ArrayList<>();
    for (JsonNode f : struct.path("fields")) {
      out.add(column(f.path("name").asText(), f.path("type"), f.path("nullable").asBoolean(true)));
    }
    return out;
  }

  private static Column column(String name, JsonNode type, boolean nullable) {
    if (type.isObject() && "array".equals(type.path("type").asText())) {
      Column element = column(name, type.path("elementType"), true);
      // A list of lists has no Croissant form; it is described as its text.
      if (element.repeated()) {
        return new Column(name, typeName(type), "sc:Text", false, nullable, List.of());
      }
      return new Column(
          name, typeName(type), element.dataType(), true, nullable, element.subFields());
    }
    if (type.isObject() && "struct".equals(type.path("type").asText())) {
      // A struct is described by its sub-fields; Croissant gives such a field no dataType.
      return new Column(name, typeName(type), null, false, nullable, fields(type));
    }
    return new Column(name, typeName(type), dataType(type), false, nullable, List.of());
  }

  /** The Croissant data type of a Spark type that is neither an array nor a struct. */
  static String dataType(JsonNode type) {
    if (!type.isTextual()) {
      // map, user-defined types: no Croissant counterpart, described as text.
      return "sc:Text";
    }
    String t = type.asText().toLowerCase(Locale.ROOT);
    if (t.startsWith("decimal")) {
      return "sc:Float";
    }
    if (t.startsWith("char") || t.startsWith("varchar")) {
      return "sc:Text";
    }
    return switch (t) {
      case "byte", "short", "integer", "long" -> "sc:Integer";
      case "float", "double" -> "sc:Float";
      case "boolean" -> "sc:Boolean";
      case "date" -> "sc:Date";
      case "timestamp", "timestamp_ntz" -> "sc:DateTime";
      default -> "sc:Text"; // string, binary, variant, intervals
    };
  }

  /** A short readable form of a Spark type: {@code double}, {@code array<string>}, ... */
  static String typeName(JsonNode type) {
    if (type.isTextual()) {
      return type.asText();
    }
    String kind = type.path("type").asText();
    return switch (kind) {
      case "array" -> "array<" + typeName(type.path("elementType")) + ">";
      case "map" ->
          "map<" + typeName(type.path("keyType")) + "," + typeName(type.path("valueType")) + ">";
      case "struct" -> {
        List<String> parts = new ArrayList<>();
        for (JsonNode f : type.path("fields")) {
          parts.add(f.path("name").asText() + ":" + typeName(f.path("type")));
        }
        yield "struct<" + String.join(",", parts) + ">";
      }
      default -> kind.isEmpty() ? type.toString() : kind;
    };
  }
}
