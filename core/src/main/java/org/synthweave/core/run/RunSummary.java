package org.synthweave.core.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.synthweave.core.CoreErrors;

/**
 * What one run did, per stage and per source file, printed at the end of every job and appended to
 * the {@code _runs} table. Stages add their per-source counts; the summary adds stage totals and
 * checks that every row balances.
 */
public final class RunSummary {
  private final String runId;
  private final String command;
  private final Instant startedAt;
  private final List<SourceCounts> rows = new ArrayList<>();
  private final Map<String, String> notes = new LinkedHashMap<>();

  public RunSummary(String runId, String command, Instant startedAt) {
    this.runId = runId;
    this.command = command;
    this.startedAt = startedAt;
  }

  public String runId() {
    return runId;
  }

  public String command() {
    return command;
  }

  public Instant startedAt() {
    return startedAt;
  }

  /** Adds per-source counts of one stage (not totals: those are derived). */
  public synchronized void add(SourceCounts counts) {
    if (SourceCounts.TOTAL.equals(counts.source())) {
      throw new IllegalArgumentException("add per-source counts; totals are computed");
    }
    rows.add(counts);
  }

  /** A free-form line printed under the table, e.g. where the output went. */
  public synchronized void note(String key, String value) {
    notes.put(key, value);
  }

  /** The notes added so far, in order. */
  public synchronized Map<String, String> notes() {
    return new LinkedHashMap<>(notes);
  }

  /** Per-source rows, then one total row per stage, in the order stages were added. */
  public synchronized List<SourceCounts> rows() {
    Map<String, SourceCounts> totals = new LinkedHashMap<>();
    for (SourceCounts r : rows) {
      totals.merge(
          r.stage(),
          new SourceCounts(
              r.stage(),
              SourceCounts.TOTAL,
              r.in(),
              r.out(),
              r.quarantined(),
              r.duplicates(),
              r.skipped()),
          SourceCounts::plus);
    }
    List<SourceCounts> out = new ArrayList<>();
    for (String stage : totals.keySet()) {
      rows.stream().filter(r -> r.stage().equals(stage)).forEach(out::add);
      out.add(totals.get(stage));
    }
    return out;
  }

  /** The total row of {@code stage}. */
  public SourceCounts total(String stage) {
    return rows().stream()
        .filter(r -> r.stage().equals(stage) && r.source().equals(SourceCounts.TOTAL))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no counts for stage " + stage));
  }

  /** Fails the run when any row does not balance: that would mean a record was lost. */
  public void checkBalanced() {
    for (SourceCounts r : rows()) {
      if (!r.balanced()) {
        throw CoreErrors.unbalancedRun(
            r.stage(),
            r.source(),
            String.format(
                Locale.ROOT,
                "in=%d but out=%d + quarantined=%d + duplicates=%d = %d",
                r.in(),
                r.out(),
                r.quarantined(),
                r.duplicates(),
                r.out() + r.quarantined() + r.duplicates()));
      }
    }
  }

  /** The human-readable table printed at the end of a job. */
  public String render(Instant finishedAt) {
    List<SourceCounts> all = rows();
    int w = "source".length();
    int sw = 10;
    for (SourceCounts r : all) {
      w = Math.max(w, shorten(r.source()).length());
      sw = Math.max(sw, r.stage().length());
    }
    w = Math.min(w, 60);
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Run %s (%s) finished in %.1f s%n",
            runId,
            command,
            Duration.between(startedAt, finishedAt).toMillis() / 1000.0));
    String fmt = "%-" + sw + "s %-" + w + "s %10s %10s %11s %10s %8s %s%n";
    sb.append(
        String.format(
            Locale.ROOT,
            fmt,
            "stage",
            "source",
            "in",
            "out",
            "quarantined",
            "duplicates",
            "skipped",
            "check"));
    for (SourceCounts r : all) {
      sb.append(
          String.format(
              Locale.ROOT,
              fmt,
              r.stage(),
              shorten(r.source()),
              r.in(),
              r.out(),
              r.quarantined(),
              r.duplicates(),
              r.skipped(),
              r.balanced() ? "ok" : "UNBALANCED"));
    }
    notes.forEach((k, v) -> sb.append(k).append(": ").append(v).append(System.lineSeparator()));
    return sb.toString();
  }

  private static String shorten(String source) {
    // Local files under the working directory print relative to it.
    String cwd = "file:" + java.nio.file.Paths.get("").toAbsolutePath() + "/";
    if (source.startsWith(cwd)) {
      source = source.substring(cwd.length());
    }
    if (source.length() <= 60) {
      return source;
    }
    return "…" + source.substring(source.length() - 59);
  }
}
