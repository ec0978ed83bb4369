package org.synthweave.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The declared list of what stays on the CPU on a GPU cluster, read from {@value #RESOURCE}: lines
 * {@code Class | reason text | why}, where Class is a Spark operator or expression as RAPIDS'
 * explain report names it ({@code *} for any) and the reason text is part of RAPIDS' reason. {@code
 * explain-gpu} marks what the list covers; its test fails on any other fallback.
 */
final class GpuFallbacks {
  static final String RESOURCE = "synthweave/gpu-cpu-fallbacks.txt";

  /** One declared fallback. */
  record Line(String name, String reasonText, String why) {
    boolean matches(String entryName, String reason) {
      return (name.equals("*") || name.equals(entryName)) && reason.contains(reasonText);
    }
  }

  private final List<Line> lines;

  private GpuFallbacks(List<Line> lines) {
    this.lines = List.copyOf(lines);
  }

  /** The list shipped in the jar. */
  static GpuFallbacks declared() {
    try (InputStream in = GpuFallbacks.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses the list; blank lines and {@code #} comments are skipped. */
  static GpuFallbacks parse(String text) {
    List<Line> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String[] f = t.split("\\|", 3);
      if (f.length != 3 || Arrays.stream(f).anyMatch(String::isBlank)) {
        throw new IllegalArgumentException(
            RESOURCE + ": a line must read 'Class | reason text | why', got: " + t);
      }
      lines.add(new Line(f[0].strip(), f[1].strip(), f[2].strip()));
    }
    return new GpuFallbacks(lines);
  }

  /** The declared line that covers this one reason of an entry, if any. */
  Optional<Line> covering(String name, String reason) {
    return lines.stream().filter(l -> l.matches(name, reason)).findFirst();
  }

  List<Line> lines() {
    return lines;
  }
}
