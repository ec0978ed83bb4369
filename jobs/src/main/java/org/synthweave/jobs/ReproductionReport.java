package org.synthweave.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code synthweave reproduce} found: one {@link Part} per file and step it rebuilt or
 * recomputed, each with what the manifest records, what came out here and why they differ or could
 * not be compared, plus notes on the conditions (code version, configuration) of the rebuild.
 *
 * @param dataset the manifest's dataset name
 * @param version the manifest's version
 * @param table the exported table
 * @param tableVersion its Delta version
 * @param parts every comparison, in the order made
 * @param notes conditions of the rebuild that a reader should know
 */
record ReproductionReport(
    String dataset,
    String version,
    String table,
    long tableVersion,
    List<Part> parts,
    List<String> notes) {

  /** The level of a comparison. */
  enum Level {
    /** The dataset folder held against its own manifest (files on disk, signature). */
    FOLDER,
    /** The export rebuilt from the recorded table version by the export code. */
    EXPORT,
    /** The exported rows recomputed from their inputs (augmentation run, synthesizer model). */
    RECOMPUTE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The outcome of a comparison. */
  enum Status {
    /** Equal: same SHA-256 (or the same value). */
    MATCH,
    /** Compared and different. */
    MISMATCH,
    /** Not compared; {@link Part#detail} says why. */
    NOT_CHECKED
  }

  /**
   * One comparison.
   *
   * @param level what was compared
   * @param path the file (relative to the dataset folder), or what else was compared ({@code merkle
   *     root}, {@code schema})
   * @param expected what the manifest records (a SHA-256, a root), or null
   * @param actual what came out here, or null
   * @param status the outcome
   * @param required whether a {@link Status#NOT_CHECKED} outcome fails the reproduction (the export
   *     must always be rebuilt; a recomputation may lack its inputs on this machine)
   * @param detail why it differs or was not checked, or what matched (rows, bytes)
   */
  record Part(
      Level level,
      String path,
      String expected,
      String actual,
      Status status,
      boolean required,
      String detail) {}

  ReproductionReport {
    parts = List.copyOf(parts);
    notes = List.copyOf(notes);
  }

  /** Whether a part differs, or a required part could not be checked. */
  boolean failed() {
    return parts.stream()
        .anyMatch(
            p ->
                p.status() == Status.MISMATCH
                    || (p.status() == Status.NOT_CHECKED && p.required()));
  }

  /** Parts that could not be checked. */
  List<Part> unchecked() {
    return parts.stream().filter(p -> p.status() == Status.NOT_CHECKED).toList();
  }

  /** The per-file table, the notes and a verdict, for people. */
  void print(PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "reproduce %s version %s: table %s version %d%n",
        dataset,
        version,
        table,
        tableVersion);
    for (String n : notes) {
      out.println("note: " + n);
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"level", "file", "manifest", "here", "result"});
    for (Part p : parts) {
      rows.add(
          new String[] {
            p.level().label(), p.path(), shortHash(p.expected()), shortHash(p.actual()), result(p)
          });
    }
    int[] width = new int[4];
    for (String[] r : rows) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < width.length; i++) {
        b.append(String.format(Locale.ROOT, "%-" + width[i] + "s  ", r[i]));
      }
      out.println(b.append(r[4]));
    }
    for (Part p : parts) {
      if (p.status() != Status.MATCH && p.detail() != null) {
        out.println(p.level().label() + " " + p.path() + ": " + p.detail());
      }
    }
    long matched = parts.stream().filter(p -> p.status() == Status.MATCH).count();
    List<Part> unchecked = unchecked();
    if (failed()) {
      out.printf(
          Locale.ROOT,
          "FAILED: %d of %d comparisons differ or could not be made where they must%n",
          parts.stream()
              .filter(
                  p ->
                      p.status() == Status.MISMATCH
                          || (p.status() == Status.NOT_CHECKED && p.required()))
              .count(),
          parts.size());
    } else if (unchecked.isEmpty()) {
      out.printf(
          Locale.ROOT,
          "OK: all %d comparisons match; the dataset was rebuilt byte for byte%n",
          matched);
    } else {
      out.printf(
          Locale.ROOT,
          "OK with gaps: %d comparisons match, %d could not be made here (see above); nothing"
              + " that was compared differs%n",
          matched,
          unchecked.size());
    }
    out.flush();
  }

  /** The report as one JSON line. */
  String toJsonLine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset", dataset);
    m.put("version", version);
    m.put("table", table);
    m.put("table_version", tableVersion);
    m.put("ok", !failed());
    m.put("complete", unchecked().isEmpty());
    List<Map<String, Object>> ps = new ArrayList<>();
    for (Part p : parts) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("level", p.level().label());
      x.put("path", p.path());
      x.put("expected", p.expected());
      x.put("actual", p.actual());
      x.put("status", p.status().name().toLowerCase(Locale.ROOT));
      x.put("required", p.required());
      x.put("detail", p.detail());
      ps.add(x);
    }
    m.put("parts", ps);
    m.put("notes", notes);
    try {
      return new ObjectMapper().writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a report must serialize: " + e.getMessage(), e);
    }
  }

  private static String result(Part p) {
    return switch (p.status()) {
      case MATCH -> "same";
      case MISMATCH -> "DIFFERS";
      case NOT_CHECKED -> p.required() ? "NOT REBUILT" : "not checked";
    };
  }

  private static String shortHash(String h) {
    if (h == null) {
      return "-";
    }
    return h.length() > 16 ? h.substring(0, 16) : h;
  }
}
