package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.testing.SparkTestBase;

/**
 * Issue 17 item 11: a warehouse that is a file, lies under a file or is not writable gives one line
 * that says what happened and what to do, a non-zero exit and no stack trace (unless --debug).
 */
class WarehouseErrorsTest {
  private static CliRun ingest(Path warehouse, String... extra) {
    Path root = SparkTestBase.repoRoot();
    List<String> args = new ArrayList<>(List.of(extra));
    args.addAll(
        List.of(
            "--set",
            "warehouse=" + warehouse,
            "--set",
            "ingest.telemetry.inputs=" + root.resolve("data/samples/telemetry/readings.csv"),
            "--set",
            "ingest.telemetry.schema=" + root.resolve("conf/telemetry-schema.conf"),
            "--set",
            "ingest.telemetry.devices=" + root.resolve("conf/devices.csv"),
            "ingest",
            "--only",
            "telemetry"));
    return CliRun.of(args.toArray(String[]::new));
  }

  /**
   * The one line on stderr besides Spark's own log lines and the progress lines: it starts
   * "synthweave: ", and there is no stack trace anywhere.
   */
  private static String oneLine(CliRun r) {
    List<String> ours =
        r.err()
            .lines()
            .filter(l -> !l.isBlank())
            .filter(l -> !SPARK_LOG.matcher(l).lookingAt())
            .toList();
    assertEquals(1, ours.size(), "one line only:\n" + String.join("\n", ours));
    String line = ours.get(0);
    assertTrue(line.startsWith("synthweave: "), line);
    assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r.err());
    return line;
  }

  /** Spark's console log lines (its default log4j profile in tests) and our progress lines. */
  private static final Pattern SPARK_LOG =
      Pattern.compile(
          "\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d [A-Z]+ |Using Spark's default log4j"
              + "|\\[progress\\] ");

  @Test
  void aWarehouseThatIsAFile(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("warehouse"), "not a folder");
    CliRun r = ingest(file);
    assertEquals(2, r.code(), r.err());
    String line = oneLine(r);
    assertTrue(line.contains("Warehouse " + file + " is a file, not a folder"), line);
    assertTrue(line.contains("set warehouse to a folder"), line);

    CliRun debug = ingest(file, "--debug");
    assertEquals(2, debug.code(), debug.err());
    assertTrue(debug.err().contains("is a file, not a folder"), debug.err());
    assertTrue(debug.err().contains("\tat "), "--debug prints the stack trace: " + debug.err());
  }

  /** The way to make a warehouse unwritable that works as root too: a path under a file. */
  @Test
  void aWarehouseUnderAFile(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    CliRun r = ingest(file.resolve("wh"));
    assertEquals(2, r.code(), r.err());
    String line = oneLine(r);
    assertTrue(line.contains("lies under " + file + ", which is a file"), line);
  }

  /**
   * A read-only warehouse. Permission bits do not bind root (the tests run as root in CI), so as
   * root the folder is made immutable with chattr +i instead; where neither works the case is
   * skipped with the reason.
   */
  @Test
  void aReadOnlyWarehouse(@TempDir Path dir) throws Exception {
    Path wh = Files.createDirectory(dir.resolve("wh"));
    boolean root = "root".equals(System.getProperty("user.name"));
    boolean locked;
    if (root) {
      locked = run("chattr", "+i", wh.toString()) == 0;
      assumeTrue(
          locked,
          "running as root, where chmod a-w does not bind, and chattr +i is unavailable on this"
              + " file system: the read-only case cannot be made here");
    } else {
      locked = wh.toFile().setWritable(false, false);
      assumeTrue(locked, "cannot remove write permission from " + wh);
    }
    try {
      assumeTrue(!Files.isWritable(wh) || !canCreate(wh), "the folder is still writable: " + wh);
      CliRun r = ingest(wh);
      assertTrue(r.code() != 0, r.err());
      String line = oneLine(r);
      assertTrue(line.contains("Warehouse " + wh + " is not writable"), line);
      assertTrue(line.contains("writable folder"), line);

    } finally {
      if (root) {
        run("chattr", "-i", wh.toString());
      } else {
        wh.toFile().setWritable(true, false);
      }
    }
  }

  private static boolean canCreate(Path dir) {
    try {
      Files.delete(Files.createTempFile(dir, "probe", ".tmp"));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int run(String... command) throws InterruptedException {
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
    } catch (IOException e) {
      return -1;
    }
  }
}
