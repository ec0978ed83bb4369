package org.synthweave.core.spark;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * Names the phases of a Spark job (shown in progress lines and the Spark UI as the job description)
 * and times them, so the run summary can say where the time went.
 */
public final class SparkPhases {
  private final SparkSession spark;
  private final String prefix;
  private final Map<String, Long> nanos = new LinkedHashMap<>();
  private String current;
  private long started;

  public SparkPhases(SparkSession spark, String prefix) {
    this.spark = spark;
    this.prefix = prefix;
  }

  /** Ends the running phase (if any) and starts {@code name}. */
  public void phase(String name) {
    end();
    current = name;
    started = System.nanoTime();
    spark.sparkContext().setJobDescription(prefix + ": " + name);
  }

  /** Ends the running phase and clears the job description. */
  public void end() {
    if (current != null) {
      nanos.merge(current, System.nanoTime() - started, Long::sum);
      current = null;
    }
    spark.sparkContext().setJobDescription(null);
  }

  /** E.g. "read 3.1 s, bronze 0.8 s". */
  public String describe() {
    return nanos.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue() / 1e9))
        .collect(Collectors.joining(", "));
  }
}
