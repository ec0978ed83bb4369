package org.synthweave.verification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.synthweave.verification.VerificationReport.Kind;
import org.synthweave.verification.VerificationReport.Problem;
import org.synthweave.verification.checks.CheckResult;

/**
 * Checks a manifest's {@link Certificate}: its own signature (so an edit to it is named as such),
 * that it agrees with itself (passed, allow_failed_checks and the checks' outcomes, the checked
 * table version), that {@code quality.json} beside the files holds the certified values, and, given
 * checks recomputed from the files, that they give the certified values. Spark-free.
 */
public final class CertificateVerifier {
  /** Relative tolerance for recomputed non-count metrics (shares, minima, maxima). */
  public static final double TOLERANCE = 1e-9;

  private CertificateVerifier() {}

  /**
   * Checks the certificate member of {@code tree}, adding what is wrong to {@code problems};
   * returns it, or null when the manifest has none (or it cannot be read). {@code root} is the
   * dataset folder whose quality.json is compared; null for a manifest read without its folder.
   */
  static Certificate check(JsonNode tree, DatasetManifest m, Path root, List<Problem> problems) {
    JsonNode node = tree.get(Certificate.FIELD);
    if (node == null || node.isNull()) {
      return null;
    }
    Certificate c;
    try {
      if (!node.isObject()) {
        throw new IllegalArgumentException("it is not a JSON object");
      }
      c = Certificate.fromTree(node);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      problems.add(new Problem(Kind.CERTIFICATE_MALFORMED, null, "cannot read it: " + why));
      return null;
    }
    if (!Certificate.FORMAT.equals(c.format()) || c.checks() == null || c.provenance() == null) {
      problems.add(
          new Problem(
              Kind.CERTIFICATE_MALFORMED,
              null,
              "format is "
                  + c.format()
                  + (c.checks() == null || c.provenance() == null
                      ? " without checks or provenance"
                      : "")
                  + ", this version reads "
                  + Certificate.FORMAT));
      return c;
    }
    signature(node, c, m, problems);
    consistency(c, m, problems);
    if (root != null) {
      quality(c, root.resolve(QualityReport.FILE_NAME), problems);
    }
    return c;
  }

  private static void signature(
      JsonNode node, Certificate c, DatasetManifest m, List<Problem> problems) {
    if (c.signature() == null) {
      problems.add(
          new Problem(
              Kind.CERTIFICATE_TAMPERED,
              null,
              "the certificate has no signature of its own: it was added or replaced after"
                  + " signing"));
      return;
    }
    if (!c.signature().verifies(ManifestJson.canonicalWithoutSignature(node))) {
      problems.add(
          new Problem(
              Kind.CERTIFICATE_TAMPERED,
              null,
              "the certificate's signature by "
                  + c.signature().address()
                  + " does not match it: the certificate (checks, values, passed or provenance)"
                  + " was changed after signing"));
    } else if (m.signature() != null
        && !Objects.equals(c.signature().owner(), m.signature().owner())) {
      problems.add(
          new Problem(
              Kind.CERTIFICATE_TAMPERED,
              null,
              "the certificate is signed by "
                  + c.signature().address()
                  + ", the manifest by "
                  + m.signature().address()
                  + ": it was taken from another dataset"));
    }
  }

  private static void consistency(Certificate c, DatasetManifest m, List<Problem> problems) {
    List<String> failing = new ArrayList<>();
    for (Certificate.CheckSet s : c.checks()) {
      if (s == null || s.results() == null) {
        problems.add(new Problem(Kind.CERTIFICATE_MALFORMED, null, "a check set has no results"));
        continue;
      }
      List<String> setFailing =
          s.results().stream().filter(e -> !e.pass()).map(CertificateVerifier::describe).toList();
      failing.addAll(setFailing);
      if (s.passed() != setFailing.isEmpty()) {
        problems.add(
            new Problem(
                Kind.CERTIFICATE_INCONSISTENT,
                null,
                "check set "
                    + s.dataset()
                    + " says passed = "
                    + s.passed()
                    + (setFailing.isEmpty()
                        ? " but all its checks pass"
                        : " but these fail: " + String.join("; ", setFailing))));
      }
      if (s.tableVersion() != m.tableVersion()) {
        problems.add(
            new Problem(
                Kind.CERTIFICATE_INCONSISTENT,
                null,
                "check set "
                    + s.dataset()
                    + " checked table version "
                    + s.tableVersion()
                    + ", the manifest holds version "
                    + m.tableVersion()));
      }
    }
    if (c.passed() != failing.isEmpty()) {
      problems.add(
          new Problem(
              Kind.CERTIFICATE_INCONSISTENT,
              null,
              "the certificate says passed = "
                  + c.passed()
                  + (failing.isEmpty()
                      ? " but every check passes"
                      : " but "
                          + failing.size()
                          + " check(s) fail: "
                          + String.join("; ", failing))));
    }
    if (!failing.isEmpty() && !c.allowFailedChecks()) {
      problems.add(
          new Problem(
              Kind.CERTIFICATE_INCONSISTENT,
              null,
              "checks fail but allow_failed_checks is false: the publish gate would have refused"
                  + " it ("
                  + String.join("; ", failing)
                  + ")"));
    }
  }

  /** Compares quality.json, when present, with the certified check set of its dataset. */
  private static void quality(Certificate c, Path file, List<Problem> problems) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    QualityReport q;
    try {
      q =
          ManifestJson.MAPPER.readValue(
              Files.readString(file, StandardCharsets.UTF_8), QualityReport.class);
    } catch (IOException e) {
      problems.add(
          new Problem(
              Kind.QUALITY_MISMATCH,
              QualityReport.FILE_NAME,
              "cannot be read as a check report: " + e.getMessage()));
      return;
    }
    Certificate.CheckSet set =
        c.checks().stream()
            .filter(s -> s != null && Objects.equals(s.dataset(), q.dataset()))
            .findFirst()
            .orElse(null);
    if (set == null) {
      problems.add(
          new Problem(
              Kind.QUALITY_MISMATCH,
              QualityReport.FILE_NAME,
              "it holds the checks of dataset "
                  + q.dataset()
                  + ", the certificate has none of it"));
      return;
    }
    if (q.tableVersion() != set.tableVersion()) {
      problems.add(
          new Problem(
              Kind.QUALITY_MISMATCH,
              QualityReport.FILE_NAME,
              "it checked table version "
                  + q.tableVersion()
                  + ", the certificate version "
                  + set.tableVersion()));
    }
    Map<String, Deque<QualityReport.Entry>> certified = byKey(set.results());
    for (QualityReport.Entry e : q.checks()) {
      Deque<QualityReport.Entry> same = certified.get(key(e));
      QualityReport.Entry want = same == null ? null : same.poll();
      if (want == null) {
        problems.add(
            new Problem(
                Kind.QUALITY_MISMATCH,
                QualityReport.FILE_NAME,
                "check " + key(e) + " is not in the certificate"));
      } else if (!want.equals(e)) {
        problems.add(
            new Problem(
                Kind.QUALITY_MISMATCH,
                QualityReport.FILE_NAME,
                "check "
                    + key(e)
                    + ": the certificate says "
                    + shown(want)
                    + ", quality.json says "
                    + shown(e)));
      }
    }
    certified.values().stream()
        .flatMap(Deque::stream)
        .forEach(
            e ->
                problems.add(
                    new Problem(
                        Kind.QUALITY_MISMATCH,
                        QualityReport.FILE_NAME,
                        "certified check " + key(e) + " is missing from quality.json")));
  }

  /**
   * The differences between the certified results of {@code set} and {@code recomputed} (the same
   * checks computed from the exported files): counts must be equal, other numbers within {@link
   * #TOLERANCE} (relative), text values and outcomes equal. A certified result whose check could
   * not be rebuilt is not compared.
   */
  public static List<Problem> compareRecomputed(
      Certificate.CheckSet set, List<CheckResult> recomputed) {
    List<Problem> problems = new ArrayList<>();
    Map<String, Deque<QualityReport.Entry>> certified = byKey(set.results());
    for (CheckResult r : recomputed) {
      QualityReport.Entry got = QualityReport.Entry.of(r);
      Deque<QualityReport.Entry> same = certified.get(key(got));
      QualityReport.Entry want = same == null ? null : same.poll();
      if (want == null) {
        problems.add(
            new Problem(
                Kind.RECOMPUTED_MISMATCH,
                null,
                set.dataset() + ": recomputed check " + key(got) + " is not in the certificate"));
        continue;
      }
      String why = difference(want, got);
      if (why != null) {
        problems.add(
            new Problem(
                Kind.RECOMPUTED_MISMATCH,
                null,
                set.dataset()
                    + ": "
                    + key(got)
                    + " certified "
                    + shown(want)
                    + ", the files give "
                    + shown(got)
                    + " ("
                    + why
                    + ")"));
      }
    }
    return problems;
  }

  private static String difference(QualityReport.Entry want, QualityReport.Entry got) {
    if (!Objects.equals(want.actual(), got.actual())) {
      return "different value";
    }
    Double a = want.value();
    Double b = got.value();
    if (a == null || b == null) {
      if (a != b) {
        return "different value";
      }
    } else if (isCount(want.metric())) {
      if (a.doubleValue() != b.doubleValue()) {
        return "counts differ";
      }
    } else if (Math.abs(a - b) > TOLERANCE * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)))) {
      return "differs by more than " + TOLERANCE + " relative";
    }
    if (want.pass() != got.pass()) {
      return "outcome differs";
    }
    return null;
  }

  /** Metrics that count rows: compared exactly. */
  private static boolean isCount(String metric) {
    return "count".equals(metric) || "outside_domain".equals(metric);
  }

  private static Map<String, Deque<QualityReport.Entry>> byKey(List<QualityReport.Entry> entries) {
    Map<String, Deque<QualityReport.Entry>> out = new LinkedHashMap<>();
    for (QualityReport.Entry e : entries) {
      out.computeIfAbsent(key(e), k -> new ArrayDeque<>()).add(e);
    }
    return out;
  }

  /** {@code range(alcohol) max}: which check and metric. */
  static String key(QualityReport.Entry e) {
    return e.check()
        + (e.column() == null || e.column().isEmpty() ? "" : "(" + e.column() + ")")
        + " "
        + e.metric();
  }

  private static String shown(QualityReport.Entry e) {
    String v =
        e.actual() != null
            ? e.actual()
            : e.value() == null ? "none" : String.format(Locale.ROOT, "%s", e.value());
    return v + " (needs " + e.threshold() + ", " + (e.pass() ? "pass" : "fail") + ")";
  }

  private static String describe(QualityReport.Entry e) {
    return key(e) + " = " + shown(e);
  }
}
