package org.synthweave.market.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.Test;
import org.synthweave.market.Preview;

/** PreviewArrow read back by Arrow Java's own stream reader. */
class PreviewArrowTest {

  @Test
  void anEmptyPreviewIsASchemaAndAnEmptyBatch() throws Exception {
    Preview empty =
        new Preview(
            "id",
            "data/a.parquet",
            List.of(
                new Preview.Column("n", Preview.Type.LONG),
                new Preview.Column("t", Preview.Type.TIMESTAMP)),
            List.of());
    try (BufferAllocator a = new RootAllocator();
        ArrowStreamReader r = read(empty, a)) {
      VectorSchemaRoot root = r.getVectorSchemaRoot();
      assertEquals(2, root.getSchema().getFields().size());
      assertTrue(r.loadNextBatch());
      assertEquals(0, root.getRowCount());
      assertFalse(r.loadNextBatch());
    }
  }

  @Test
  void otherValuesAreTextMarkedAsOtherAndUnicodeSurvives() throws Exception {
    List<Object> row = new ArrayList<>();
    row.add("12345678901234567890.123456789");
    row.add("naïve — 数据 \u0000 <b>");
    List<Object> nulls = new ArrayList<>();
    nulls.add(null);
    nulls.add(null);
    Preview p =
        new Preview(
            "id",
            "data/a.parquet",
            List.of(
                new Preview.Column("amount", Preview.Type.OTHER),
                new Preview.Column("note", Preview.Type.STRING)),
            List.of(row, nulls));
    try (BufferAllocator a = new RootAllocator();
        ArrowStreamReader r = read(p, a)) {
      VectorSchemaRoot root = r.getVectorSchemaRoot();
      assertTrue(r.loadNextBatch());
      assertEquals(ArrowType.Utf8.INSTANCE, root.getVector(0).getField().getType());
      assertEquals("OTHER", root.getVector(0).getField().getMetadata().get(PreviewArrow.TYPE_KEY));
      assertEquals("STRING", root.getVector(1).getField().getMetadata().get(PreviewArrow.TYPE_KEY));
      assertEquals(
          "12345678901234567890.123456789",
          ((VarCharVector) root.getVector(0)).getObject(0).toString());
      assertEquals(
          "naïve — 数据 \u0000 <b>", ((VarCharVector) root.getVector(1)).getObject(0).toString());
      assertTrue(root.getVector(0).isNull(1));
      assertTrue(root.getVector(1).isNull(1));
    }
  }

  @Test
  void microsTruncatesBelowTheMicrosecond() {
    assertEquals(1_500_001L, PreviewArrow.micros(Instant.ofEpochSecond(1, 500_001_999)));
    assertEquals(-1_000_000L, PreviewArrow.micros(Instant.ofEpochSecond(-1)));
  }

  private static ArrowStreamReader read(Preview p, BufferAllocator a) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PreviewArrow.write(p, out, a);
    assertEquals(0, a.getAllocatedMemory(), "the writer frees its vectors");
    return new ArrowStreamReader(new ByteArrayInputStream(out.toByteArray()), a);
  }
}
