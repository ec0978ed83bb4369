package org.synthweave.ingest.telemetry;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import org.synthweave.core.ContentIds;

/**
 * The canonical bytes of a reading: what a device signs, what {@link TelemetryValidator} verifies
 * and what {@link #readingHash} hashes. It is defined on typed values, not on the text a file held,
 * so {@code 45.9}, {@code 45.90} and {@code 4.59e1} in JSON or CSV all give the same bytes, and
 * firmware in any language can produce it.
 *
 * <h2>Specification (version 1)</h2>
 *
 * <p>The encoding is UTF-8 text of lines, each ending in a single line feed (0x0A):
 *
 * <ol>
 *   <li>The first line is the literal {@code synthweave-telemetry-v1} (so a signature over a
 *       reading can never be mistaken for a signature over anything else).
 *   <li>Then one line {@code name=value} for each field the signature covers ({@link
 *       TelemetrySchema#coveredFields()}, by default every declared field except the signature),
 *       sorted by field name in byte order. Names match {@code [a-z][a-z0-9_]*}. A field that is
 *       absent (null) still gets its line, with an empty value: {@code lat=}.
 * </ol>
 *
 * <p>Values:
 *
 * <ul>
 *   <li>{@code timestamp}: epoch milliseconds (UTC) as a base-10 integer.
 *   <li>long and int: base-10 integer, {@code -} for negatives, no {@code +}, no leading zeros.
 *   <li>boolean: {@code true} or {@code false}.
 *   <li>double (also lat, lon): the shortest decimal that reads back to the same IEEE-754 double,
 *       written as ECMAScript's {@code Number.prototype.toString} writes it (ECMA-262
 *       Number::toString, the form RFC 8785 uses): {@code 45.93}, {@code 27}, {@code 0.000001},
 *       {@code 1e-7}, {@code 1.5e+21}; {@code -0} is written {@code 0}. NaN and infinities never
 *       occur (they are rejected). JavaScript's {@code String(x)}, and any shortest round-trip
 *       formatter (Python {@code repr}, Go {@code strconv.FormatFloat(x,'g',-1,64)}, Rust {@code
 *       ryu}) followed by the layout rules of ECMA-262, produce it.
 *   <li>string (also device_id): the characters as UTF-8, with backslash written {@code \\}, line
 *       feed {@code \n} and carriage return {@code \r} (two characters each), so every field stays
 *       on one line. Empty strings never occur: an empty raw value means absent.
 * </ul>
 *
 * <p>Example ({@code data/samples/telemetry/README.md} has the full sample):
 *
 * <pre>
 * synthweave-telemetry-v1
 * anomaly_label=0
 * device_id=wsn-sh-mote1
 * humidity=45.93
 * ...
 * timestamp=1273363200000
 * </pre>
 *
 * <p>The signature is Ed25519 (RFC 8032, pure) over these bytes, carried as standard padded base64
 * of the 64 signature bytes.
 */
public final class CanonicalReadingEncoding {
  /** The first line of every encoding; bump the version if the rules above ever change. */
  public static final String HEADER = "synthweave-telemetry-v1";

  private CanonicalReadingEncoding() {}

  /** The canonical bytes of {@code reading} (its signature is not part of them). */
  public static byte[] encode(TypedReading reading) {
    return encodeToString(reading).getBytes(StandardCharsets.UTF_8);
  }

  /** The canonical encoding as text, for logs, READMEs and debugging signature mismatches. */
  public static String encodeToString(TypedReading reading) {
    if (reading == null) {
      throw new IllegalArgumentException("reading must not be null");
    }
    TelemetrySchema schema = reading.schema();
    StringBuilder out = new StringBuilder(256).append(HEADER).append('\n');
    for (String name : schema.coveredFields()) {
      out.append(name).append('=');
      Object value = reading.value(name);
      if (value != null) {
        appendValue(out, schema.field(name).type(), value);
      }
      out.append('\n');
    }
    return out.toString();
  }

  /**
   * Lower-case hex SHA-256 of the canonical encoding. Equal hashes mean equal covered content. The
   * Spark adapter keeps, among readings with the same device_id and timestamp, the one with the
   * smallest hash (then the smallest signature, nulls last, to break ties between a signed and an
   * unsigned copy of the same content); it also serves as the silver row id.
   */
  public static String readingHash(TypedReading reading) {
    return ContentIds.sha256Hex(encode(reading));
  }

  private static void appendValue(StringBuilder out, TelemetryFieldType type, Object value) {
    switch (type) {
      case DOUBLE:
        out.append(canonicalDouble((Double) value));
        break;
      case STRING:
        appendEscaped(out, (String) value);
        break;
      case LONG:
      case INT:
      case TIMESTAMP:
      case BOOLEAN:
        out.append(value);
        break;
      default:
        throw new AssertionError("unhandled type " + type);
    }
  }

  private static void appendEscaped(StringBuilder out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        default:
          out.append(c);
      }
    }
  }

  /**
   * The canonical text of a finite double: ECMA-262 Number::toString. JDK 17's {@link
   * Double#toString} is not always shortest (fixed only in JDK 19) and uses another layout, so the
   * shortest digits are searched here: for each precision p from 1 to 17, the two p-digit decimals
   * around the exact binary value are candidates; the first precision with a candidate that parses
   * back to {@code d} wins, the nearer candidate if both do (the even one on a tie).
   */
  public static String canonicalDouble(double d) {
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("d must be finite, got " + d);
    }
    if (d == 0.0) {
      return "0";
    }
    double abs = Math.abs(d);
    BigDecimal exact = new BigDecimal(abs);
    BigDecimal digits = null;
    for (int p = 1; p <= 17 && digits == null; p++) {
      BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
      boolean downOk = Double.parseDouble(down.toString()) == abs;
      boolean upOk = Double.parseDouble(up.toString()) == abs;
      if (downOk && upOk && down.compareTo(up) != 0) {
        int cmp = exact.subtract(down).compareTo(up.subtract(exact));
        if (cmp < 0) {
          digits = down;
        } else if (cmp > 0) {
          digits = up;
        } else {
          digits = down.unscaledValue().testBit(0) ? up : down;
        }
      } else if (downOk) {
        digits = down;
      } else if (upOk) {
        digits = up;
      }
    }
    assert digits != null : "17 significant digits always round-trip a double";
    digits = digits.stripTrailingZeros();
    String s = digits.unscaledValue().toString();
    int k = s.length();
    int n = k - digits.scale(); // value = s * 10^(n-k), as ECMA-262 names them
    StringBuilder out = new StringBuilder(24);
    if (d < 0) {
      out.append('-');
    }
    if (k <= n && n <= 21) {
      out.append(s);
      for (int i = 0; i < n - k; i++) {
        out.append('0');
      }
    } else if (0 < n && n <= 21) {
      out.append(s, 0, n).append('.').append(s, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.");
      for (int i = 0; i < -n; i++) {
        out.append('0');
      }
      out.append(s);
    } else {
      out.append(s.charAt(0));
      if (k > 1) {
        out.append('.').append(s, 1, k);
      }
      int e = n - 1;
      out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return out.toString();
  }
}
