package org.synthweave.ingest.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.synthweave.core.SynthweaveException;

class TelemetrySchemaTest {

  @Test
  void loadsTheCommittedSchema() {
    TelemetrySchema schema = TelemetrySamples.schema();
    List<String> names = schema.fields().stream().map(TelemetryField::name).toList();
    assertEquals(
        List.of(
            "device_id",
            "timestamp",
            "lat",
            "lon",
            "humidity",
            "temperature",
            "reading_seq",
            "anomaly_label",
            "indoor",
            "network"),
        names);
    assertEquals(TelemetryFieldType.TIMESTAMP, schema.field("timestamp").type());
    TelemetryField humidity = schema.field("humidity");
    assertEquals(TelemetryFieldType.DOUBLE, humidity.type());
    assertTrue(humidity.isRequired());
    assertEquals(0.0, humidity.min());
    assertEquals(100.0, humidity.max());
    assertEquals("%RH", humidity.unit());
    TelemetryField seq = schema.field("reading_seq");
    assertEquals(TelemetryField.Kind.COUNT, seq.kind());
    assertEquals(TelemetryFieldType.LONG, seq.type());
    assertEquals(TelemetryFieldType.INT, schema.field("anomaly_label").type());
    assertFalse(schema.field("anomaly_label").isRequired());
    assertEquals(TelemetryFieldType.BOOLEAN, schema.field("indoor").type());
    assertEquals(TelemetryFieldType.STRING, schema.field("network").type());
    assertFalse(schema.isPositionRequired());
    assertEquals("signature", schema.signatureField());
    assertEquals(Duration.ofMinutes(5), schema.maxClockSkew());
    assertEquals(TelemetrySchema.DEFAULT_NOT_BEFORE, schema.notBefore());
    // default coverage: every declared field, sorted by name
    assertEquals(names.stream().sorted().toList(), schema.coveredFields());
    assertNull(schema.field("signature"));
  }

  @Test
  void explicitCoverageIsSortedAndChecked() {
    TelemetrySchema schema =
        TelemetrySchema.parse(
            "telemetry-schema { signature.covers = [timestamp, t, device_id],"
                + " fields = [{name = t, type = double}, {name = note, type = string}] }",
            "inline");
    assertEquals(List.of("device_id", "t", "timestamp"), schema.coveredFields());
  }

  @Test
  void missingFileNamesThePath() {
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class, () -> TelemetrySchema.load(Path.of("/no/such/schema.conf")));
    assertTrue(e.getMessage().contains("/no/such/schema.conf"), e.getMessage());
  }

  @Test
  void syntaxErrorNamesTheOrigin() {
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class,
            () -> TelemetrySchema.parse("telemetry-schema { fields = [ ", "broken.conf"));
    assertTrue(e.getMessage().contains("broken.conf"), e.getMessage());
  }

  /** Each broken schema must fail with a message naming the offending key. */
  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "fields = [{name = t, type = double, requried = true}] | telemetry-schema.fields[0].requried",
        "fields = [{name = t, type = float}] | telemetry-schema.fields[0].type",
        "fields = [{name = t}] | telemetry-schema.fields[0].type",
        "fields = [{type = double}] | telemetry-schema.fields[0].name",
        "fields = [{name = T-1, type = double}] | telemetry-schema.fields[0].name",
        "fields = [{name = t, type = double, min = 5, max = 1}] | telemetry-schema.fields[0].min",
        "fields = [{name = t, type = double, kind = count}] | telemetry-schema.fields[0].kind",
        "fields = [{name = t, type = long, kind = count, min = -1}] | telemetry-schema.fields[0].min",
        "fields = [{name = t, type = string, max = 3}] | telemetry-schema.fields[0].max",
        "fields = [{name = t, type = double, min = low}] | telemetry-schema.fields[0].min",
        "fields = [{name = t, type = double}, {name = t, type = long}] | telemetry-schema.fields[1].name",
        "fields = [{name = lat, type = double}] | telemetry-schema.fields[0].name",
        "fields = [{name = signature, type = string}] | telemetry-schema.fields[0].name",
        "fields = [{name = t, type = double, required = maybe}] | telemetry-schema.fields[0].required",
        "fields = [] , signature.covers = [device_id] | telemetry-schema.signature.covers",
        "fields = [] , signature.covers = [device_id, timestamp, x] | telemetry-schema.signature.covers",
        "fields = [] , signature.field = timestamp | telemetry-schema.signature.field",
        "fields = [] , timestamp.not-before = yesterday | telemetry-schema.timestamp.not-before",
        "fields = [] , timestamp.epoch-unit = micros | telemetry-schema.timestamp.epoch-unit",
        "fields = [] , timestamp.max-clock-skew = soon | telemetry-schema.timestamp.max-clock-skew",
        "fields = [] , positon.required = true | telemetry-schema.positon",
        "fields = [] , version = 2 | telemetry-schema.version",
        "fields = {} | telemetry-schema.fields",
        "version = 1 | telemetry-schema.fields",
      })
  void brokenSchemaNamesTheKey(String body, String key) {
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class,
            () -> TelemetrySchema.parse("telemetry-schema { " + body + " }", "broken.conf"));
    assertTrue(
        e.getMessage().contains("key '" + key + "'") && e.getMessage().contains("broken.conf"),
        "message should name " + key + ": " + e.getMessage());
  }

  @Test
  void missingRootBlockIsExplained() {
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class, () -> TelemetrySchema.parse("fields = []", "flat.conf"));
    assertTrue(e.getMessage().contains("'telemetry-schema'"), e.getMessage());
  }
}
