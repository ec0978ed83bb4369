package org.synthweave.verification;

import java.util.List;
import java.util.Map;
import org.synthweave.verification.checks.Aggregate;
import org.synthweave.verification.checks.Check;
import org.synthweave.verification.checks.Measurements;

/** Certificates of the wine sample's checks, for the certificate tests. */
final class CertificateSamples {
  private CertificateSamples() {}

  /** One check of each data kind. */
  static final List<Check> CHECKS =
      List.of(
          new Check.Rows(100, 1000),
          new Check.ColumnType("alcohol", "double"),
          new Check.Complete("alcohol", 0.99),
          new Check.Unique("_row_id"),
          new Check.Range("alcohol", 11, 15),
          new Check.Domain("cultivar", List.of("class_0", "class_1", "class_2")));

  /** The wine sample's figures (178 rows, alcohol in [11.03, 14.83]) and {@code maxAlcohol}. */
  static Measurements wine(double maxAlcohol) {
    return new Measurements(
        Map.of(
            new Aggregate(Aggregate.Op.ROWS, "", List.of()), 178.0,
            new Aggregate(Aggregate.Op.NON_NULL, "alcohol", List.of()), 178.0,
            new Aggregate(Aggregate.Op.DISTINCT, "_row_id", List.of()), 178.0,
            new Aggregate(Aggregate.Op.MIN, "alcohol", List.of()), 11.03,
            new Aggregate(Aggregate.Op.MAX, "alcohol", List.of()), maxAlcohol,
            new Aggregate(
                    Aggregate.Op.OUT_OF_DOMAIN,
                    "cultivar",
                    List.of("class_0", "class_1", "class_2")),
                0.0),
        Map.of("alcohol", "double", "cultivar", "string", "_row_id", "bigint"));
  }

  static Certificate.CheckSet set(double maxAlcohol) {
    Measurements m = wine(maxAlcohol);
    return Certificate.CheckSet.of(
        "wine",
        "silver/wine",
        0,
        "2026-12-05T16:00:00Z",
        CHECKS,
        CHECKS.stream().flatMap(c -> c.evaluate(m).stream()).toList());
  }

  static Certificate.Lineage lineage() {
    return new Certificate.Lineage(
        List.of(new Certificate.Upstream("exported", "silver/wine", 0L, "exported")),
        List.of(),
        List.of(),
        "cafe",
        "dev",
        null,
        Map.of("synth.seed", 42L));
  }

  /** An unsigned certificate; with {@code maxAlcohol} above 15 its range check fails. */
  static Certificate certificate(double maxAlcohol, boolean allowFailed) {
    return Certificate.of(List.of(set(maxAlcohol)), allowFailed, null, lineage());
  }
}
