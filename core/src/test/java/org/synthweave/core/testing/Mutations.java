package org.synthweave.core.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded random damage to real samples, for the readers' fuzz tests: each call of {@link #mutate}
 * applies one to a few edits (bit flips, byte overwrites, deletions, insertions of random or
 * "interesting" bytes, duplicated and swapped ranges, truncation), in the spirit of AFL's havoc
 * stage. The same seed gives the same mutant, so a failing case replays from its seed.
 *
 * <p>Use {@link #seed()} for the run's seed ({@code -Dtests.seed=N} replays one) and print it on
 * failure.
 */
public final class Mutations {
  /** Byte runs that tend to hit edge cases in text formats and parsers. */
  private static final List<byte[]> INTERESTING =
      List.of(
          ascii("\r\n"),
          ascii("\n"),
          ascii("\r\n\r\n"),
          ascii("\""),
          ascii("\\"),
          ascii("\\u0000"),
          ascii("{"),
          ascii("}"),
          ascii("["),
          ascii(","),
          ascii(":"),
          ascii("<"),
          ascii(">"),
          ascii("<!--"),
          ascii("<script>"),
          ascii("WARC/1.0\r\n"),
          ascii("Content-Length: 99999999\r\n"),
          ascii("Content-Length: -1\r\n"),
          ascii("NaN"),
          ascii("-0"),
          ascii("1e999"),
          ascii("9223372036854775808"),
          ascii("+999999999-12-31T23:59:59Z"),
          ascii("null"),
          new byte[] {0},
          new byte[] {(byte) 0xff, (byte) 0xfe},
          new byte[] {(byte) 0xc3, (byte) 0x28},
          new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
          new byte[] {(byte) 0xe2, (byte) 0x80, (byte) 0xae},
          new byte[] {0x1f, (byte) 0x8b, 0x08});

  private final Random random;

  public Mutations(long seed) {
    this.random = new Random(seed);
  }

  /** The seed of a fuzz run: {@code -Dtests.seed=N} replays one, otherwise a fresh one. */
  public static long seed() {
    String fixed = System.getProperty("tests.seed");
    return fixed != null ? Long.parseLong(fixed) : System.nanoTime() ^ 0x5DEECE66DL;
  }

  /** A fresh mutant of {@code original} (never the array itself); 1 to 4 stacked edits. */
  public byte[] mutate(byte[] original) {
    byte[] a = original.clone();
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits; i++) {
      a = edit(a);
    }
    return a;
  }

  /** A random int in [0, bound), from this run's generator (for choosing what to damage). */
  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  private byte[] edit(byte[] a) {
    if (a.length == 0) {
      return insert(a, 0, randomBytes(1 + random.nextInt(16)));
    }
    int at = random.nextInt(a.length);
    switch (random.nextInt(9)) {
      case 0 -> {
        byte[] b = a.clone();
        b[at] ^= (byte) (1 << random.nextInt(8));
        return b;
      }
      case 1 -> {
        byte[] b = a.clone();
        b[at] = (byte) random.nextInt(256);
        return b;
      }
      case 2 -> {
        return delete(a, at, 1 + random.nextInt(Math.min(a.length - at, 256)));
      }
      case 3 -> {
        return insert(a, at, randomBytes(1 + random.nextInt(64)));
      }
      case 4 -> {
        return insert(a, at, INTERESTING.get(random.nextInt(INTERESTING.size())));
      }
      case 5 -> {
        int len = 1 + random.nextInt(Math.min(a.length - at, 4096));
        return insert(a, random.nextInt(a.length + 1), Arrays.copyOfRange(a, at, at + len));
      }
      case 6 -> {
        int len = 1 + random.nextInt(Math.min(a.length - at, 512));
        int to = random.nextInt(a.length - len + 1);
        byte[] b = a.clone();
        System.arraycopy(a, at, b, to, len);
        return b;
      }
      case 7 -> {
        return Arrays.copyOf(a, at);
      }
      default -> {
        byte[] digits = Long.toString(random.nextLong()).getBytes(StandardCharsets.US_ASCII);
        return insert(a, at, digits);
      }
    }
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] insert(byte[] a, int at, byte[] what) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + what.length);
    out.write(a, 0, at);
    out.writeBytes(what);
    out.write(a, at, a.length - at);
    return out.toByteArray();
  }

  private static byte[] delete(byte[] a, int at, int len) {
    byte[] b = new byte[a.length - len];
    System.arraycopy(a, 0, b, 0, at);
    System.arraycopy(a, at + len, b, at, a.length - at - len);
    return b;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
