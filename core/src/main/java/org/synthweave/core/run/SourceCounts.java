package org.synthweave.core.run;

import java.io.Serializable;

/**
 * Record counts of one stage for one source (a file, or "*" for the stage total). The pipeline's
 * rule: {@code in == out + quarantined + duplicates}. Skipped records (kinds a stage does not take,
 * such as WARC request records) are reported but are not records in.
 */
public record SourceCounts(
    String stage, String source, long in, long out, long quarantined, long duplicates, long skipped)
    implements Serializable {

  public static final String TOTAL = "*";

  public boolean balanced() {
    return in == out + quarantined + duplicates;
  }

  public SourceCounts plus(SourceCounts other) {
    return new SourceCounts(
        stage,
        source,
        in + other.in,
        out + other.out,
        quarantined + other.quarantined,
        duplicates + other.duplicates,
        skipped + other.skipped);
  }
}
