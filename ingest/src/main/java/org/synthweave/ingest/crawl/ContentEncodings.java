package org.synthweave.ingest.crawl;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * HTTP Content-Encoding of WARC response payloads. Crawlers disagree on whether they store the
 * payload as sent or already decoded while keeping the header (Common Crawl did the latter in
 * 2014), so a payload is only decoded when its bytes actually look encoded; otherwise it is taken
 * as is. Decoded output is capped like any payload, which also defuses compression bombs.
 */
final class ContentEncodings {
  private ContentEncodings() {}

  /** The codings of the Content-Encoding header values, in order, without identity/none. */
  static List<String> of(List<String> headerValues) {
    List<String> codings = new ArrayList<>();
    for (String value : headerValues) {
      for (String part : value.split(",")) {
        String coding = part.strip().toLowerCase(Locale.ROOT);
        if (!coding.isEmpty() && !coding.equals("identity") && !coding.equals("none")) {
          codings.add(coding);
        }
      }
    }
    return codings;
  }

  /** Undoes {@code codings} (applied in order by the server) on {@code body}. */
  static byte[] decode(byte[] body, List<String> codings, int maxBytes)
      throws CrawlContentException {
    byte[] current = body;
    for (int i = codings.size() - 1; i >= 0; i--) {
      String coding = codings.get(i);
      boolean gzipMagic =
          current.length >= 2 && (current[0] & 0xff) == 0x1f && (current[1] & 0xff) == 0x8b;
      try {
        switch (coding) {
          case "gzip", "x-gzip" -> {
            if (gzipMagic) {
              current = inflate(new GZIPInputStream(new ByteArrayInputStream(current)), maxBytes);
            }
          }
          case "deflate" -> {
            if (!looksLikeText(current)) {
              current = inflateDeflate(current, maxBytes);
            }
          }
          default -> {
            if (!looksLikeText(current)) {
              throw new CrawlContentException(
                  CrawlRejectReason.MALFORMED_HTTP,
                  "Content-Encoding",
                  "unsupported Content-Encoding '" + coding + "' (gzip and deflate are decoded)");
            }
          }
        }
      } catch (IOException e) {
        throw new CrawlContentException(
            CrawlRejectReason.MALFORMED_HTTP,
            "Content-Encoding",
            "cannot decode Content-Encoding " + coding + ": " + e);
      }
      if (current == null) {
        throw new CrawlContentException(
            CrawlRejectReason.RECORD_TOO_LARGE,
            null,
            "payload decodes to more than " + maxBytes + " bytes (" + coding + ")");
      }
    }
    return current;
  }

  // RFC 9110 says deflate is zlib-wrapped, but some servers send raw deflate: try both.
  private static byte[] inflateDeflate(byte[] body, int maxBytes) throws IOException {
    try {
      return inflate(new InflaterInputStream(new ByteArrayInputStream(body)), maxBytes);
    } catch (IOException e) {
      return inflate(
          new InflaterInputStream(new ByteArrayInputStream(body), new Inflater(true)), maxBytes);
    }
  }

  /** Reads {@code in} fully, or returns null once more than {@code maxBytes} come out. */
  private static byte[] inflate(InputStream in, int maxBytes) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (out.size() + (long) n > maxBytes) {
          return null;
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  /** Whether the payload starts like markup or text, i.e. was stored already decoded. */
  static boolean looksLikeText(byte[] body) {
    for (byte b : body) {
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        continue;
      }
      return b == '<';
    }
    return true;
  }
}
