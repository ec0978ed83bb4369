package org.synthweave.synthesis;

import java.io.Serializable;
import org.synthweave.synthesis.data.DataTransformer;

/**
 * A sampling condition {@code column=value} on a categorical column: every sampled row has that
 * value. The value is compared as text, as categorical values are kept.
 */
public record Condition(String column, String value) implements Serializable {
  public Condition {
    if (column == null || column.isEmpty()) {
      throw new IllegalArgumentException("column must not be empty");
    }
  }

  /** Parses {@code column=value}. */
  public static Condition parse(String text) {
    int eq = text == null ? -1 : text.indexOf('=');
    if (eq <= 0) {
      throw SynthesisErrors.badCondition(String.valueOf(text), "it has no column=value form");
    }
    return new Condition(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
  }

  /**
   * This condition in {@code t}'s terms: {column (condition order), category}, checked against the
   * training data.
   */
  public int[] locate(DataTransformer t) {
    int[] cats = t.categoricalColumns();
    for (int i = 0; i < cats.length; i++) {
      var col = t.columns().get(cats[i]);
      if (col.spec().name().equals(column)) {
        int k = t.categoryIndex(i, value);
        if (k < 0) {
          throw SynthesisErrors.unknownConditionValue(
              column, value, col.categorical().categories());
        }
        return new int[] {i, k};
      }
    }
    throw SynthesisErrors.badCondition(toString(), "the model has no categorical column " + column);
  }

  @Override
  public String toString() {
    return column + "=" + value;
  }
}
