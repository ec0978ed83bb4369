package org.synthweave.ingest.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.synthweave.core.SynthweaveException;

class TelemetrySignatureTest {
  /** Fixed unless -Dtests.seed=N is given, so a failure can be replayed. */
  private static final long SEED = Long.getLong("tests.seed", System.nanoTime());

  private static byte[] seedOf(String deviceId) throws Exception {
    Path file = TelemetrySamples.sample("test-keys/" + deviceId + ".seed");
    return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
  }

  @Test
  void javaKeysAndSignaturesMatchAnIndependentImplementation() throws Exception {
    JsonNode node = TelemetrySamples.resourceJson("node-ed25519.json");
    byte[] seed = Base64.getDecoder().decode(node.get("seed_base64").asText());
    assertArrayEquals(seedOf("wsn-sh-mote1"), seed);
    assertEquals(
        node.get("public_key_base64").asText(),
        Base64.getEncoder()
            .encodeToString(Ed25519Keys.rawPublicKey(Ed25519Keys.publicKeyFromSeed(seed))));
    byte[] message =
        TelemetrySamples.resource("golden-reading.canonical.txt").getBytes(StandardCharsets.UTF_8);
    byte[] javaSig = Ed25519Keys.sign(Ed25519Keys.privateKeyFromSeed(seed), message);
    assertEquals(
        node.get("signature_base64").asText(), Base64.getEncoder().encodeToString(javaSig));
  }

  @Test
  void signVerifyRoundTrip() throws Exception {
    TelemetrySchema schema = TelemetrySamples.schema();
    DeviceRegistry registry = TelemetrySamples.registry();
    TelemetryValidator validator = new TelemetryValidator(schema, registry, TelemetrySamples.CLOCK);
    TypedReading reading =
        TypedReading.builder(schema)
            .deviceId("wsn-sh-mote4")
            .timestampMillis(1_273_374_200_000L)
            .sensor("humidity", 37.16)
            .sensor("temperature", 33.94)
            .sensor("reading_seq", 1L)
            .build();
    TypedReading signed = TelemetrySigner.fromSeed(seedOf("wsn-sh-mote4")).signed(reading);
    PublicKey key = registry.device("wsn-sh-mote4").publicKey();
    byte[] sig = Base64.getDecoder().decode(signed.signature());
    assertTrue(Ed25519Keys.verify(key, CanonicalReadingEncoding.encode(reading), sig));
    PublicKey other = registry.device("wsn-sh-mote3").publicKey();
    assertFalse(Ed25519Keys.verify(other, CanonicalReadingEncoding.encode(reading), sig));

    Map<String, String> raw =
        Map.of(
            "device_id", "wsn-sh-mote4",
            "timestamp", "1273374200000",
            "humidity", "37.16",
            "temperature", "33.94",
            "reading_seq", "1",
            "signature", signed.signature());
    ValidationResult result = validator.validate(raw, "inline", 1);
    assertTrue(result.isValid(), result.toString());
    assertEquals(signed, ((ValidationResult.ValidReading) result).reading());
  }

  /**
   * Property: changing any byte of the covered part of a signed reading's canonical encoding makes
   * the signature fail. Randomized over sample readings, positions and replacement bytes.
   */
  @Test
  void flippingAnyCoveredByteBreaksTheSignature() {
    Random random = new Random(SEED);
    List<Map<String, String>> rows =
        TelemetrySamples.readJsonl(TelemetrySamples.sample("readings.jsonl"));
    TelemetryValidator validator = TelemetrySamples.validator();
    for (int i = 0; i < 300; i++) {
      Map<String, String> raw = rows.get(random.nextInt(rows.size()));
      ValidationResult result = validator.validate(raw, "readings.jsonl", i);
      TypedReading reading = ((ValidationResult.ValidReading) result).reading();
      if (reading.signature() == null) {
        continue;
      }
      byte[] bytes = CanonicalReadingEncoding.encode(reading);
      byte[] sig = Base64.getDecoder().decode(reading.signature());
      PublicKey key = validator.registry().device(reading.deviceId()).publicKey();
      // every byte after the header line is covered field content
      int start = CanonicalReadingEncoding.HEADER.length() + 1;
      int pos = start + random.nextInt(bytes.length - start);
      byte[] flipped = bytes.clone();
      flipped[pos] ^= (byte) (1 + random.nextInt(255));
      assertFalse(
          Ed25519Keys.verify(key, flipped, sig),
          "seed " + SEED + ": flipping byte " + pos + " of " + reading + " still verified");
      assertTrue(Ed25519Keys.verify(key, bytes, sig), "seed " + SEED + ": original must verify");
    }
  }

  /**
   * Property, end to end: changing one character of a covered raw value (so it still parses but
   * means something else) never yields a valid reading; when the value stays in range the reason is
   * bad_signature.
   */
  @Test
  void changingACoveredRawValueIsRejected() {
    Random random = new Random(SEED + 1);
    List<Map<String, String>> rows =
        TelemetrySamples.readCsv(TelemetrySamples.sample("readings.csv"));
    TelemetryValidator validator = TelemetrySamples.validator();
    List<String> fields = new ArrayList<>(validator.schema().coveredFields());
    Set<TelemetryRejectReason> rangeReasons =
        Set.of(
            TelemetryRejectReason.OUT_OF_RANGE,
            TelemetryRejectReason.LAT_OUT_OF_RANGE,
            TelemetryRejectReason.LON_OUT_OF_RANGE,
            TelemetryRejectReason.TIMESTAMP_OUT_OF_RANGE,
            TelemetryRejectReason.UNKNOWN_DEVICE);
    int badSignatures = 0;
    for (int i = 0; i < 300; i++) {
      Map<String, String> raw = new java.util.HashMap<>(rows.get(random.nextInt(rows.size())));
      String field = fields.get(random.nextInt(fields.size()));
      String before = raw.get(field);
      String after = mutate(before, random);
      raw.put(field, after);
      ValidationResult result = validator.validate(raw, "readings.csv", i);
      String where = "seed " + SEED + ": " + field + " '" + before + "' -> '" + after + "'";
      assertFalse(result.isValid(), where + " was accepted");
      TelemetryRejectReason reason = ((ValidationResult.Rejection) result).reason();
      if (reason == TelemetryRejectReason.BAD_SIGNATURE) {
        badSignatures++;
      } else {
        assertTrue(rangeReasons.contains(reason), where + " gave " + reason);
      }
    }
    assertTrue(badSignatures > 150, "seed " + SEED + ": only " + badSignatures + " bad_signature");
  }

  /** Replaces one digit by another digit, one letter by another, or flips a boolean. */
  private static String mutate(String value, Random random) {
    if (value.equals("true") || value.equals("false")) {
      return value.equals("true") ? "false" : "true";
    }
    char[] chars = value.toCharArray();
    while (true) {
      int pos = random.nextInt(chars.length);
      char c = chars[pos];
      if (Character.isDigit(c)) {
        chars[pos] = (char) ('0' + (c - '0' + 1 + random.nextInt(9)) % 10);
        // a leading zero would not parse as the same kind of number; try again
        if (chars[0] == '0' && chars.length > 1 && Character.isDigit(chars[1])) {
          chars[pos] = c;
          continue;
        }
        return new String(chars);
      }
      if (Character.isLetter(c)) {
        chars[pos] = (char) ('a' + (c - 'a' + 1 + random.nextInt(25)) % 26);
        if (Character.isLetter(chars[pos])) {
          return new String(chars);
        }
        chars[pos] = c;
      }
    }
  }

  @Test
  void registryLoadsBothKeyFormsAndPolicies() {
    DeviceRegistry registry = TelemetrySamples.registry();
    assertEquals(5, registry.size());
    assertEquals(DeviceRegistry.Signing.OPTIONAL, registry.device("wsn-mh-mote1").signing());
    assertEquals(DeviceRegistry.Signing.REQUIRED, registry.device("wsn-sh-mote1").signing());
    assertFalse(registry.contains("wsn-sh-mote9"));
    // the X.509 entry decodes to the same key as its raw form
    PublicKey x509 = registry.device("wsn-mh-mote1").publicKey();
    String raw = Base64.getEncoder().encodeToString(Ed25519Keys.rawPublicKey(x509));
    DeviceRegistry fromRaw =
        new DeviceRegistry(
            List.of(new DeviceRegistry.Entry("d", raw, DeviceRegistry.Signing.OPTIONAL)), "test");
    assertEquals(x509, fromRaw.device("d").publicKey());
  }

  @Test
  void registryErrorsNameTheLineOrDevice() {
    String key = "7Kx82dQMvKiwjf29ujm4vnt3FZf8Q0waouoJgyGiErk=";
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class,
            () -> DeviceRegistry.parse(List.of("id,key", "a," + key + ",required"), "r.csv"));
    assertTrue(e.getMessage().contains("r.csv line 1"), e.getMessage());
    e =
        assertThrows(
            SynthweaveException.class,
            () ->
                DeviceRegistry.parse(
                    List.of(DeviceRegistry.HEADER, "# c", "a," + key + ",sometimes"), "r.csv"));
    assertTrue(e.getMessage().contains("r.csv line 3"), e.getMessage());
    e =
        assertThrows(
            SynthweaveException.class,
            () -> DeviceRegistry.parse(List.of(DeviceRegistry.HEADER, "a,AAAA,required"), "r.csv"));
    assertTrue(e.getMessage().contains("device 'a'"), e.getMessage());
    e =
        assertThrows(
            SynthweaveException.class,
            () ->
                DeviceRegistry.parse(
                    List.of(
                        DeviceRegistry.HEADER, "a," + key + ",required", "a," + key + ",optional"),
                    "r.csv"));
    assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
  }
}
