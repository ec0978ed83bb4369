package org.synthweave.ingest.crawl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Record counts and fields of the committed real samples. */
class CrawlFileReaderSamplesTest {

  @Test
  void commonCrawlWarcHasFourResponsesAndSkipsTheRest() {
    CrawlSamples.Read read = CrawlSamples.read(CrawlSamples.file(CrawlSamples.CC_WARC));
    assertEquals(4, read.records().size(), read.stats().toString());
    assertEquals(List.of(), read.rejections());
    assertEquals(
        Map.of("warc_type:warcinfo", 1L, "warc_type:request", 4L, "warc_type:metadata", 4L),
        read.stats().skippedByReason());
    assertEquals(4, read.stats().recordsIn());

    CrawlRecord photo = read.byUrlSuffix("gallery=Australia&photo=496");
    assertEquals("urn:uuid:d2ce4c32-7c09-477e-87c9-36e8e49ce467", photo.recordId());
    assertEquals(200, photo.httpStatus());
    assertEquals("text/html", photo.contentType());
    assertEquals("utf-8", photo.charsetHint());
    assertEquals(7204, photo.body().length); // the HTTP Content-Length of that response
    assertEquals(Instant.parse("2014-08-21T05:52:58Z"), photo.fetchTime());
    assertEquals(CrawlRecord.TYPE_RESPONSE, photo.recordType());

    // Stored decoded although its header still says Content-Encoding: gzip (Common Crawl 2014).
    CrawlRecord wiki = read.byUrlSuffix("Thread:Talk:Gentse_feesten/foo");
    assertTrue(
        new String(wiki.body(), 0, 200, java.nio.charset.StandardCharsets.UTF_8).contains("<"),
        "payload taken as stored");
  }

  @Test
  void perRecordGzipCopyYieldsTheSameRecords() {
    CrawlSamples.Read plain = CrawlSamples.read(CrawlSamples.file(CrawlSamples.CC_WARC));
    CrawlSamples.Read gz = CrawlSamples.read(CrawlSamples.file(CrawlSamples.CC_WARC_GZ));
    assertEquals(plain.records().size(), gz.records().size());
    assertEquals(plain.stats().skippedByReason(), gz.stats().skippedByReason());
    for (int i = 0; i < plain.records().size(); i++) {
      CrawlRecord a = plain.records().get(i);
      CrawlRecord b = gz.records().get(i);
      assertEquals(a.recordId(), b.recordId());
      assertEquals(a.url(), b.url());
      assertArrayEquals(a.body(), b.body(), a.recordId());
    }
    // Offsets are file-absolute member starts, increasing.
    long last = -1;
    for (CrawlRecord r : gz.records()) {
      assertTrue(r.offset() > last);
      last = r.offset();
    }
  }

  @Test
  void pythonDocsCrawlHasTenPages() {
    CrawlSamples.Read read = CrawlSamples.read(CrawlSamples.file(CrawlSamples.PYDOC_WARC_GZ));
    assertEquals(10, read.records().size());
    assertEquals(
        Map.of("warc_type:warcinfo", 1L, "warc_type:request", 10L), read.stats().skippedByReason());
    CrawlRecord about = read.byUrlSuffix("/about.html");
    assertEquals(200, about.httpStatus());
    assertEquals("text/html", about.contentType());
    assertNull(about.charsetHint(), "python http.server sends no charset");
  }

  @Test
  void htmlDirectoryYieldsOneRecordPerFile() throws Exception {
    List<Path> files = CrawlFileReader.listInputs(CrawlSamples.dir().resolve("html"));
    assertEquals(31, files.size(), files.toString());
    for (Path file : files) {
      CrawlSamples.Read read = CrawlSamples.read(file);
      assertEquals(1, read.records().size(), file.toString());
      CrawlRecord record = read.records().get(0);
      assertEquals(0, record.offset());
      assertEquals(file.toString(), record.recordId());
      assertEquals(CrawlRecord.TYPE_HTML_FILE, record.recordType());
      assertEquals(java.nio.file.Files.size(file), record.body().length);
    }
  }

  @Test
  void jsonlHasFiftyLinesWithByteOffsets() throws Exception {
    Path file = CrawlSamples.file(CrawlSamples.JSONL);
    CrawlSamples.Read read = CrawlSamples.read(file);
    assertEquals(50, read.records().size());
    assertEquals(0, read.rejections().size());
    byte[] all = java.nio.file.Files.readAllBytes(file);
    for (int i = 0; i < read.records().size(); i++) {
      CrawlRecord r = read.records().get(i);
      assertEquals(file + "#" + (i + 1), r.recordId());
      assertTrue(r.offset() == 0 || all[(int) r.offset() - 1] == '\n', "offset at a line start");
    }
    assertEquals(40, read.records().stream().filter(r -> r.text() != null).count() - 2);
    CrawlRecord german = read.records().get(40);
    assertEquals("text/html", german.contentType());
    assertEquals(Instant.parse("2002-06-25T10:01:25Z"), german.fetchTime());
  }

  @Test
  void listInputsIsSortedAndSkipsNonCrawlFiles() throws Exception {
    List<Path> inputs = CrawlFileReader.listInputs(CrawlSamples.dir());
    assertEquals(31 + 4, inputs.size(), inputs.toString());
    assertFalse(inputs.stream().anyMatch(p -> p.toString().endsWith("README.md")));
    assertEquals(inputs.stream().sorted().toList(), inputs);
  }
}
