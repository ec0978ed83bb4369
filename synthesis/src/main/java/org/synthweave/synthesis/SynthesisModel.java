package org.synthweave.synthesis;

import java.util.List;
import org.synthweave.synthesis.data.ColumnSpec;

/**
 * A trained synthesizer, whatever its kind: it knows the columns it was trained on and draws rows
 * (values as {@link Double} for continuous and {@link String} for categorical columns, null where
 * the column may be null). Drawing is deterministic per seed. CTGAN, TVAE and the Gaussian copula
 * implement it, and {@code ModelFiles} writes and reads all three.
 */
public interface SynthesisModel {
  /** {@code ctgan}, {@code tvae} or {@code copula}. */
  String kind();

  List<ColumnSpec> columns();

  /** {@code n} rows drawn with {@code seed}; {@code condition} may be null (no condition). */
  List<Object[]> sample(int n, long seed, Condition condition);
}
