package org.synthweave.ingest.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetPageClaimsTest {
  @Test
  void aForgedPageClaimIsFoundAndAnHonestFilePasses(@TempDir Path dir) throws Exception {
    Path honest = dir.resolve("honest.parquet");
    TelemetryParquet.write(honest, TelemetryParquet.readings(50), CompressionCodecName.SNAPPY);
    LocalInputFile in = new LocalInputFile(honest);
    try (ParquetFileReader r = ParquetFileReader.open(in)) {
      assertNull(ParquetPageClaims.check(in, r.getFooter()));
    }

    Path forged =
        Files.write(
            dir.resolve("forged.parquet"),
            ParquetForgery.claimFirstPage(Files.readAllBytes(honest), 2_000_000_000));
    LocalInputFile f = new LocalInputFile(forged);
    try (ParquetFileReader r = ParquetFileReader.open(f)) {
      String why = ParquetPageClaims.check(f, r.getFooter());
      assertTrue(
          why != null
              && why.startsWith("a page of column device_id at byte 4 claims 2000000000 bytes"),
          String.valueOf(why));
      // The forgery is otherwise consistent: the other columns still read at their new offsets.
      MessageType others =
          Types.buildMessage()
              .addFields(
                  TelemetryParquet.SCHEMA
                      .getFields()
                      .subList(1, 5)
                      .toArray(new org.apache.parquet.schema.Type[0]))
              .named("reading");
      r.setRequestedSchema(others);
      PageReadStore pages = r.readNextRowGroup();
      assertEquals(50, pages.getRowCount());
      assertEquals(50, pages.getPageReader(others.getColumns().get(3)).readPage().getValueCount());
    }
  }
}
