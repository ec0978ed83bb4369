package org.synthweave.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * The first rows of a Parquet file held in memory, read with parquet-hadoop's example {@link Group}
 * records: no Spark and no Hadoop file system, so nothing of an untrusted file touches the disk.
 * Each top-level column gets a {@link Preview.Type}; nested columns (lists, maps, structs) and
 * types without a plain Java value (decimals, times, unsigned 64-bit) are {@link
 * Preview.Type#OTHER} in a JSON or text form.
 */
final class ParquetRows {
  /** Characters of one {@link Preview.Type#OTHER} value kept; the rest is cut. */
  static final int MAX_TEXT_CHARS = 64 * 1024;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * The codecs a preview decompresses: those parquet-hadoop decodes with the libraries on this
   * classpath (Spark writes snappy; LZ4 and LZO need native or extra libraries, Brotli a codec
   * nobody ships).
   */
  static final Set<CompressionCodecName> CODECS =
      EnumSet.of(
          CompressionCodecName.UNCOMPRESSED,
          CompressionCodecName.SNAPPY,
          CompressionCodecName.GZIP,
          CompressionCodecName.ZSTD,
          CompressionCodecName.LZ4_RAW);

  /**
   * Bytes one page may claim to decompress to. Parquet writers cut pages at about 1 MiB; a page
   * holding one large value can be bigger, hence the margin.
   */
  static final int MAX_PAGE_BYTES = 64 << 20;

  /** Bytes the pages of one preview may decompress to in all. */
  static final long MAX_DECOMPRESSED_BYTES = 256L << 20;

  /** Days from the Julian day epoch to 1970-01-01, for INT96 timestamps. */
  private static final long JULIAN_EPOCH_DAY = 2_440_588L;

  private ParquetRows() {}

  /**
   * At most {@code maxRows} first rows of the Parquet file {@code data}.
   *
   * @throws ListingDataException when {@code data} is not a Parquet file this reader can read
   *     (truncated, garbage, a footer or page that does not decode)
   */
  static Preview read(String listingId, String file, byte[] data, int maxRows)
      throws ListingDataException {
    // A page header states its decompressed size and the codec allocates it up front: bounded.
    BoundedCodecs codecs =
        new BoundedCodecs(
            ParquetReadOptions.builder().build().getCodecFactory(),
            MAX_PAGE_BYTES,
            MAX_DECOMPRESSED_BYTES);
    try (ParquetFileReader r =
        ParquetFileReader.open(
            new InMemoryFile(data),
            ParquetReadOptions.builder().withCodecFactory(codecs).build())) {
      MessageType schema = r.getFooter().getFileMetaData().getSchema();
      for (BlockMetaData block : r.getFooter().getBlocks()) {
        for (ColumnChunkMetaData chunk : block.getColumns()) {
          if (!CODECS.contains(chunk.getCodec())) {
            throw new ListingDataException(
                "listing "
                    + listingId
                    + ": "
                    + file
                    + " is compressed with "
                    + chunk.getCodec()
                    + ", which a preview does not read (it reads "
                    + CODECS
                    + ")");
          }
        }
      }
      List<Preview.Column> columns = new ArrayList<>();
      for (Type t : schema.getFields()) {
        columns.add(new Preview.Column(t.getName(), typeOf(t)));
      }
      List<List<Object>> rows = new ArrayList<>();
      MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
      PageReadStore pages;
      while (rows.size() < maxRows && (pages = r.readNextRowGroup()) != null) {
        RecordReader<Group> records = io.getRecordReader(pages, new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount() && rows.size() < maxRows; i++) {
          rows.add(row(records.read(), schema, columns));
        }
      }
      return new Preview(listingId, file, columns, rows);
    } catch (ListingDataException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // The decoder wraps what a codec throws (ParquetDecodingException): find the refusal.
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof BoundedCodecs.ClaimTooLarge claim) {
          throw new ListingDataException(
              "listing " + listingId + ": " + file + " is refused: " + claim.getMessage(), e);
        }
      }
      // A hostile file can break the decoder anywhere; what broke is the reason, not a crash.
      throw new ListingDataException(
          "listing "
              + listingId
              + ": "
              + file
              + " is not a Parquet file that can be read: "
              + e.getClass().getSimpleName()
              + ": "
              + String.valueOf(e.getMessage()).replaceAll("\\s+", " "),
          e);
    }
  }

  /** The preview type of a top-level column. */
  static Preview.Type typeOf(Type t) {
    if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
      return Preview.Type.OTHER;
    }
    PrimitiveType p = t.asPrimitiveType();
    LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
    if (a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation
        || a instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation) {
      return Preview.Type.OTHER;
    }
    return switch (p.getPrimitiveTypeName()) {
      case BOOLEAN -> Preview.Type.BOOLEAN;
      case INT32 ->
          a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
              ? Preview.Type.DATE
              : Preview.Type.LONG;
      case INT64 -> {
        if (a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
          // A timestamp without a time zone is a local date-time, not an instant.
          yield ts.isAdjustedToUTC() ? Preview.Type.TIMESTAMP : Preview.Type.OTHER;
        }
        yield a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && !i.isSigned()
            ? Preview.Type.OTHER
            : Preview.Type.LONG;
      }
      case INT96 -> Preview.Type.TIMESTAMP;
      case FLOAT, DOUBLE -> Preview.Type.DOUBLE;
      case BINARY ->
          a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                  || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                  || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation
              ? Preview.Type.STRING
              : Preview.Type.BINARY;
      case FIXED_LEN_BYTE_ARRAY -> a == null ? Preview.Type.BINARY : Preview.Type.OTHER;
    };
  }

  private static List<Object> row(Group g, MessageType schema, List<Preview.Column> columns) {
    List<Object> values = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      Type t = schema.getType(i);
      int count = g.getFieldRepetitionCount(i);
      if (count == 0) {
        values.add(null);
      } else if (columns.get(i).type() != Preview.Type.OTHER) {
        values.add(value(g, i, 0, t.asPrimitiveType()));
      } else {
        values.add(text(g, i, t, count));
      }
    }
    return values;
  }

  /** The text form of an {@link Preview.Type#OTHER} value: JSON for nested data, else plain. */
  private static String text(Group g, int field, Type t, int count) {
    String s;
    if (t.isRepetition(Type.Repetition.REPEATED)) {
      ArrayNode a = NODES.arrayNode();
      for (int j = 0; j < count; j++) {
        a.add(node(g, field, j, t));
      }
      s = a.toString();
    } else if (!t.isPrimitive()) {
      s = node(g, field, 0, t).toString();
    } else {
      s = String.valueOf(value(g, field, 0, t.asPrimitiveType()));
    }
    return s.length() <= MAX_TEXT_CHARS ? s : s.substring(0, MAX_TEXT_CHARS - 1) + "…";
  }

  /** One value of {@code field} as JSON: objects for structs and maps, arrays for lists. */
  private static JsonNode node(Group g, int field, int index, Type t) {
    if (t.isPrimitive()) {
      Object v = value(g, field, index, t.asPrimitiveType());
      return v instanceof byte[] b
          ? NODES.textNode(Base64.getEncoder().encodeToString(b))
          : json(v);
    }
    Group inner = g.getGroup(field, index);
    GroupType gt = t.asGroupType();
    LogicalTypeAnnotation a = gt.getLogicalTypeAnnotation();
    if (a instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation && gt.getFieldCount() == 1) {
      ArrayNode out = NODES.arrayNode();
      Type repeated = gt.getType(0);
      for (int j = 0; j < inner.getFieldRepetitionCount(0); j++) {
        if (!repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1) {
          // The standard three levels: list { repeated group list { optional element } }.
          Group wrapper = inner.getGroup(0, j);
          Type element = repeated.asGroupType().getType(0);
          out.add(
              wrapper.getFieldRepetitionCount(0) == 0
                  ? NODES.nullNode()
                  : node(wrapper, 0, 0, element));
        } else {
          out.add(node(inner, 0, j, repeated));
        }
      }
      return out;
    }
    boolean map =
        a instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation;
    if (map
        && gt.getFieldCount() == 1
        && !gt.getType(0).isPrimitive()
        && gt.getType(0).asGroupType().getFieldCount() == 2) {
      ObjectNode out = NODES.objectNode();
      GroupType kv = gt.getType(0).asGroupType();
      for (int j = 0; j < inner.getFieldRepetitionCount(0); j++) {
        Group entry = inner.getGroup(0, j);
        JsonNode key = node(entry, 0, 0, kv.getType(0));
        out.set(
            key.isTextual() ? key.asText() : key.toString(),
            entry.getFieldRepetitionCount(1) == 0
                ? NODES.nullNode()
                : node(entry, 1, 0, kv.getType(1)));
      }
      return out;
    }
    ObjectNode out = NODES.objectNode();
    for (int f = 0; f < gt.getFieldCount(); f++) {
      Type ft = gt.getType(f);
      int count = inner.getFieldRepetitionCount(f);
      if (ft.isRepetition(Type.Repetition.REPEATED)) {
        ArrayNode a2 = out.putArray(ft.getName());
        for (int j = 0; j < count; j++) {
          a2.add(node(inner, f, j, ft));
        }
      } else {
        out.set(ft.getName(), count == 0 ? NODES.nullNode() : node(inner, f, 0, ft));
      }
    }
    return out;
  }

  private static JsonNode json(Object v) {
    if (v == null) {
      return NODES.nullNode();
    }
    if (v instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (v instanceof Double d) {
      return Double.isFinite(d) ? NODES.numberNode(d) : NODES.textNode(d.toString());
    }
    if (v instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    return NODES.textNode(v.toString());
  }

  /**
   * The value at {@code g[field][index]} as the Java type {@link Preview.Type} names for the
   * column's type; for a type read as {@link Preview.Type#OTHER}, its text form.
   */
  private static Object value(Group g, int field, int index, PrimitiveType p) {
    LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
    if (a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
      BigInteger unscaled =
          switch (p.getPrimitiveTypeName()) {
            case INT32 -> BigInteger.valueOf(g.getInteger(field, index));
            case INT64 -> BigInteger.valueOf(g.getLong(field, index));
            default -> new BigInteger(g.getBinary(field, index).getBytes());
          };
      return new BigDecimal(unscaled, d.getScale()).toPlainString();
    }
    return switch (p.getPrimitiveTypeName()) {
      case BOOLEAN -> g.getBoolean(field, index);
      case INT32 -> {
        int v = g.getInteger(field, index);
        if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
          yield LocalDate.ofEpochDay(v);
        }
        if (a instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation) {
          yield LocalTime.ofNanoOfDay(v * 1_000_000L).toString();
        }
        yield a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && !i.isSigned()
            ? Integer.toUnsignedLong(v)
            : (long) v;
      }
      case INT64 -> int64(g.getLong(field, index), a);
      case INT96 -> int96(g.getInt96(field, index).getBytes());
      case FLOAT -> (double) g.getFloat(field, index);
      case DOUBLE -> g.getDouble(field, index);
      case BINARY -> {
        if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
          yield g.getString(field, index);
        }
        yield g.getBinary(field, index).getBytes();
      }
      case FIXED_LEN_BYTE_ARRAY -> {
        byte[] b = g.getBinary(field, index).getBytes();
        if (a instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation && b.length == 16) {
          ByteBuffer buf = ByteBuffer.wrap(b);
          yield new UUID(buf.getLong(), buf.getLong()).toString();
        }
        yield a == null ? b : HexFormat.of().formatHex(b);
      }
    };
  }

  private static Object int64(long v, LogicalTypeAnnotation a) {
    if (a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
      Instant at =
          switch (ts.getUnit()) {
            case MILLIS -> Instant.ofEpochMilli(v);
            case MICROS ->
                Instant.EPOCH
                    .plusSeconds(Math.floorDiv(v, 1_000_000L))
                    .plusNanos(Math.floorMod(v, 1_000_000L) * 1_000L);
            case NANOS ->
                Instant.EPOCH
                    .plusSeconds(Math.floorDiv(v, 1_000_000_000L))
                    .plusNanos(Math.floorMod(v, 1_000_000_000L));
          };
      return ts.isAdjustedToUTC() ? at : LocalDateTime.ofInstant(at, ZoneOffset.UTC).toString();
    }
    if (a instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation t) {
      long nanos =
          t.getUnit() == LogicalTypeAnnotation.TimeUnit.MICROS ? v * 1_000L : v; // MILLIS is INT32
      return LocalTime.ofNanoOfDay(nanos).toString();
    }
    if (a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && !i.isSigned()) {
      return Long.toUnsignedString(v);
    }
    return v;
  }

  /** Spark's legacy INT96 timestamp: nanoseconds of the day, then the Julian day, little-endian. */
  private static Instant int96(byte[] b) {
    if (b.length != 12) {
      throw new IllegalArgumentException("an INT96 value has " + b.length + " bytes, not 12");
    }
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    long nanosOfDay = buf.getLong();
    long julianDay = Integer.toUnsignedLong(buf.getInt());
    return Instant.EPOCH
        .plusSeconds((julianDay - JULIAN_EPOCH_DAY) * 86_400L)
        .plusNanos(nanosOfDay);
  }

  /** A Parquet file in memory. */
  private record InMemoryFile(byte[] data) implements InputFile {
    @Override
    public long getLength() {
      return data.length;
    }

    @Override
    public SeekableInputStream newStream() {
      Cursor c = new Cursor(data);
      return new DelegatingSeekableInputStream(c) {
        @Override
        public long getPos() {
          return c.position();
        }

        @Override
        public void seek(long to) throws IOException {
          c.seek(to);
        }
      };
    }
  }

  /** A byte array stream that can tell and set its position. */
  private static final class Cursor extends ByteArrayInputStream {
    Cursor(byte[] data) {
      super(data);
    }

    synchronized long position() {
      return pos;
    }

    synchronized void seek(long to) throws EOFException {
      if (to < 0 || to > count) {
        throw new EOFException("seek to " + to + " in a file of " + count + " bytes");
      }
      pos = (int) to;
    }
  }
}
