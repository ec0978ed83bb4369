package org.synthweave.verification;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.synthweave.verification.checks.Check;
import org.synthweave.verification.checks.CheckResult;

/**
 * The quality certificate a manifest carries: every check of the published table version with its
 * metric, threshold, value and outcome, whether the publisher let failing checks through, the
 * synthetic evaluation summary for a synthetic table, and where the data came from. The manifest's
 * signature covers it like every other member; the certificate is also signed on its own (same
 * key), so that a verifier can tell an edited certificate from other edits to the manifest.
 *
 * @param format always {@link #FORMAT}
 * @param passed whether every check passed
 * @param allowFailedChecks whether the publisher passed {@code --allow-failed-checks}
 * @param checks the check sets that ran on the table version, one per {@code verify.dataset.<name>}
 * @param synthetic the synthetic evaluation summary; null for a table that is not synthetic or was
 *     not evaluated
 * @param provenance upstream tables, models, augmentation, configuration and code
 * @param signature the certificate's own signature over its canonical form without this member
 */
public record Certificate(
    @JsonProperty("format") String format,
    @JsonProperty("passed") boolean passed,
    @JsonProperty("allow_failed_checks") boolean allowFailedChecks,
    @JsonProperty("checks") List<CheckSet> checks,
    @JsonProperty("synthetic") SyntheticSummary synthetic,
    @JsonProperty("provenance") Lineage provenance,
    @JsonProperty("signature") ManifestSignature signature) {

  /** The format tag of this certificate layout. */
  public static final String FORMAT = "synthweave-certificate/1";

  /** The manifest member that holds the certificate. */
  static final String FIELD = "certificate";

  /**
   * The checks of one dataset ({@code verify.dataset.<name>}) on the published table version.
   *
   * @param dataset the dataset name of the checks
   * @param table the catalog table checked
   * @param tableVersion the Delta version checked
   * @param checkedAt when, ISO-8601
   * @param passed whether every result passed
   * @param declared the checks as configured, so that a verifier can recompute them from the files
   * @param results every metric's result, in declaration order ({@code quality.json}'s entries)
   */
  public record CheckSet(
      @JsonProperty("dataset") String dataset,
      @JsonProperty("table") String table,
      @JsonProperty("table_version") long tableVersion,
      @JsonProperty("checked_at") String checkedAt,
      @JsonProperty("passed") boolean passed,
      @JsonProperty("declared") List<Declared> declared,
      @JsonProperty("results") List<QualityReport.Entry> results) {

    /** The set of {@code checks} that gave {@code results}. */
    public static CheckSet of(
        String dataset,
        String table,
        long tableVersion,
        String checkedAt,
        List<Check> checks,
        List<CheckResult> results) {
      return new CheckSet(
          dataset,
          table,
          tableVersion,
          checkedAt,
          results.stream().allMatch(CheckResult::pass),
          checks.stream().map(Declared::of).toList(),
          results.stream().map(QualityReport.Entry::of).toList());
    }
  }

  /**
   * One configured check, enough to build it again: {@code min}/{@code max} are the bounds of rows,
   * complete and range (null: no bound), {@code type} the expected type of columns, {@code values}
   * the domain. A kind this version cannot rebuild keeps only its kind and column.
   */
  public record Declared(
      @JsonProperty("kind") String kind,
      @JsonProperty("column") String column,
      @JsonProperty("min") Double min,
      @JsonProperty("max") Double max,
      @JsonProperty("type") String type,
      @JsonProperty("values") List<String> values) {

    /** The record of {@code c}. */
    public static Declared of(Check c) {
      // Not an exhaustive switch: a kind added later is recorded by name and skipped on recompute.
      if (c instanceof Check.Rows r) {
        return new Declared(
            r.kind(),
            "",
            (double) r.min(),
            r.max() == Long.MAX_VALUE ? null : (double) r.max(),
            null,
            null);
      }
      if (c instanceof Check.ColumnType t) {
        return new Declared(t.kind(), t.column(), null, null, t.type(), null);
      }
      if (c instanceof Check.Complete x) {
        return new Declared(x.kind(), x.column(), x.min(), null, null, null);
      }
      if (c instanceof Check.Range x) {
        return new Declared(x.kind(), x.column(), bound(x.min()), bound(x.max()), null, null);
      }
      if (c instanceof Check.Domain x) {
        return new Declared(x.kind(), x.column(), null, null, null, x.values());
      }
      return new Declared(c.kind(), c.column(), null, null, null, null);
    }

    /** The check again; empty for a kind that is not a data check of the files. */
    public Optional<Check> toCheck() {
      String col = column == null ? "" : column;
      return switch (kind == null ? "" : kind) {
        case "rows" ->
            Optional.of(
                new Check.Rows(
                    min == null ? 0 : min.longValue(),
                    max == null ? Long.MAX_VALUE : max.longValue()));
        case "columns" -> Optional.of(new Check.ColumnType(col, type == null ? "" : type));
        case "complete" -> Optional.of(new Check.Complete(col, min == null ? 1.0 : min));
        case "unique" -> Optional.of(new Check.Unique(col));
        case "range" ->
            Optional.of(
                new Check.Range(
                    col, min == null ? Double.NaN : min, max == null ? Double.NaN : max));
        case "domain" ->
            values == null ? Optional.empty() : Optional.of(new Check.Domain(col, values));
        default -> Optional.empty();
      };
    }

    private static Double bound(double v) {
      return Double.isNaN(v) ? null : v;
    }
  }

  /**
   * The summary of {@code evaluate-synthetic} for a synthetic table.
   *
   * @param metricsVersion the version of the metric definitions (docs/SYNTHETIC_METRICS.md)
   * @param report where the full report was read, relative to the warehouse
   * @param syntheticRows the synthetic rows the evaluation saw
   * @param figures the headline figures of report.json (quality score, TSTR, detection AUC, DCR
   *     ratio, exact-copy rate, ...), null where a figure is undefined
   */
  public record SyntheticSummary(
      @JsonProperty("metrics_version") String metricsVersion,
      @JsonProperty("report") String report,
      @JsonProperty("synthetic_rows") long syntheticRows,
      @JsonProperty("figures") Map<String, Object> figures) {
    public SyntheticSummary {
      figures = figures == null ? null : new TreeMap<>(figures);
    }
  }

  /**
   * Where the data came from.
   *
   * @param tables the exported table and each upstream table, with Delta versions
   * @param models the synthesizer models whose samples the table holds (synthetic tables)
   * @param augment the augmentation runs whose rows the table holds (augmented tables)
   * @param configHash SHA-256 of the explicit configuration of the publishing run
   * @param codeVersion the synthweave version that published
   * @param gitCommit the commit it was built from; null when the build did not record one
   * @param seeds the seeds of the configuration ({@code *.seed} keys) that shaped the data
   */
  public record Lineage(
      @JsonProperty("tables") List<Upstream> tables,
      @JsonProperty("models") List<Model> models,
      @JsonProperty("augment") List<AugmentRun> augment,
      @JsonProperty("config_hash") String configHash,
      @JsonProperty("code_version") String codeVersion,
      @JsonProperty("git_commit") String gitCommit,
      @JsonProperty("seeds") Map<String, Long> seeds) {
    public Lineage {
      tables = List.copyOf(tables);
      models = List.copyOf(models);
      augment = List.copyOf(augment);
      seeds = new TreeMap<>(seeds);
    }
  }

  /**
   * A table the data is or came from.
   *
   * @param role {@code exported}, {@code real} (what a synthesizer learned from) or {@code source}
   *     (what augmentation or another stage read)
   * @param table the catalog table
   * @param version its Delta version; null when unknown
   * @param basis how the version was found: {@code exported}; {@link #RECORDED} (the stage wrote
   *     the version it read into the commit that added the rows); or {@link #LATEST_AT_COMMIT} (the
   *     commit records none: the upstream version current when the rows were committed)
   * @param commit the Delta version of the exported table whose commit added rows made from this
   *     upstream version; absent in certificates from before it was recorded, and for the exported
   *     table itself
   * @param runId the run that made that commit, when the commit records it; else absent
   */
  public record Upstream(
      @JsonProperty("role") String role,
      @JsonProperty("table") String table,
      @JsonProperty("version") Long version,
      @JsonProperty("basis") String basis,
      // Absent rather than null when unset: certificates signed before these members existed must
      // serialize to the bytes that were signed.
      @JsonProperty("commit") @JsonInclude(JsonInclude.Include.NON_NULL) Long commit,
      @JsonProperty("run_id") @JsonInclude(JsonInclude.Include.NON_NULL) String runId) {

    /** The basis of a version the stage recorded in the commit. */
    public static final String RECORDED = "recorded";

    /** The basis of a version inferred from commit times. */
    public static final String LATEST_AT_COMMIT = "latest-at-commit";

    /** An upstream table without the commit that read it. */
    public Upstream(String role, String table, Long version, String basis) {
      this(role, table, version, basis, null, null);
    }
  }

  /**
   * A synthesizer model.
   *
   * @param id the model id of the {@code generator} column, e.g. {@code ctgan-3f2a...}
   * @param seeds the sampling seeds of its rows
   * @param files each model file with its SHA-256; empty when the model folder no longer holds it
   * @param note why {@code files} is empty, else null
   */
  public record Model(
      @JsonProperty("id") String id,
      @JsonProperty("seeds") List<Long> seeds,
      @JsonProperty("files") Map<String, String> files,
      @JsonProperty("note") String note) {
    public Model {
      seeds = List.copyOf(seeds);
      files = new TreeMap<>(files);
    }
  }

  /**
   * One augmentation run: its seed and op list, as the {@code aug_seed} and {@code aug_ops} columns
   * record them.
   */
  public record AugmentRun(
      @JsonProperty("seed") long seed,
      @JsonProperty("ops") String ops,
      @JsonProperty("rows") long rows) {}

  /** An unsigned certificate of {@code checks}; {@code passed} is derived from them. */
  public static Certificate of(
      List<CheckSet> checks,
      boolean allowFailedChecks,
      SyntheticSummary synthetic,
      Lineage provenance) {
    if (checks == null || provenance == null) {
      throw new IllegalArgumentException("checks and provenance must not be null");
    }
    return new Certificate(
        FORMAT,
        checks.stream().allMatch(CheckSet::passed),
        allowFailedChecks,
        List.copyOf(checks),
        synthetic,
        provenance,
        null);
  }

  /** The bytes the certificate's own signature covers: it without its signature, canonical JSON. */
  public byte[] canonicalBytes() {
    return ManifestJson.canonicalWithoutSignature(ManifestJson.MAPPER.valueToTree(this));
  }

  /** This certificate signed with {@code key}. */
  public Certificate sign(RSAPrivateCrtKey key) {
    return new Certificate(
        format,
        passed,
        allowFailedChecks,
        checks,
        synthetic,
        provenance,
        ManifestSignature.sign(canonicalBytes(), key));
  }

  /** Every failing result, over all sets. */
  public List<QualityReport.Entry> failures() {
    List<QualityReport.Entry> out = new ArrayList<>();
    for (CheckSet s : checks) {
      s.results().stream().filter(e -> !e.pass()).forEach(out::add);
    }
    return out;
  }

  /**
   * Whether {@code other} records the same checks and results (the time of the checks aside), so a
   * reused export keeps its certificate.
   */
  public boolean sameResults(Certificate other) {
    if (other == null || allowFailedChecks != other.allowFailedChecks) {
      return false;
    }
    return withoutTimes().equals(other.withoutTimes());
  }

  private List<CheckSet> withoutTimes() {
    return checks.stream()
        .map(
            s ->
                new CheckSet(
                    s.dataset(),
                    s.table(),
                    s.tableVersion(),
                    "",
                    s.passed(),
                    s.declared(),
                    s.results()))
        .toList();
  }

  /** Pretty JSON with sorted keys. */
  public String toJson() {
    try {
      return ManifestJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a certificate must serialize: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a certificate from its JSON tree; throws {@link JsonProcessingException} if malformed.
   */
  static Certificate fromTree(JsonNode tree) throws JsonProcessingException {
    return ManifestJson.MAPPER.treeToValue(tree, Certificate.class);
  }

  /** Reads a certificate from JSON text. */
  public static Certificate fromJson(String json) {
    try {
      return fromTree(ManifestJson.MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a certificate: " + e.getOriginalMessage(), e);
    }
  }
}
