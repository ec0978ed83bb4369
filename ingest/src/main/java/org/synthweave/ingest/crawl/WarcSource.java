package org.synthweave.ingest.crawl;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.ZipException;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.MessageBody;
import org.netpreserve.jwarc.MessageHeaders;
import org.netpreserve.jwarc.ParsingException;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcTargetRecord;

/**
 * WARC records through jwarc, with resynchronisation after damage (see {@link CrawlFileReader}).
 *
 * <p>A content record is held back ("pending") until the reader has checked where its block ends: a
 * Content-Length that is too long or too short, without a WARC-Block-Digest to give it away, only
 * shows when the next record does not start right behind the block's CRLF CRLF trailer. Only then
 * is the pending record passed on; otherwise it is rejected once and the reader resynchronises on
 * the next record start after the damaged record's own start, so a neighbour it swallowed is found
 * again instead of lost.
 *
 * <p>Every record, of any type and whether found by reading on or by resynchronising, is also
 * checked for a second record start inside its own header: a header cut short runs on into the next
 * record's header, which jwarc reads as one header with the next record's fields (see {@link
 * #recordStartInsideHeader}). Such a record is rejected, and the next is read from its own start.
 */
final class WarcSource implements EntrySource {
  static final Set<String> CONTENT_TYPES =
      Set.of(CrawlRecord.TYPE_RESPONSE, CrawlRecord.TYPE_RESOURCE, CrawlRecord.TYPE_CONVERSION);

  private static final int SCAN_CHUNK = 64 * 1024;
  private static final int MAX_GZIP_HEADER_SCAN = 64 * 1024;
  private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b, 0x08};
  private static final byte[] WARC_MAGIC = "WARC/1.".getBytes(StandardCharsets.US_ASCII);

  private final Path file;
  private final String sourceFile;
  private final int maxRecordBytes;
  private FileChannel channel;
  private WarcReader reader;
  private boolean gzip;
  private boolean started;
  private boolean done;

  /** The record most recently returned by the jwarc reader, and what we know about it. */
  private boolean haveCurrent;

  private long currentOffset;
  private String currentType;
  private String currentId;
  private String currentUrl;
  private boolean currentRejected;
  private long currentBlockSize;
  private boolean currentDigestVerified;
  private CrawlRecord pending;

  /** Set by jwarc's warning handler when a record's block is not followed by CRLF CRLF. */
  private boolean trailerWarning;

  WarcSource(Path file, int maxRecordBytes) {
    this.file = file;
    this.sourceFile = file.toString();
    this.maxRecordBytes = maxRecordBytes;
  }

  @Override
  public boolean step(Consumer<CrawlEntry> out) {
    if (done) {
      return false;
    }
    if (!started) {
      started = true;
      if (!start(out)) {
        done = true;
        return true;
      }
    }
    Optional<WarcRecord> next;
    trailerWarning = false;
    try {
      next = reader.next();
    } catch (IOException | RuntimeException e) {
      onFramingFailure(e, out);
      return true;
    }
    // The next header parsed (or the file ended) right behind the trailer: the block fits, unless
    // jwarc had to skip a bad trailer and no digest vouches for the block.
    if (haveCurrent && trailerWarning && !currentDigestVerified) {
      onMisframedBlock(out);
      return true;
    }
    flushPending(out);
    if (next.isEmpty()) {
      done = true;
      close();
      return false;
    }
    handle(next.get(), reader.position(), out);
    return true;
  }

  private boolean start(Consumer<CrawlEntry> out) {
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
      if (channel.size() == 0) {
        out.accept(new CrawlSkip(sourceFile, 0, CrawlSkipReason.EMPTY_FILE, null));
        close();
        return false;
      }
      // The name counts too: a .warc.gz whose first member header is damaged is still resynced
      // by gzip members, not by searching its compressed bytes for WARC/1. (unless it is a plain
      // WARC under a .gz name).
      gzip =
          startsWithAt(0, new byte[] {GZIP_MAGIC[0], GZIP_MAGIC[1]})
              || (CrawlFormat.isGzipStream(file) && !startsWithAt(0, WARC_MAGIC));
      reader = openAt(0);
      return true;
    } catch (IOException | RuntimeException e) {
      out.accept(
          CrawlRejection.of(
              sourceFile, 0, null, null, CrawlRejectReason.IO_ERROR, null, e.toString(), null));
      close();
      return false;
    }
  }

  private WarcReader openAt(long offset) throws IOException {
    channel.position(offset);
    // WarcReader takes its start position from the channel, so offsets stay file-absolute.
    WarcReader warcReader = new WarcReader(channel);
    // jwarc only warns about a bad trailer and reads on; for us it means a wrong Content-Length.
    warcReader.onWarning(
        message -> {
          if (message.contains("trailer")) {
            trailerWarning = true;
          }
        });
    // Without a digest check, damage inside a gzip member (no CRC check in jwarc) or a shifted
    // plain body can pass as a record with wrong bytes; WARC-Block-Digest catches both.
    warcReader.calculateBlockDigest();
    return warcReader;
  }

  private void handle(WarcRecord record, long offset, Consumer<CrawlEntry> out) {
    haveCurrent = true;
    currentOffset = offset;
    currentRejected = false;
    currentId = null;
    currentUrl = null;
    currentType = null;
    currentBlockSize = blockSize(record);
    currentDigestVerified = false;
    long merged = recordStartInsideHeader(offset);
    if (merged >= 0) {
      // A header cut short (or damaged) ran on into the next record's header: the fields read here,
      // its type and Content-Length included, are partly that record's. Whatever this record was,
      // it is gone; the record whose header starts inside it is read whole from its own start.
      rejectCurrent(
          out,
          CrawlRejectReason.MALFORMED_WARC_HEADER,
          "the WARC header runs on into the header of the record at offset "
              + merged
              + ": it was cut short or damaged");
      resync(merged);
      return;
    }
    try {
      currentType = record.type();
      if (!CONTENT_TYPES.contains(currentType)) {
        out.accept(new CrawlSkip(sourceFile, offset, CrawlSkipReason.WARC_TYPE, currentType));
        return;
      }
      currentId = record.headers().sole("WARC-Record-ID").orElse(null);
      if (currentId != null) {
        currentId = currentId.strip();
        if (currentId.startsWith("<") && currentId.endsWith(">")) {
          currentId = currentId.substring(1, currentId.length() - 1);
        }
      }
      currentUrl = record instanceof WarcTargetRecord target ? target.target() : null;
    } catch (RuntimeException e) {
      rejectCurrent(out, CrawlRejectReason.MALFORMED_WARC_HEADER, e.toString());
      // A header whose fields cannot be read gives no trustworthy Content-Length either: a header
      // cut short runs on into the next record's header lines (two WARC-Record-IDs) and would take
      // that record's block as its own. Look for the next record start after this one instead.
      resync(currentOffset + 1);
      return;
    }
    Instant date;
    try {
      date = record.date();
    } catch (RuntimeException e) {
      rejectCurrent(out, CrawlRejectReason.MALFORMED_WARC_HEADER, "WARC-Date: " + e.getMessage());
      resync(currentOffset + 1); // as above: a second WARC-Date may be the next record's
      return;
    }
    if (date != null && !CrawlRecord.fetchTimeInRange(date)) {
      rejectCurrent(
          out,
          CrawlRejectReason.MALFORMED_WARC_HEADER,
          "WARC-Date " + date + " is out of range: a fetch time must lie in the years 1 to 9999");
      return;
    }

    Integer status = null;
    String contentType = null;
    String charset = null;
    MessageBody payload;
    java.util.List<String> encodings = java.util.List.of();
    if (record instanceof WarcResponse response && isHttp(record)) {
      HttpResponse http;
      try {
        http = response.http();
        status = http.status();
        payload = http.body();
      } catch (IOException | RuntimeException e) {
        contentLevelOrFraming(record, CrawlRejectReason.MALFORMED_HTTP, e, out);
        return;
      }
      encodings = ContentEncodings.of(http.headers().all("Content-Encoding"));
      MediaType type = contentType(http.headers().first("Content-Type").orElse(null));
      contentType = type == null ? null : type.base().toString();
      charset = type == null ? null : type.parameters().get("charset");
    } else {
      payload = record.body();
      MediaType type = contentType(record.headers().first("Content-Type").orElse(null));
      contentType = type == null ? null : type.base().toString();
      charset = type == null ? null : type.parameters().get("charset");
    }

    byte[] body;
    try {
      body = readCapped(payload);
    } catch (IOException | RuntimeException e) {
      contentLevelOrFraming(record, CrawlRejectReason.MALFORMED_HTTP, e, out);
      return;
    }
    try {
      MessageBody block = record.body();
      block.consume();
      if (block.position() < block.size()) {
        rejectCurrent(
            out,
            CrawlRejectReason.TRUNCATED_RECORD,
            "the file ends "
                + (block.size() - block.position())
                + " bytes before the end of the block (Content-Length "
                + block.size()
                + ")");
        resync(currentOffset + 1);
        return;
      }
      Optional<org.netpreserve.jwarc.WarcDigest> declared = record.blockDigest();
      Optional<org.netpreserve.jwarc.WarcDigest> actual = record.calculatedBlockDigest();
      if (declared.isPresent() && actual.isPresent() && !declared.get().equals(actual.get())) {
        rejectCurrent(
            out,
            CrawlRejectReason.TRUNCATED_RECORD,
            "WARC-Block-Digest mismatch: declared " + declared.get() + ", read " + actual.get());
        resync(currentOffset + 1);
        return;
      }
      currentDigestVerified = declared.isPresent() && actual.isPresent();
    } catch (IOException | RuntimeException e) {
      rejectCurrent(out, CrawlRejectReason.TRUNCATED_RECORD, e.toString());
      resync(currentOffset + 1);
      return;
    }
    if (body != null && !encodings.isEmpty()) {
      try {
        body = ContentEncodings.decode(body, encodings, maxRecordBytes);
      } catch (CrawlContentException e) {
        rejectCurrent(out, e.reason(), e.getMessage());
        return;
      }
    }
    if (body == null) {
      rejectCurrent(
          out,
          CrawlRejectReason.RECORD_TOO_LARGE,
          "payload > max " + maxRecordBytes + " bytes (WARC block " + blockSize(record) + ")");
      return;
    }
    pending =
        new CrawlRecord(
            sourceFile,
            offset,
            currentId,
            currentUrl,
            date,
            status,
            contentType,
            charset,
            currentType,
            body,
            null);
  }

  private static boolean isHttp(WarcRecord record) {
    Optional<String> type = record.headers().first("Content-Type");
    return type.isEmpty() || type.get().toLowerCase(Locale.ROOT).startsWith("application/http");
  }

  private static MediaType contentType(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return MediaType.parseLeniently(value);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static long blockSize(WarcRecord record) {
    try {
      return record.body().size();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Reads the payload, or returns null once it exceeds the limit (the rest stays unread). */
  private byte[] readCapped(MessageBody body) throws IOException {
    long declared;
    try {
      declared = body.size();
    } catch (IOException | RuntimeException e) {
      declared = -1;
    }
    int initial = (int) Math.min(Math.max(declared, 8192), maxRecordBytes + 1L);
    byte[] buf = new byte[Math.max(initial, 16)];
    int n = 0;
    while (true) {
      if (n == buf.length) {
        if (n > maxRecordBytes) {
          return null;
        }
        buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxRecordBytes + 1L));
      }
      int r = body.read(ByteBuffer.wrap(buf, n, buf.length - n));
      if (r < 0) {
        break;
      }
      n += r;
    }
    if (n > maxRecordBytes) {
      return null;
    }
    return n == buf.length ? buf : Arrays.copyOf(buf, n);
  }

  /**
   * After a failure inside a record, decides whether the WARC framing survived: if the rest of the
   * block can be consumed, the problem was the HTTP message (reject with {@code contentReason},
   * continue normally); otherwise the file is damaged here (truncated, resynchronise).
   */
  private void contentLevelOrFraming(
      WarcRecord record, CrawlRejectReason contentReason, Exception e, Consumer<CrawlEntry> out) {
    // An end of file inside the block means the file is cut here (or Content-Length runs past its
    // end), not that the HTTP message is bad.
    if (!endOfFile(e)) {
      try {
        MessageBody block = record.body();
        block.consume();
        if (block.position() >= block.size()) {
          rejectCurrent(out, contentReason, e.toString());
          return;
        }
      } catch (IOException | RuntimeException framing) {
        e = framing;
      }
    }
    rejectCurrent(out, CrawlRejectReason.TRUNCATED_RECORD, e.toString());
    resync(currentOffset + 1);
  }

  private static boolean endOfFile(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a header failure reported at {@code failedAt} in a .warc.gz lies in bytes left over at
   * the end of the current record's member: a member starts at {@code failedAt} and its record
   * header parses on its own.
   */
  private boolean leftoverBeforeMember(long failedAt) {
    try {
      return gzip
          && failedAt > currentOffset
          && startsWithAt(failedAt, GZIP_MAGIC)
          && probe(failedAt);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * After the header behind the current record failed to parse at {@code failedAt}: whether the
   * current record's block still ended where it should, so that the damage starts at {@code
   * failedAt} (a damaged next header) rather than inside the current record (a wrong
   * Content-Length). True when jwarc found the CRLF CRLF trailer right behind the block and either
   * a matching WARC-Block-Digest vouches for it, a record start ({@code WARC/1.} line or gzip
   * member) follows at {@code failedAt}, or no record start lies inside the block (a Content-Length
   * too long swallows its neighbour's start; one too short leaves body bytes that are no record
   * start, and is caught here only if they happen to form CRLF CRLF, which the trailer check
   * misses).
   */
  private boolean blockEndsBefore(long failedAt) {
    if (trailerWarning) {
      return false;
    }
    if (currentDigestVerified) {
      return true;
    }
    try {
      if (startsWithAt(failedAt, gzip ? GZIP_MAGIC : WARC_MAGIC)) {
        return true;
      }
      for (long c = scan(currentOffset + 1); c >= 0 && c < failedAt; c = scan(c + 1)) {
        if (probe(c)) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The offset of a record start whose header has all the mandatory fields of its own (record id,
   * type, date, Content-Length), inside the header of the record at {@code offset}, or -1. In a
   * plain WARC, jwarc reads a field value such as {@code <urn:uuid:cf08WARC/1.0} without complaint,
   * so a header cut short right before the next record's {@code WARC/1.0} line parses as one header
   * with the next record's fields. In a .warc.gz, damage can forge a gzip member header whose
   * optional fields (extra, name, comment) run over the next member's header, so that it inflates
   * that member's record. Requiring the mandatory fields keeps a value that merely ends in {@code
   * WARC/1.0} (a URL, say) from splitting an intact header.
   */
  private long recordStartInsideHeader(long offset) {
    try {
      long end = gzip ? gzipHeaderEnd(offset) : headerEnd(offset);
      for (long c = scan(offset + 1, end); c >= 0; c = scan(c + 1, end)) {
        if (probeHeader(c).filter(WarcSource::hasMandatoryFields).isPresent()) {
          return c;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Unreadable here: leave the record to the usual checks.
    }
    return -1;
  }

  /**
   * Offset of the blank line ending the header that starts at {@code offset} (the first CRLF CRLF:
   * jwarc's header grammar allows no empty line, and no bare CR or LF, inside a header), or the
   * file size.
   */
  private long headerEnd(long offset) throws IOException {
    byte[] blank = {'\r', '\n', '\r', '\n'};
    ByteBuffer buf = ByteBuffer.allocate(4096);
    long base = offset;
    long size = channel.size();
    while (base < size) {
      buf.clear();
      int n = channel.read(buf, base);
      if (n <= 0) {
        break;
      }
      byte[] a = buf.array();
      for (int i = 0; i + blank.length <= n; i++) {
        if (startsWith(a, i, blank)) {
          return base + i;
        }
      }
      if (base + n >= size) {
        break;
      }
      base += Math.max(1, n - (blank.length - 1));
    }
    return size;
  }

  /**
   * Offset of the deflate data behind the gzip member header at {@code offset} (RFC 1952: ten
   * bytes, then the optional extra field, file name, comment and header CRC that its flags
   * announce), or the file size. A name or comment is followed for at most {@link
   * #MAX_GZIP_HEADER_SCAN} bytes: a forged flag byte can make the rest of the file a "name".
   */
  private long gzipHeaderEnd(long offset) throws IOException {
    long size = channel.size();
    int flags = byteAt(offset + 3);
    long at = offset + 10;
    if (flags < 0) {
      return size;
    }
    if ((flags & 0x04) != 0) { // FEXTRA: two-byte little-endian length, then the field
      int lo = byteAt(at);
      int hi = byteAt(at + 1);
      if (lo < 0 || hi < 0) {
        return size;
      }
      at += 2 + lo + (hi << 8);
    }
    for (int flag : new int[] {0x08, 0x10}) { // FNAME, FCOMMENT: zero-terminated
      if ((flags & flag) != 0) {
        int b;
        while ((b = byteAt(at)) > 0 && at - offset < MAX_GZIP_HEADER_SCAN) {
          at++;
        }
        if (b < 0) {
          return size;
        }
        at++;
      }
    }
    if ((flags & 0x02) != 0) { // FHCRC
      at += 2;
    }
    return Math.min(at, size);
  }

  /** The unsigned byte at {@code offset}, or -1 behind the end of the file. */
  private int byteAt(long offset) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    return channel.read(one, offset) <= 0 ? -1 : one.get(0) & 0xff;
  }

  private boolean startsWithAt(long offset, byte[] magic) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(magic.length);
    while (buf.hasRemaining()) {
      if (channel.read(buf, offset + buf.position()) < 0) {
        return false;
      }
    }
    return Arrays.equals(buf.array(), magic);
  }

  /**
   * The current record's block did not end where the next record begins: its Content-Length is
   * wrong (or bytes were lost or inserted inside it). Its pending record is rejected, never passed
   * on, and reading resumes at the next record start after its own start, which finds a neighbour
   * the block swallowed. A record already rejected, or skipped by type, is not counted again.
   */
  private void onMisframedBlock(Consumer<CrawlEntry> out) {
    if (pending != null) {
      rejectPending(
          out,
          "the block of the "
              + currentType
              + " record (Content-Length "
              + currentBlockSize
              + ") does not end where the next record begins: its Content-Length is wrong or"
              + " bytes were lost or inserted");
    }
    resync(currentOffset + 1);
  }

  /** Rejects the held-back record as truncated, with its bytes, instead of passing it on. */
  private void rejectPending(Consumer<CrawlEntry> out, String detail) {
    CrawlRecord bad = pending;
    pending = null;
    out.accept(
        CrawlRejection.of(
            sourceFile,
            bad.offset(),
            bad.recordId(),
            bad.url(),
            CrawlRejectReason.TRUNCATED_RECORD,
            null,
            detail,
            bad.body()));
  }

  private void onFramingFailure(Exception e, Consumer<CrawlEntry> out) {
    long failedAt = reader.position();
    if (haveCurrent && failedAt == currentOffset) {
      // Finishing the current record failed: its body or trailer is cut short or corrupt.
      String detail = "while finishing the " + currentType + " record: " + e;
      if (pending != null) {
        rejectPending(out, detail);
      } else if (!currentRejected) {
        rejectCurrent(out, CrawlRejectReason.TRUNCATED_RECORD, detail);
      }
    } else if (haveCurrent && leftoverBeforeMember(failedAt)) {
      // jwarc inflates the members as one stream, so bytes left over at the end of the current
      // member (a Content-Length too short, or damage that inflates to extra bytes) fail to parse
      // as a header, and the failure is reported at the next member, which parses on its own. The
      // damage is the current record's: its block is trusted only if its digest vouches for it,
      // and the next member is read whole from its start.
      if (pending != null && !currentDigestVerified) {
        rejectPending(
            out,
            "bytes are left over behind the block of the "
                + currentType
                + " record (Content-Length "
                + currentBlockSize
                + ") inside its gzip member: its Content-Length is wrong or the member is damaged");
      } else {
        flushPending(out);
      }
      resync(failedAt);
      return;
    } else if (haveCurrent && !blockEndsBefore(failedAt)) {
      // What jwarc took for the next header lies inside or behind the current block.
      onMisframedBlock(out);
      return;
    } else {
      flushPending(out);
      out.accept(
          CrawlRejection.of(
              sourceFile, failedAt, null, null, classify(e), null, e.toString(), null));
    }
    resync(failedAt + 1);
  }

  private static CrawlRejectReason classify(Exception e) {
    if (e instanceof EOFException || e instanceof ZipException) {
      return CrawlRejectReason.TRUNCATED_RECORD;
    }
    if (e instanceof ParsingException || e instanceof RuntimeException) {
      return CrawlRejectReason.MALFORMED_WARC_HEADER;
    }
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("gzip") || message.contains("crc") || message.contains("inflat")) {
      return CrawlRejectReason.TRUNCATED_RECORD;
    }
    return CrawlRejectReason.IO_ERROR;
  }

  private void rejectCurrent(Consumer<CrawlEntry> out, CrawlRejectReason reason, String detail) {
    currentRejected = true;
    out.accept(
        CrawlRejection.of(
            sourceFile, currentOffset, currentId, currentUrl, reason, null, detail, null));
  }

  private void flushPending(Consumer<CrawlEntry> out) {
    if (pending != null) {
      out.accept(pending);
      pending = null;
    }
  }

  /**
   * Finds the next offset at or after {@code from} where a valid record starts and reopens the
   * reader there; without one the file is done. Candidates are gzip member headers in a .warc.gz
   * and {@code WARC/1.} in a plain WARC (at a line start or not), each confirmed by parsing a
   * record header.
   */
  private void resync(long from) {
    haveCurrent = false;
    pending = null;
    try {
      long candidate = from;
      while ((candidate = scan(candidate)) >= 0) {
        if (probe(candidate)) {
          reader = openAt(candidate);
          return;
        }
        candidate++;
      }
    } catch (IOException | RuntimeException e) {
      // The file itself stopped being readable; what was read so far stands.
    }
    done = true;
    close();
  }

  private boolean probe(long offset) {
    return probeHeader(offset).isPresent();
  }

  /** Whether a header has each field the WARC standard makes mandatory, once. */
  private static boolean hasMandatoryFields(MessageHeaders headers) {
    return headers.all("WARC-Record-ID").size() == 1
        && headers.all("WARC-Type").size() == 1
        && headers.all("WARC-Date").size() == 1
        && headers.all("Content-Length").size() == 1;
  }

  /** The header fields of a record that parses at {@code offset}, if one does. */
  private Optional<MessageHeaders> probeHeader(long offset) {
    try (FileChannel probe = FileChannel.open(file, StandardOpenOption.READ)) {
      probe.position(offset);
      WarcReader probeReader = new WarcReader(probe);
      return probeReader.next().map(WarcRecord::headers);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Offset of the next record-start candidate at or after {@code from}, or -1. */
  private long scan(long from) throws IOException {
    return scan(from, Long.MAX_VALUE);
  }

  /** Offset of the next record-start candidate in [{@code from}, {@code limit}), or -1. */
  private long scan(long from, long limit) throws IOException {
    byte[] magic = gzip ? GZIP_MAGIC : WARC_MAGIC;
    // A candidate starting before the limit may end behind it.
    long end = Math.min(channel.size(), Math.max(limit, limit + magic.length));
    if (end - from < magic.length) {
      return -1;
    }
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(SCAN_CHUNK, end - from));
    long base = from;
    while (base < end) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), end - base));
      int n = 0;
      while (buf.hasRemaining()) {
        int r = channel.read(buf, base + n);
        if (r < 0) {
          break;
        }
        n += r;
      }
      byte[] a = buf.array();
      for (int i = 0; i + magic.length <= n && base + i < limit; i++) {
        // Not only at line starts: damage that cut the previous record's trailing newline leaves
        // the next, intact record mid-line. The probe's header parse is the confirmation.
        if (startsWith(a, i, magic)) {
          return base + i;
        }
      }
      if (base + n >= end || n <= magic.length) {
        break;
      }
      // Overlap so a magic split across chunks is still found.
      base += n - magic.length + 1;
    }
    return -1;
  }

  private static boolean startsWith(byte[] a, int i, byte[] magic) {
    for (int j = 0; j < magic.length; j++) {
      if (a[i + j] != magic[j]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    reader = null;
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Read-only channel: nothing to lose, and close must not throw into the iterator.
      }
      channel = null;
    }
  }
}
