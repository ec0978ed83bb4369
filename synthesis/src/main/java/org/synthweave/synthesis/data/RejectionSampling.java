package org.synthweave.synthesis.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.synthweave.synthesis.SynthesisErrors;

/**
 * Meets a sampling condition by rejection, as SDV's samplers do for rows a model's conditioning
 * misses (CTGAN) or cannot express (TVAE): batches drawn with seeds {@code mix(seed, round)} until
 * {@code n} rows carry the value, failing with a clear error after {@code max(10,000, 100 n)}
 * draws.
 */
public final class RejectionSampling {
  /** Draws {@code n} unconditioned (or hinted) rows with a seed. */
  @FunctionalInterface
  public interface Draw {
    List<Object[]> draw(int n, long seed);
  }

  private RejectionSampling() {}

  /**
   * {@code n} rows whose {@code column} holds {@code value}, from batches of at least {@code batch}
   * rows; {@code condition} names the condition in the error.
   */
  public static List<Object[]> sample(
      int n, long seed, int batch, int column, String value, String condition, Draw draw) {
    List<Object[]> out = new ArrayList<>(n);
    long drawn = 0;
    long maxDraws = Math.max(10_000L, 100L * n);
    for (long round = 0; out.size() < n; round++) {
      if (drawn >= maxDraws) {
        throw SynthesisErrors.conditionTooRare(condition, drawn, out.size());
      }
      int want = Math.max(batch, n - out.size());
      for (Object[] r : draw.draw(want, Seeds.mix(seed, round))) {
        if (out.size() < n && Objects.equals(value, r[column])) {
          out.add(r);
        }
      }
      drawn += want;
    }
    return out;
  }
}
