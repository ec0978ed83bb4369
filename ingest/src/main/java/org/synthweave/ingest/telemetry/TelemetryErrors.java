package org.synthweave.ingest.telemetry;

import java.nio.file.Path;
import org.synthweave.core.SynthweaveException;

/**
 * The one place where the telemetry package creates user-facing errors (bad schema file, bad device
 * registry). Each message says what went wrong, where (file and key or line), and how to fix it.
 * Per-record problems are not errors: they become {@link ValidationResult.Rejection}s.
 */
public final class TelemetryErrors {
  private TelemetryErrors() {}

  static SynthweaveException schemaUnreadable(String origin, Throwable cause) {
    return new SynthweaveException(
        "Cannot read the telemetry schema "
            + origin
            + ": "
            + cause.getMessage()
            + ". Check the path and that the file is valid HOCON (see conf/telemetry-schema.conf"
            + " for an example).",
        cause);
  }

  static SynthweaveException badSchema(String origin, String key, String problem, String fix) {
    return new SynthweaveException(
        "Telemetry schema "
            + origin
            + ": key '"
            + key
            + "' "
            + problem
            + ". "
            + fix
            + " (see conf/telemetry-schema.conf for the documented keys).");
  }

  static SynthweaveException registryUnreadable(Path file, Throwable cause) {
    return new SynthweaveException(
        "Cannot read the device registry "
            + file
            + ": "
            + cause.getMessage()
            + ". Check the path; the file is CSV with the header device_id,public_key,signing.",
        cause);
  }

  static SynthweaveException badRegistryLine(String origin, long line, String problem) {
    return new SynthweaveException(
        "Device registry "
            + origin
            + " line "
            + line
            + ": "
            + problem
            + ". Each line must be device_id,public_key,signing with public_key the base64 of a"
            + " raw 32-byte or X.509 Ed25519 public key and signing 'required' or 'optional'.");
  }

  static SynthweaveException badDeviceEntry(String origin, String deviceId, String problem) {
    return new SynthweaveException(
        "Device registry "
            + origin
            + ", device '"
            + deviceId
            + "': "
            + problem
            + ". Fix the entry: public_key must be the base64 of a raw 32-byte or X.509 Ed25519"
            + " public key, signing 'required' or 'optional', and each device listed once.");
  }
}
