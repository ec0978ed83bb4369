package org.synthweave.ingest.telemetry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Forges a Parquet file the way a hostile writer would: the first page header (right after the
 * magic) claims {@code claim} uncompressed bytes, and the footer is rewritten so that every offset
 * after the longer header still points where it should. The page indexes are left out (they are
 * optional). Everything else, including the page's data, is the original file's.
 */
public final class ParquetForgery {
  private ParquetForgery() {}

  public static byte[] claimFirstPage(byte[] file, int claim) throws IOException {
    int footerLength =
        ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int footerStart = file.length - 8 - footerLength;
    FileMetaData meta =
        Util.readFileMetaData(new ByteArrayInputStream(file, footerStart, footerLength));
    ByteArrayInputStream in = new ByteArrayInputStream(file, 4, footerStart - 4);
    PageHeader header = Util.readPageHeader(in);
    int headerLength = footerStart - 4 - in.available();
    header.setUncompressed_page_size(claim);
    ByteArrayOutputStream forgedHeader = new ByteArrayOutputStream();
    Util.writePageHeader(header, forgedHeader);
    long grown = forgedHeader.size() - headerLength;
    for (RowGroup group : meta.getRow_groups()) {
      if (group.isSetFile_offset() && group.getFile_offset() > 4) {
        group.setFile_offset(group.getFile_offset() + grown);
      }
      for (ColumnChunk chunk : group.getColumns()) {
        ColumnMetaData c = chunk.getMeta_data();
        if (c.getData_page_offset() > 4) {
          c.setData_page_offset(c.getData_page_offset() + grown);
        }
        if (c.isSetDictionary_page_offset() && c.getDictionary_page_offset() > 4) {
          c.setDictionary_page_offset(c.getDictionary_page_offset() + grown);
        }
        if (chunk.getFile_offset() > 4) {
          chunk.setFile_offset(chunk.getFile_offset() + grown);
        }
        if (c.isSetBloom_filter_offset()) {
          c.unsetBloom_filter_offset();
          c.unsetBloom_filter_length();
        }
        chunk.unsetColumn_index_offset();
        chunk.unsetColumn_index_length();
        chunk.unsetOffset_index_offset();
        chunk.unsetOffset_index_length();
      }
    }
    ColumnMetaData first = meta.getRow_groups().get(0).getColumns().get(0).getMeta_data();
    first.setTotal_compressed_size(first.getTotal_compressed_size() + grown);
    RowGroup firstGroup = meta.getRow_groups().get(0);
    if (firstGroup.isSetTotal_compressed_size()) {
      firstGroup.setTotal_compressed_size(firstGroup.getTotal_compressed_size() + grown);
    }
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    Util.writeFileMetaData(meta, footer);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write("PAR1".getBytes(StandardCharsets.US_ASCII));
    out.write(forgedHeader.toByteArray());
    out.write(file, 4 + headerLength, footerStart - 4 - headerLength);
    out.write(footer.toByteArray());
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.size()).array());
    out.write("PAR1".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
