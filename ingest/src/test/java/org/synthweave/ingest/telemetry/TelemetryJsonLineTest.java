package org.synthweave.ingest.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One JSON line to a raw record or a reason, the way the Spark adapter's JSON reader reads it. */
class TelemetryJsonLineTest {
  private final TelemetryValidator validator = TelemetrySamples.validator();

  private static final String GOOD =
      "{\"device_id\":\"wsn-mh-mote1\",\"timestamp\":\"2010-07-10T03:03:20Z\",\"lat\":-37.797,"
          + "\"lon\":144.962,\"humidity\":60.95,\"temperature\":28.35,\"reading_seq\":2201,"
          + "\"anomaly_label\":0,\"indoor\":false,\"network\":\"multi-hop\"}";

  /**
   * Lines a JSON lines file can hold, each with the reason (and field) it must end with; an empty
   * reason means a good reading. {@code %s} in a line stands for the good line's fields after
   * device_id and timestamp.
   */
  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // duplicate keys: the last one wins, as in Spark's reader
        "{'device_id':'nope','device_id':'wsn-mh-mote1','timestamp':'2010-07-10T03:03:20Z',%s}"
            + "| |",
        "{'device_id':'wsn-mh-mote1','timestamp':'2010-07-10T03:03:20Z',%s,'humidity':-1}"
            + "|out_of_range|humidity",
        // nested objects and arrays where a number, a boolean or a timestamp is expected
        "{'device_id':'wsn-mh-mote1','timestamp':{'s':1},%s}|unparsable_field|timestamp",
        "{'device_id':'wsn-mh-mote1','timestamp':'2010-07-10T03:03:20Z',%s,'reading_seq':[1]}"
            + "|unparsable_field|reading_seq",
        "{'device_id':'wsn-mh-mote1','timestamp':'2010-07-10T03:03:20Z',%s,'indoor':{}}"
            + "|unparsable_field|indoor",
        "{'device_id':{'id':'wsn-mh-mote1'},'timestamp':'2010-07-10T03:03:20Z',%s}"
            + "|unknown_device|device_id",
        // numbers as JSON numbers, at and beyond every limit
        "{'device_id':'wsn-mh-mote1','timestamp':9223372036854775807,%s}"
            + "|timestamp_out_of_range|timestamp",
        "{'device_id':'wsn-mh-mote1','timestamp':-9223372036854775809,%s}"
            + "|timestamp_out_of_range|timestamp",
        "{'device_id':'wsn-mh-mote1','timestamp':1278731000000000,%s}"
            + "|timestamp_out_of_range|timestamp",
        "{'device_id':'wsn-mh-mote1','timestamp':1e400,%s}|unparsable_field|timestamp",
        "{'device_id':'wsn-mh-mote1','timestamp':'+999999999-12-31T23:59:59Z',%s}"
            + "|timestamp_out_of_range|timestamp",
        "{'device_id':'wsn-mh-mote1','timestamp':'2010-07-10T03:03:20Z',%s,'humidity':1e400}"
            + "|not_a_number|humidity",
        "{'device_id':'wsn-mh-mote1','timestamp':'2010-07-10T03:03:20Z',%s,'humidity':NaN}"
            + "|not_a_number|humidity",
        "{'device_id':'wsn-mh-mote1','timestamp':'2010-07-10T03:03:20Z',%s,'humidity':-0}| |",
        "{'device_id':'wsn-mh-mote1','timestamp':'2010-07-10T03:03:20Z',%s,"
            + "'reading_seq':123456789012345678901234567890}|unparsable_field|reading_seq",
        "{'device_id':'wsn-mh-mote1','timestamp':'2010-07-10T03:03:20Z',%s,"
            + "'anomaly_label':true}|unparsable_field|anomaly_label",
        "{'device_id':'wsn-mh-mote1','timestamp':'2010-07-10T03:03:20Z',%s,'indoor':null}| |",
        // not a record at all
        "[1,2]|malformed_row|",
        "42|malformed_row|",
        "{'device_id':'wsn-mh-mote1',|malformed_row|",
        "{'device_id':'wsn-mh-mote1' 'timestamp':1}|malformed_row|",
        "'just a string'|malformed_row|",
      })
  void lineGetsItsReason(String template, String code, String field) {
    String rest = GOOD.substring(GOOD.indexOf("\"lat\""), GOOD.length() - 1);
    String line = template.replace('\'', '"').replace("%s", rest);
    TelemetryJsonLine.Parsed parsed = TelemetryJsonLine.parse(line);
    if (parsed instanceof TelemetryJsonLine.Bad bad) {
      assertEquals(code, bad.reason().code(), bad.detail());
      assertEquals(null, field);
      return;
    }
    Map<String, String> raw = assertInstanceOf(TelemetryJsonLine.Fields.class, parsed).values();
    ValidationResult r = validator.validate(raw, "x", 1);
    if (code == null) {
      assertTrue(r.isValid(), r.toString());
      return;
    }
    ValidationResult.Rejection rej = assertInstanceOf(ValidationResult.Rejection.class, r);
    assertEquals(code, rej.reasonCode(), rej.detail());
    assertEquals(field, rej.field(), rej.detail());
  }

  @Test
  void valuesKeepTheirTextAsWritten() {
    Map<String, String> raw =
        ((TelemetryJsonLine.Fields)
                TelemetryJsonLine.parse(
                    "{\"a\":45.010,\"b\":-0,\"c\":true,\"d\":null,\"e\":{\"x\":[1, 2]},\"f\":'q'}"))
            .values();
    assertEquals("45.010", raw.get("a"));
    assertEquals("-0", raw.get("b"));
    assertEquals("true", raw.get("c"));
    assertTrue(raw.containsKey("d"));
    assertEquals(null, raw.get("d"));
    assertEquals("{\"x\":[1,2]}", raw.get("e"));
    assertEquals("q", raw.get("f"));
    assertInstanceOf(TelemetryJsonLine.Blank.class, TelemetryJsonLine.parse("   "));
    assertInstanceOf(TelemetryJsonLine.Blank.class, TelemetryJsonLine.parse(""));
  }

  /** Crossing a small limit: a value at the limit is read, one character more is too large. */
  @Test
  void recordSizeLimitJustUnderAndJustOver() {
    int limit = 4096;
    Map<String, String> raw =
        assertInstanceOf(
                TelemetryJsonLine.Fields.class,
                TelemetryJsonLine.parse(lineWithNetworkOf(limit), limit))
            .values();
    assertEquals(limit, raw.get("network").length());
    assertTrue(validator.validate(raw, "x", 1).isValid());

    TelemetryJsonLine.Bad over =
        assertInstanceOf(
            TelemetryJsonLine.Bad.class,
            TelemetryJsonLine.parse(lineWithNetworkOf(limit + 1), limit));
    assertEquals(TelemetryRejectReason.RECORD_TOO_LARGE, over.reason());
    assertTrue(over.detail().contains("4096"), over.detail());
  }

  /**
   * The real limit (issue 17): a value longer than Jackson's default 20 M characters is read, a
   * value at the maximum record size is read, and one character more gives record_too_large with
   * the limit, not a JSON error. Lines are generated; the largest string held is 64 Mi Latin-1
   * characters (Jackson's buffer for it twice that).
   */
  @Test
  void defaultLimitIsTheDocumentedMaximumRecordSize() {
    int jacksonDefault = 20_000_000;
    assertTrue(TelemetryJsonLine.MAX_RECORD_CHARS > jacksonDefault);
    Map<String, String> raw =
        assertInstanceOf(
                TelemetryJsonLine.Fields.class,
                TelemetryJsonLine.parse(lineWithNetworkOf(jacksonDefault + 1)))
            .values();
    assertEquals(jacksonDefault + 1, raw.get("network").length());
    assertTrue(validator.validate(raw, "x", 1).isValid());
    raw = null;

    assertInstanceOf(
        TelemetryJsonLine.Fields.class,
        TelemetryJsonLine.parse(lineWithNetworkOf(TelemetryJsonLine.MAX_RECORD_CHARS)));

    TelemetryJsonLine.Bad over =
        assertInstanceOf(
            TelemetryJsonLine.Bad.class,
            TelemetryJsonLine.parse(lineWithNetworkOf(TelemetryJsonLine.MAX_RECORD_CHARS + 1)));
    assertEquals(TelemetryRejectReason.RECORD_TOO_LARGE, over.reason());
    assertTrue(
        over.detail().contains(Integer.toString(TelemetryJsonLine.MAX_RECORD_CHARS)),
        over.detail());
  }

  /** Over the limit inside the JSON: Jackson's constraint gives the same reason, with the limit. */
  @Test
  void aValueOverTheLimitIsTooLargeNotBadJson() {
    TelemetryJsonLine.Bad bad =
        assertInstanceOf(
            TelemetryJsonLine.Bad.class,
            TelemetryJsonLine.parse("{\"network\":\"" + "n".repeat(5000) + "\"}", 4000));
    assertEquals(TelemetryRejectReason.RECORD_TOO_LARGE, bad.reason());
    assertTrue(bad.detail().contains("4000"), bad.detail());
  }

  /** The good line with a network value of exactly {@code chars} characters. */
  static String lineWithNetworkOf(int chars) {
    String head = GOOD.substring(0, GOOD.indexOf("\"network\":\"") + "\"network\":\"".length());
    return head + "m".repeat(chars) + "\"}";
  }
}
