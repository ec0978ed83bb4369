package org.synthweave.ingest.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes telemetry readings as a typed Parquet file with parquet-mr directly (timestamps as INT64
 * TIMESTAMP(MILLIS)), so tests can store values Spark itself would refuse to write, such as a
 * timestamp of Long.MAX_VALUE milliseconds.
 */
public final class TelemetryParquet {
  private TelemetryParquet() {}

  public static final MessageType SCHEMA =
      Types.buildMessage()
          .optional(PrimitiveType.PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named("device_id")
          .optional(PrimitiveType.PrimitiveTypeName.INT64)
          .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS))
          .named("timestamp")
          .optional(PrimitiveType.PrimitiveTypeName.DOUBLE)
          .named("lat")
          .optional(PrimitiveType.PrimitiveTypeName.DOUBLE)
          .named("lon")
          .optional(PrimitiveType.PrimitiveTypeName.DOUBLE)
          .named("humidity")
          .optional(PrimitiveType.PrimitiveTypeName.DOUBLE)
          .named("temperature")
          .optional(PrimitiveType.PrimitiveTypeName.INT64)
          .named("reading_seq")
          .optional(PrimitiveType.PrimitiveTypeName.INT32)
          .named("anomaly_label")
          .optional(PrimitiveType.PrimitiveTypeName.BOOLEAN)
          .named("indoor")
          .optional(PrimitiveType.PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named("network")
          .optional(PrimitiveType.PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named("signature")
          .named("reading");

  /** Writes raw string rows; each value must parse as its column's type, null for none. */
  public static void write(Path file, List<Map<String, String>> rows) throws IOException {
    write(file, rows, CompressionCodecName.UNCOMPRESSED);
  }

  /** {@link #write(Path, List)} with pages compressed by {@code codec}. */
  public static void write(Path file, List<Map<String, String>> rows, CompressionCodecName codec)
      throws IOException {
    Files.deleteIfExists(file);
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new LocalOutputFile(file))
            .withType(SCHEMA)
            .withCompressionCodec(codec)
            .build()) {
      for (Map<String, String> row : rows) {
        Group g = groups.newGroup();
        for (Type f : SCHEMA.getFields()) {
          String v = row.get(f.getName());
          if (v == null) {
            continue;
          }
          switch (f.asPrimitiveType().getPrimitiveTypeName()) {
            case DOUBLE -> g.add(f.getName(), Double.parseDouble(v));
            case INT64 -> g.add(f.getName(), Long.parseLong(v));
            case INT32 -> g.add(f.getName(), Integer.parseInt(v));
            case BOOLEAN -> g.add(f.getName(), Boolean.parseBoolean(v));
            default -> g.add(f.getName(), v);
          }
        }
        w.write(g);
      }
    }
  }

  /** {@code n} readings of one device five seconds apart, for {@link #write}. */
  public static List<Map<String, String>> readings(int n) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("device_id", "wsn-mh-mote1");
      row.put("timestamp", Long.toString(1_278_720_200_000L + 5000L * i));
      row.put("humidity", "50.0");
      row.put("temperature", Double.toString(20.0 + i));
      row.put("reading_seq", Integer.toString(i));
      rows.add(row);
    }
    return rows;
  }
}
