package org.synthweave.market.serve;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.synthweave.market.Preview;

/**
 * A {@link Preview} as an Apache Arrow IPC stream ({@code application/vnd.apache.arrow.stream}):
 * the schema, one record batch with every row, the end-of-stream marker. Any Arrow reader (pyarrow
 * {@code ipc.open_stream}, Arrow Java's {@code ArrowStreamReader}, DuckDB) reads it.
 *
 * <p>Types: STRING and OTHER as Utf8, LONG as Int64, DOUBLE as Float64, BOOLEAN as Bool, DATE as
 * Date32 (days), TIMESTAMP as Timestamp(microseconds, UTC), BINARY as Binary; every field nullable.
 * Each field's metadata {@code synthweave.type} names the preview type, so OTHER (decimals and
 * nested values in text form) can be told from a real string column.
 */
public final class PreviewArrow {
  /** The media type of an Arrow IPC stream. */
  public static final String MEDIA_TYPE = "application/vnd.apache.arrow.stream";

  /** The field metadata key that names the preview type of a column. */
  public static final String TYPE_KEY = "synthweave.type";

  private PreviewArrow() {}

  /** The Arrow schema of {@code preview}'s columns. */
  public static Schema schema(Preview preview) {
    List<Field> fields = new ArrayList<>();
    for (Preview.Column c : preview.columns()) {
      fields.add(
          new Field(
              c.name(),
              new org.apache.arrow.vector.types.pojo.FieldType(
                  true, arrowType(c.type()), null, java.util.Map.of(TYPE_KEY, c.type().name())),
              null));
    }
    return new Schema(fields);
  }

  /** The Arrow type a preview type is written as. */
  static ArrowType arrowType(Preview.Type t) {
    return switch (t) {
      case STRING, OTHER -> ArrowType.Utf8.INSTANCE;
      case LONG -> new ArrowType.Int(64, true);
      case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
      case DATE -> new ArrowType.Date(DateUnit.DAY);
      case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
      case BINARY -> ArrowType.Binary.INSTANCE;
    };
  }

  /**
   * Writes {@code preview} to {@code out} as an Arrow IPC stream, with vectors from {@code
   * allocator} (released before returning). Does not close {@code out}.
   */
  public static void write(Preview preview, OutputStream out, BufferAllocator allocator)
      throws IOException {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema(preview), allocator);
        ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
      int n = preview.rows().size();
      for (int col = 0; col < preview.columns().size(); col++) {
        FieldVector v = root.getVector(col);
        v.allocateNew();
        Preview.Type type = preview.columns().get(col).type();
        for (int row = 0; row < n; row++) {
          set(v, type, row, preview.rows().get(row).get(col));
        }
        v.setValueCount(n);
      }
      root.setRowCount(n);
      writer.start();
      writer.writeBatch();
      writer.end();
    }
  }

  private static void set(FieldVector v, Preview.Type type, int row, Object value) {
    if (value == null) {
      v.setNull(row);
      return;
    }
    switch (type) {
      case STRING, OTHER ->
          ((VarCharVector) v).setSafe(row, value.toString().getBytes(StandardCharsets.UTF_8));
      case LONG -> ((BigIntVector) v).setSafe(row, ((Number) value).longValue());
      case DOUBLE -> ((Float8Vector) v).setSafe(row, ((Number) value).doubleValue());
      case BOOLEAN -> ((BitVector) v).setSafe(row, ((Boolean) value) ? 1 : 0);
      case DATE ->
          ((DateDayVector) v).setSafe(row, Math.toIntExact(((LocalDate) value).toEpochDay()));
      case TIMESTAMP -> ((TimeStampMicroTZVector) v).setSafe(row, micros((Instant) value));
      case BINARY -> ((VarBinaryVector) v).setSafe(row, (byte[]) value);
    }
  }

  /** Microseconds since the epoch; sub-microsecond digits are dropped. */
  static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }
}
