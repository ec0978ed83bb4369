package org.synthweave.ingest.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcResource;
import org.netpreserve.jwarc.WarcWriter;
import org.synthweave.core.spark.InputFiles;
import org.synthweave.core.testing.SparkTestBase;

/**
 * The crawl reader of a Spark task streams: the rows it has handed out are not kept, so a small
 * .warc.gz that expands to many large records needs memory for one record, not for the file.
 */
class CrawlStreamingTest {
  @TempDir Path tmp;

  private static final int RECORDS = 4;
  private static final int RECORD_CHARS = 2 * 1024 * 1024;

  /** A .warc.gz of RECORDS resource records of 2 MB of real page text each (compresses well). */
  private Path bigRecords() throws IOException {
    Path page =
        SparkTestBase.repoRoot().resolve("data/samples/crawl/html/python3.11/library/bisect.html");
    String html = Files.readString(page, StandardCharsets.UTF_8);
    String body = html.substring(html.indexOf("<body"), html.lastIndexOf("</body>"));
    Path file = tmp.resolve("big.warc.gz");
    try (WarcWriter writer =
        new WarcWriter(
            FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE),
            WarcCompression.GZIP)) {
      for (int i = 0; i < RECORDS; i++) {
        StringBuilder big = new StringBuilder(RECORD_CHARS + body.length()).append("<html><body>");
        big.append("<h1>Copy ").append(i).append("</h1>");
        while (big.length() < RECORD_CHARS) {
          big.append(body);
        }
        big.append("</body></html>");
        writer.write(
            new WarcResource.Builder(URI.create("file:///big-" + i + ".html"))
                .date(Instant.parse("2026-11-25T00:00:00Z"))
                .body(MediaType.HTML_UTF8, big.toString().getBytes(StandardCharsets.UTF_8))
                .build());
      }
    }
    return file;
  }

  private static void collectGarbage(List<WeakReference<Row>> handedOut) throws Exception {
    for (int i = 0; i < 20 && handedOut.stream().anyMatch(r -> r.get() != null); i++) {
      System.gc();
      Thread.sleep(20);
    }
  }

  @Test
  void rowsHandedOutAreNotRetained() throws Exception {
    Path file = bigRecords();
    String name = InputFiles.normalize(file.toUri().toString());
    Iterator<Row> rows = new SparkCrawlIngest.Reader(null, 5, 128).call(List.of(name).iterator());
    List<WeakReference<Row>> handedOut = new ArrayList<>();
    int docs = 0;
    while (rows.hasNext()) {
      Row row = rows.next();
      if ("doc".equals(row.getString(0))) {
        docs++;
        assertTrue(row.getString(12).length() > 200_000, "a 2 MB page gives a long text");
      } else {
        assertEquals("file", row.getString(0), "no rejections: " + row);
        assertEquals(RECORDS, row.getLong(21), "records in");
      }
      handedOut.add(new WeakReference<>(row));
      row = null;
      if (handedOut.size() == 3) {
        // Mid-file: nothing but the iterator holds the rows handed out so far, and it must not.
        collectGarbage(handedOut);
        long alive = handedOut.stream().filter(r -> r.get() != null).count();
        assertEquals(0, alive, "rows still reachable after being handed out");
      }
    }
    assertEquals(RECORDS, docs);
    assertFalse(rows.hasNext());
  }
}
