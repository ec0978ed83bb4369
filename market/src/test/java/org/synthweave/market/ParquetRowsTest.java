package org.synthweave.market;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the first rows of a Parquet file written here by parquet-hadoop's own writer, with every
 * kind of column a preview maps, and of damaged files, which must fail with a reason.
 */
class ParquetRowsTest {
  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message row {"
              + " required binary name (STRING);"
              + " optional int32 small;"
              + " optional int64 big;"
              + " optional double x;"
              + " optional float f;"
              + " optional boolean ok;"
              + " optional int32 day (DATE);"
              + " optional int64 at (TIMESTAMP(MICROS,true));"
              + " optional int32 price (DECIMAL(9,2));"
              + " optional binary raw;"
              + " optional group tags (LIST) { repeated group list { optional binary element (STRING); } }"
              + "}");

  private static byte[] write(Path dir, int rows) throws Exception {
    Path file = dir.resolve("rows.parquet");
    Files.deleteIfExists(file);
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new LocalOutputFile(file))
            .withType(SCHEMA)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .build()) {
      for (int i = 0; i < rows; i++) {
        Group g = groups.newGroup().append("name", "row <b>" + i + "</b>");
        if (i % 2 == 0) { // odd rows leave the optional columns null
          g.append("small", -i)
              .append("big", 10_000_000_000L + i)
              .append("x", i / 4.0)
              .append("f", 1.5f)
              .append("ok", i % 4 == 0)
              .append("day", (int) LocalDate.of(2026, 12, 5).toEpochDay() + i)
              .append("at", 1_765_000_000_000_000L + i)
              .append("price", 12_345 + i)
              .append(
                  "raw", org.apache.parquet.io.api.Binary.fromConstantByteArray(new byte[] {1, 2}));
          Group tags = g.addGroup("tags");
          tags.addGroup("list").append("element", "a");
          tags.addGroup("list").append("element", "b\"c");
        }
        w.write(g);
      }
    }
    return Files.readAllBytes(file);
  }

  @Test
  void everyColumnKindIsReadAsItsPreviewType(@TempDir Path dir) throws Exception {
    Preview p = ParquetRows.read("L", "data/part-00000.parquet", write(dir, 7), 3);
    assertEquals(
        List.of(
            Preview.Type.STRING,
            Preview.Type.LONG,
            Preview.Type.LONG,
            Preview.Type.DOUBLE,
            Preview.Type.DOUBLE,
            Preview.Type.BOOLEAN,
            Preview.Type.DATE,
            Preview.Type.TIMESTAMP,
            Preview.Type.OTHER,
            Preview.Type.BINARY,
            Preview.Type.OTHER),
        p.columns().stream().map(Preview.Column::type).toList());
    assertEquals(3, p.rows().size());
    List<Object> first = p.rows().get(0);
    assertEquals("row <b>0</b>", first.get(0));
    assertEquals(0L, first.get(1));
    assertEquals(10_000_000_000L, first.get(2));
    assertEquals(0.0, first.get(3));
    assertEquals(1.5, first.get(4));
    assertEquals(true, first.get(5));
    assertEquals(LocalDate.of(2026, 12, 5), first.get(6));
    assertEquals(Instant.ofEpochSecond(1_765_000_000L), first.get(7));
    assertEquals(new BigDecimal("123.45").toPlainString(), first.get(8));
    assertArrayEquals(new byte[] {1, 2}, (byte[]) first.get(9));
    assertEquals("[\"a\",\"b\\\"c\"]", first.get(10));
    assertEquals(
        List.of("a", "b\"c"),
        Arrays.asList(new ObjectMapper().readValue((String) first.get(10), String[].class)));
    List<Object> second = p.rows().get(1);
    assertEquals("row <b>1</b>", second.get(0));
    for (int c = 1; c < second.size(); c++) {
      assertNull(second.get(c), "column " + c);
    }
    assertEquals(-2L, p.rows().get(2).get(1));
    assertEquals(7, ParquetRows.read("L", "f", write(dir, 7), 100).rows().size());
  }

  /**
   * A file whose only page header claims 2,000,000,000 bytes of uncompressed data, everything else
   * consistent (footer offsets and sizes rewritten for the longer header): refused with the claim
   * named, and without allocating it (the reader thread allocates under 64 MiB for the whole read).
   */
  @Test
  void aPageClaimingGigabytesIsRefusedBeforeItIsAllocated(@TempDir Path dir) throws Exception {
    MessageType one = MessageTypeParser.parseMessageType("message row { required int64 n; }");
    Path file = dir.resolve("one.parquet");
    SimpleGroupFactory groups = new SimpleGroupFactory(one);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new LocalOutputFile(file))
            .withType(one)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withDictionaryEncoding(false)
            .withPageWriteChecksumEnabled(false)
            .build()) {
      for (long i = 0; i < 100; i++) {
        w.write(groups.newGroup().append("n", i * 7));
      }
    }
    byte[] good = Files.readAllBytes(file);
    assertEquals(100, ParquetRows.read("L", "f", good, 1000).rows().size());

    int footerLength =
        ByteBuffer.wrap(good, good.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int footerStart = good.length - 8 - footerLength;
    FileMetaData meta =
        Util.readFileMetaData(new ByteArrayInputStream(good, footerStart, footerLength));
    ColumnChunk chunk = meta.getRow_groups().get(0).getColumns().get(0);
    ColumnMetaData column = chunk.getMeta_data();
    assertEquals(4, column.getData_page_offset(), "the page right after the magic");
    ByteArrayInputStream in = new ByteArrayInputStream(good, 4, footerStart - 4);
    PageHeader header = Util.readPageHeader(in);
    int headerLength = footerStart - 4 - in.available();
    byte[] pageData =
        Arrays.copyOfRange(
            good, 4 + headerLength, 4 + headerLength + header.getCompressed_page_size());
    header.setUncompressed_page_size(2_000_000_000);
    ByteArrayOutputStream forgedHeader = new ByteArrayOutputStream();
    Util.writePageHeader(header, forgedHeader);
    long grown = forgedHeader.size() - headerLength;
    column.setTotal_compressed_size(column.getTotal_compressed_size() + grown);
    column.setTotal_uncompressed_size(2_000_000_000L + forgedHeader.size());
    // The page indexes were written after the page: leave them out rather than move them.
    chunk.unsetColumn_index_offset();
    chunk.unsetColumn_index_length();
    chunk.unsetOffset_index_offset();
    chunk.unsetOffset_index_length();
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    Util.writeFileMetaData(meta, footer);
    ByteArrayOutputStream forged = new ByteArrayOutputStream();
    forged.write("PAR1".getBytes(StandardCharsets.US_ASCII));
    forged.write(forgedHeader.toByteArray());
    forged.write(pageData);
    forged.write(footer.toByteArray());
    forged.write(
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.size()).array());
    forged.write("PAR1".getBytes(StandardCharsets.US_ASCII));

    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    ListingDataException e =
        assertThrows(
            ListingDataException.class,
            () -> ParquetRows.read("L", "data/forged.parquet", forged.toByteArray(), 10));
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(
        e.getMessage().contains("data/forged.parquet is refused: a page claims 2000000000 bytes"),
        e.getMessage());
    assertTrue(allocated < 64L << 20, "the read allocated " + allocated + " bytes");
  }

  @Test
  void garbageTruncatedOrDamagedFilesFailWithAReason(@TempDir Path dir) throws Exception {
    byte[] good = write(dir, 50);
    ListingDataException garbage =
        assertThrows(
            ListingDataException.class,
            () ->
                ParquetRows.read(
                    "L",
                    "data/x.parquet",
                    "not parquet at all".getBytes(StandardCharsets.UTF_8),
                    5));
    assertTrue(
        garbage.getMessage().contains("data/x.parquet is not a Parquet file"),
        garbage.getMessage());
    byte[] truncated = Arrays.copyOf(good, good.length / 2);
    assertThrows(ListingDataException.class, () -> ParquetRows.read("L", "f", truncated, 5));
    assertThrows(ListingDataException.class, () -> ParquetRows.read("L", "f", new byte[0], 5));
    // Random damage anywhere: rows come back or the file is refused with a reason, nothing else.
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int trial = 0; trial < 200; trial++) {
      byte[] damaged = good.clone();
      for (int k = 0; k < 1 + random.nextInt(4); k++) {
        damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
      }
      try {
        ParquetRows.read("L", "f", damaged, 5);
      } catch (ListingDataException expected) {
        // a reason, as wanted
      } catch (RuntimeException | Error e) {
        throw new AssertionError("seed " + seed + ", trial " + trial + ": " + e, e);
      }
    }
  }

  @Test
  void filePathsArePercentEncodedAndPlotsAreChecked() {
    assertEquals(
        "data/part-00000.parquet", GatewayListingSource.encodePath("data/part-00000.parquet"));
    assertEquals("a%20b/%3Cx%3E%C3%A9", GatewayListingSource.encodePath("a b/<x>é"));
    ObjectMapper json = new ObjectMapper();
    List<ListingDetail.FidelityPlot> plots =
        GatewayListingSource.parsePlots(
            json.valueToTree(
                java.util.Map.of(
                    "format",
                    "synthweave-fidelity/1",
                    "columns",
                    List.of(
                        java.util.Map.of(
                            "column", "alcohol",
                            "kind", "numeric",
                            "labels", List.of("11.0", "12.0"),
                            "real", List.of(0.25, 0.75),
                            "synthetic", List.of(0.5, 0.5))))));
    assertEquals(1, plots.size());
    assertEquals(List.of(0.25, 0.75), plots.get(0).real());
    for (String bad :
        List.of(
            "{}",
            "{\"format\":\"synthweave-fidelity/1\",\"columns\":[{\"column\":\"a\",\"kind\":\"pie\","
                + "\"labels\":[],\"real\":[],\"synthetic\":[]}]}",
            "{\"format\":\"synthweave-fidelity/1\",\"columns\":[{\"column\":\"a\",\"kind\":\"numeric\","
                + "\"labels\":[\"x\"],\"real\":[2.0],\"synthetic\":[0.5]}]}",
            "{\"format\":\"synthweave-fidelity/1\",\"columns\":[{\"column\":\"a\",\"kind\":\"numeric\","
                + "\"labels\":[\"x\"],\"real\":[0.5,0.5],\"synthetic\":[0.5]}]}")) {
      assertThrows(
          IllegalArgumentException.class,
          () -> GatewayListingSource.parsePlots(json.readTree(bad)),
          bad);
    }
  }
}
