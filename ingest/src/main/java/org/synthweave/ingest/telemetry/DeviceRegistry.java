package org.synthweave.ingest.telemetry;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The devices whose readings we accept: device id to Ed25519 public key and signing policy.
 *
 * <p>The registry decides which devices exist. A reading from a device not listed here is rejected
 * with {@code unknown_device}, whether or not it carries a signature; otherwise anyone could invent
 * device ids and fill the silver table with unsigned readings. A device with {@link
 * Signing#REQUIRED} must sign every reading; one with {@link Signing#OPTIONAL} may send unsigned
 * readings, but a signature it does send is still verified.
 *
 * <p>File format (CSV, UTF-8): a header line {@code device_id,public_key,signing}, then one line
 * per device; {@code public_key} is standard base64 of the raw 32-byte key or of its X.509
 * encoding, {@code signing} is {@code required} or {@code optional}. Blank lines and lines starting
 * with {@code #} are ignored. The Spark adapter may instead build the entries from a Delta table
 * and use {@link #DeviceRegistry(List, String)}. Instances are immutable and serializable.
 */
public final class DeviceRegistry implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The header line of the registry CSV. */
  public static final String HEADER = "device_id,public_key,signing";

  /** Whether a device must sign its readings. */
  public enum Signing {
    REQUIRED,
    OPTIONAL;

    /** The word used in the registry file. */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Signing parse(String text) {
      for (Signing s : values()) {
        if (s.code().equals(text.trim().toLowerCase(Locale.ROOT))) {
          return s;
        }
      }
      return null;
    }
  }

  /** One registry row as it is stored (e.g. in the CSV file or a Delta table). */
  public record Entry(String deviceId, String publicKeyBase64, Signing signing)
      implements Serializable {
    public Entry {
      Objects.requireNonNull(deviceId, "deviceId");
      Objects.requireNonNull(publicKeyBase64, "publicKeyBase64");
      Objects.requireNonNull(signing, "signing");
    }
  }

  /** A registered device with its decoded key. */
  public record Device(String deviceId, PublicKey publicKey, Signing signing)
      implements Serializable {}

  private final String origin;
  private final Map<String, Device> devices;

  /**
   * Builds a registry from entries; {@code origin} (e.g. a table name) appears in errors. Fails on
   * a duplicate device id or a key that is not an Ed25519 public key.
   */
  public DeviceRegistry(List<Entry> entries, String origin) {
    if (entries == null) {
      throw new IllegalArgumentException("entries must not be null");
    }
    this.origin = origin == null ? "(entries)" : origin;
    Map<String, Device> map = new TreeMap<>();
    for (Entry e : entries) {
      if (e.deviceId().isBlank()) {
        throw TelemetryErrors.badDeviceEntry(this.origin, e.deviceId(), "the device id is blank");
      }
      PublicKey key;
      try {
        key = Ed25519Keys.decodePublicKey(e.publicKeyBase64());
      } catch (IllegalArgumentException ex) {
        throw TelemetryErrors.badDeviceEntry(this.origin, e.deviceId(), ex.getMessage());
      }
      if (map.put(e.deviceId(), new Device(e.deviceId(), key, e.signing())) != null) {
        throw TelemetryErrors.badDeviceEntry(this.origin, e.deviceId(), "it is listed twice");
      }
    }
    this.devices = Collections.unmodifiableMap(map);
  }

  /** Loads a registry CSV; errors name the file and line. */
  public static DeviceRegistry load(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("file must not be null");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      throw TelemetryErrors.registryUnreadable(file, e);
    }
    return parse(lines, file.toString());
  }

  /** Parses registry CSV lines (header first); {@code origin} names the source in errors. */
  public static DeviceRegistry parse(List<String> lines, String origin) {
    List<Entry> entries = new ArrayList<>();
    boolean headerSeen = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      long lineNo = i + 1L;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (!headerSeen) {
        if (!line.replace(" ", "").equalsIgnoreCase(HEADER)) {
          throw TelemetryErrors.badRegistryLine(
              origin, lineNo, "expected the header '" + HEADER + "' but found '" + line + "'");
        }
        headerSeen = true;
        continue;
      }
      String[] cells = line.split(",", -1);
      if (cells.length != 3) {
        throw TelemetryErrors.badRegistryLine(
            origin, lineNo, "found " + cells.length + " cells instead of 3");
      }
      Signing signing = Signing.parse(cells[2]);
      if (signing == null) {
        throw TelemetryErrors.badRegistryLine(
            origin, lineNo, "signing is '" + cells[2].trim() + "'");
      }
      entries.add(new Entry(cells[0].trim(), cells[1].trim(), signing));
    }
    if (!headerSeen) {
      throw TelemetryErrors.badRegistryLine(
          origin, 1, "the file has no header line '" + HEADER + "'");
    }
    return new DeviceRegistry(entries, origin);
  }

  /** The device with this id, or null if it is not registered. */
  public Device device(String deviceId) {
    return deviceId == null ? null : devices.get(deviceId);
  }

  public boolean contains(String deviceId) {
    return device(deviceId) != null;
  }

  /** Registered device ids in sorted order. */
  public Set<String> deviceIds() {
    return devices.keySet();
  }

  public int size() {
    return devices.size();
  }

  public String origin() {
    return origin;
  }

  @Override
  public String toString() {
    return "DeviceRegistry(" + origin + ", " + devices.size() + " devices)";
  }
}
