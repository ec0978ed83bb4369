package org.synthweave.ingest.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalReadingEncodingTest {
  private final TelemetrySchema schema = TelemetrySamples.schema();

  /** The first reading of readings.jsonl, built by hand. */
  private TypedReading golden() {
    return TypedReading.builder(schema)
        .deviceId("wsn-sh-mote1")
        .timestamp(Instant.parse("2010-05-09T03:03:20Z"))
        .position(-37.7983, 144.961)
        .sensor("humidity", 43.32)
        .sensor("temperature", 27.79)
        .sensor("reading_seq", 2201L)
        .sensor("anomaly_label", 0)
        .sensor("indoor", true)
        .sensor("network", "single-hop")
        .build();
  }

  @Test
  void goldenBytes() {
    byte[] expected =
        TelemetrySamples.resource("golden-reading.canonical.txt").getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(expected, CanonicalReadingEncoding.encode(golden()));
    // the same hash Node computed independently over the golden file
    assertEquals(
        TelemetrySamples.resourceJson("node-ed25519.json").get("canonical_sha256").asText(),
        CanonicalReadingEncoding.readingHash(golden()));
    assertEquals(
        "d4331261498f4daeca7503c278c41ed62f651d79beb549a91fb8ae0a625b2200",
        CanonicalReadingEncoding.readingHash(golden()));
  }

  @Test
  void sameReadingFromJsonAndTypedBuilderEncodesTheSame() {
    TelemetryValidator validator = TelemetrySamples.validator();
    ValidationResult r =
        validator.validate(
            TelemetrySamples.readJsonl(TelemetrySamples.sample("readings.jsonl")).get(0),
            "readings.jsonl",
            1);
    TypedReading parsed = ((ValidationResult.ValidReading) r).reading();
    assertArrayEquals(
        CanonicalReadingEncoding.encode(golden()), CanonicalReadingEncoding.encode(parsed));
  }

  @Test
  void absentValuesAreEmptyAndStringsAreEscaped() {
    TypedReading r =
        TypedReading.builder(schema)
            .deviceId("dev\\1")
            .timestampMillis(946_684_800_000L)
            .sensor("humidity", -0.0)
            .sensor("temperature", 1e-7)
            .sensor("reading_seq", 0L)
            .sensor("network", "a\nb\rc=d")
            .build();
    assertEquals(
        "synthweave-telemetry-v1\n"
            + "anomaly_label=\n"
            + "device_id=dev\\\\1\n"
            + "humidity=0\n"
            + "indoor=\n"
            + "lat=\n"
            + "lon=\n"
            + "network=a\\nb\\rc=d\n"
            + "reading_seq=0\n"
            + "temperature=1e-7\n"
            + "timestamp=946684800000\n",
        CanonicalReadingEncoding.encodeToString(r));
  }

  @Test
  void signatureIsNotPartOfTheEncoding() {
    TypedReading r = golden();
    assertArrayEquals(
        CanonicalReadingEncoding.encode(r),
        CanonicalReadingEncoding.encode(r.withSignature("AAAA")));
  }

  @Test
  void differentValuesGiveDifferentHashes() {
    TypedReading a = golden();
    TypedReading b =
        TypedReading.builder(schema)
            .deviceId("wsn-sh-mote1")
            .timestamp(Instant.parse("2010-05-09T03:03:20Z"))
            .position(-37.7983, 144.961)
            .sensor("humidity", 43.33)
            .sensor("temperature", 27.79)
            .sensor("reading_seq", 2201L)
            .sensor("anomaly_label", 0)
            .sensor("indoor", true)
            .sensor("network", "single-hop")
            .build();
    assertNotEquals(
        CanonicalReadingEncoding.readingHash(a), CanonicalReadingEncoding.readingHash(b));
  }

  /** Doubles are written as JavaScript's String(x) writes them (golden file made by Node). */
  @Test
  void doublesMatchEcmascriptNumberToString() {
    List<String> lines = TelemetrySamples.resource("ecmascript-doubles.csv").lines().toList();
    assertEquals("bits,ecmascript", lines.get(0));
    int checked = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      long bits = HexFormat.fromHexDigitsToLong(cells[0]);
      double d = Double.longBitsToDouble(bits);
      assertEquals(cells[1], CanonicalReadingEncoding.canonicalDouble(d), "bits " + cells[0]);
      checked++;
    }
    assertEquals(2036, checked);
  }

  @Test
  void doubleEdgeCases() {
    assertEquals("0", CanonicalReadingEncoding.canonicalDouble(0.0));
    assertEquals("0", CanonicalReadingEncoding.canonicalDouble(-0.0));
    assertEquals("27", CanonicalReadingEncoding.canonicalDouble(27.0));
    assertEquals("1e+21", CanonicalReadingEncoding.canonicalDouble(1e21));
    assertEquals("100000000000000000000", CanonicalReadingEncoding.canonicalDouble(1e20));
    assertEquals("0.000001", CanonicalReadingEncoding.canonicalDouble(1e-6));
    // JDK 17's Double.toString gives 2.0E-3 style and is not always shortest: we must not
    assertEquals("2e+23", CanonicalReadingEncoding.canonicalDouble(2e23));
    assertThrows(
        IllegalArgumentException.class, () -> CanonicalReadingEncoding.canonicalDouble(Double.NaN));
    assertThrows(
        IllegalArgumentException.class,
        () -> CanonicalReadingEncoding.canonicalDouble(Double.POSITIVE_INFINITY));
  }
}
