package org.synthweave.verification;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.synthweave.verification.checks.CheckResult;

/**
 * The checks of one table version as {@code quality.json}: every check's metric, threshold, value
 * and outcome. It is the content the signed manifest's certificate will carry; on its own it is not
 * signed.
 *
 * @param dataset the dataset whose checks ran ({@code verify.dataset.<name>})
 * @param table the catalog table checked
 * @param tableVersion the Delta version checked
 * @param checkedAt when, ISO-8601
 * @param passed whether every check passed
 * @param checks every result, in declaration order
 */
public record QualityReport(
    String dataset,
    String table,
    long tableVersion,
    String checkedAt,
    boolean passed,
    List<Entry> checks) {
  /** The file name in an export folder. */
  public static final String FILE_NAME = "quality.json";

  /** The HTML page of the same results, written beside {@link #FILE_NAME}. */
  public static final String HTML_FILE_NAME = "quality.html";

  /** Every file {@link #writeTo} writes. */
  public static final List<String> FILE_NAMES = List.of(FILE_NAME, HTML_FILE_NAME);

  /**
   * One result; {@code value} is null where there is no number (a type, a missing column), and
   * {@code actual} then holds what was found.
   */
  public record Entry(
      String check,
      String column,
      String metric,
      String threshold,
      Double value,
      String actual,
      boolean pass) {
    static Entry of(CheckResult r) {
      return new Entry(
          r.check(),
          r.column(),
          r.metric(),
          r.threshold(),
          Double.isNaN(r.value()) ? null : r.value(),
          r.actual().isEmpty() ? null : r.actual(),
          r.pass());
    }
  }

  public QualityReport {
    checks = List.copyOf(checks);
  }

  /** The report of {@code results}. */
  public static QualityReport of(
      String dataset,
      String table,
      long tableVersion,
      String checkedAt,
      List<CheckResult> results) {
    return new QualityReport(
        dataset,
        table,
        tableVersion,
        checkedAt,
        results.stream().allMatch(CheckResult::pass),
        results.stream().map(Entry::of).toList());
  }

  /** Pretty JSON with sorted keys. */
  public String toJson() {
    try {
      return ManifestJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a quality report must serialize: " + e.getMessage(), e);
    }
  }

  /** The page for people ({@link QualityReportHtml}). */
  public String toHtml() {
    return QualityReportHtml.render(this);
  }

  /**
   * Writes {@link #toJson()} to {@code dir/quality.json} and {@link #toHtml()} to {@code
   * dir/quality.html}, replacing them; returns the JSON file.
   */
  public Path writeTo(Path dir) {
    write(dir.resolve(HTML_FILE_NAME), toHtml());
    return write(dir.resolve(FILE_NAME), toJson());
  }

  private static Path write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw VerificationErrors.unwritable(file, e);
    }
  }
}
