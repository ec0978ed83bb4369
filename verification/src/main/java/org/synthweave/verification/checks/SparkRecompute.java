package org.synthweave.verification.checks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.synthweave.core.SynthweaveException;
import org.synthweave.verification.Certificate;
import org.synthweave.verification.CertificateVerifier;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.VerificationReport.Kind;
import org.synthweave.verification.VerificationReport.Problem;

/**
 * Recomputes a certificate's data checks (rows, columns, complete, unique, range, domain) from the
 * Parquet files of a dataset folder, each check set in one aggregation pass as {@link SparkChecks}
 * does at publish time, and compares them with the certified values ({@link
 * CertificateVerifier#compareRecomputed}). Checks of other kinds (e.g. on synthetic figures) are
 * not data checks of the files and are listed as skipped.
 */
public final class SparkRecompute {
  private SparkRecompute() {}

  /**
   * What recomputing found.
   *
   * @param compared how many certified results were recomputed
   * @param skipped the checks that cannot be recomputed from the files, as {@code set: kind(col)}
   * @param problems every difference, as {@link Kind#RECOMPUTED_MISMATCH}
   */
  public record Result(int compared, List<String> skipped, List<Problem> problems) {
    public Result {
      skipped = List.copyOf(skipped);
      problems = List.copyOf(problems);
    }
  }

  /** Recomputes the checks of {@code c} on the files {@code m} lists under {@code dir}. */
  public static Result recompute(SparkSession spark, Path dir, DatasetManifest m, Certificate c) {
    if (spark == null || dir == null || m == null || c == null) {
      throw new IllegalArgumentException("spark, dir, manifest and certificate must not be null");
    }
    String[] files =
        m.dataFiles().stream()
            .map(f -> dir.resolve(f.path()).toUri().toString())
            .toArray(String[]::new);
    if (files.length == 0) {
      return new Result(
          0, List.of(), List.of(new Problem(Kind.RECOMPUTED_MISMATCH, null, "no files to read")));
    }
    Dataset<Row> df = spark.read().parquet(files);
    int compared = 0;
    List<String> skipped = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (Certificate.CheckSet set : c.checks()) {
      List<Check> checks = new ArrayList<>();
      for (Certificate.Declared d : set.declared()) {
        Optional<Check> check = d.toCheck();
        if (check.isPresent()) {
          checks.add(check.get());
        } else {
          skipped.add(
              set.dataset()
                  + ": "
                  + d.kind()
                  + (d.column() == null || d.column().isEmpty() ? "" : "(" + d.column() + ")"));
        }
      }
      if (checks.isEmpty()) {
        continue;
      }
      List<CheckResult> results;
      try {
        results = SparkChecks.run(df, new DatasetChecks(set.dataset(), set.table(), checks));
      } catch (SynthweaveException e) {
        problems.add(
            new Problem(
                Kind.RECOMPUTED_MISMATCH,
                null,
                set.dataset() + ": the files do not fit the certified checks: " + e.getMessage()));
        continue;
      }
      compared += results.size();
      problems.addAll(CertificateVerifier.compareRecomputed(set, results));
    }
    return new Result(compared, skipped, problems);
  }
}
