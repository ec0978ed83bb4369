package org.synthweave.ingest.crawl;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Charset resolution and strict decoding shared by the HTML, text and JSONL paths. */
final class Charsets {
  private Charsets() {}

  /** How far into a page the meta charset prescan looks; the HTML spec says 1024 bytes. */
  static final int META_PRESCAN_BYTES = 4096;

  private static final Pattern META_CHARSET =
      Pattern.compile(
          "<meta[^>]+charset\\s*=\\s*[\"']?\\s*([A-Za-z0-9._:-]+)", Pattern.CASE_INSENSITIVE);

  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  /**
   * The Java charset for a label, or empty when unknown. Follows the WHATWG Encoding Standard in
   * one point that matters for real pages: ASCII and Latin-1 labels mean windows-1252, because
   * browsers decode them so and pages labelled Latin-1 routinely contain 0x80-0x9F quotes.
   */
  static Optional<Charset> forLabel(String label) {
    if (label == null) {
      return Optional.empty();
    }
    String name = label.trim().replace("\"", "").replace("'", "").toLowerCase(Locale.ROOT);
    if (name.isEmpty()) {
      return Optional.empty();
    }
    switch (name) {
      case "us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin1", "l1", "cp1252" -> {
        return Optional.of(WINDOWS_1252);
      }
      case "utf8" -> {
        return Optional.of(StandardCharsets.UTF_8);
      }
      default -> {}
    }
    try {
      return Optional.of(Charset.forName(name));
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return Optional.empty();
    }
  }

  /** The charset a byte order mark announces, or empty. */
  static Optional<Charset> fromBom(byte[] bytes) {
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xef
        && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      return Optional.of(StandardCharsets.UTF_8);
    }
    if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff) {
      return Optional.of(StandardCharsets.UTF_16BE);
    }
    if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe) {
      return Optional.of(StandardCharsets.UTF_16LE);
    }
    return Optional.empty();
  }

  /** The label of the first {@code <meta charset>} or http-equiv Content-Type in the prescan. */
  static Optional<String> metaCharset(byte[] html) {
    int n = Math.min(html.length, META_PRESCAN_BYTES);
    // ISO-8859-1 maps bytes 1:1, so ASCII markup is found whatever the real encoding is.
    String head = new String(html, 0, n, StandardCharsets.ISO_8859_1);
    Matcher m = META_CHARSET.matcher(head);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * Decodes all of {@code bytes} or fails: malformed or unmappable input is an error, never a
   * replacement character, so mislabelled pages are quarantined instead of silently garbled.
   */
  static String decodeStrictly(byte[] bytes, Charset charset) throws CrawlContentException {
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    int start = 0;
    // A BOM of the chosen charset is a marker, not text.
    if (charset.equals(StandardCharsets.UTF_8) && fromBom(bytes).isPresent()) {
      start = 3;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    // Charsets we meet yield at most one char per byte; the loop covers the rare ones that don't.
    CharBuffer out = CharBuffer.allocate(bytes.length - start + 16);
    CoderResult result;
    boolean flushing = false;
    while (true) {
      result = flushing ? decoder.flush(out) : decoder.decode(in, out, true);
      if (result.isOverflow()) {
        CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2);
        out.flip();
        bigger.put(out);
        out = bigger;
      } else if (result.isUnderflow() && !flushing) {
        flushing = true;
      } else {
        break;
      }
    }
    if (result.isError()) {
      throw new CrawlContentException(
          CrawlRejectReason.INVALID_ENCODING,
          null,
          "bytes are not valid "
              + charset.name()
              + ": "
              + (result.isMalformed() ? "malformed" : "unmappable")
              + " input at byte "
              + in.position());
    }
    out.flip();
    return out.toString();
  }

  /** Whether {@code s} holds a UTF-16 surrogate without its partner (e.g. from a JSON escape). */
  static int firstLoneSurrogate(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return i;
      }
      if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }
}
