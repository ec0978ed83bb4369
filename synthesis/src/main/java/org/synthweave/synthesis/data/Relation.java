package org.synthweave.synthesis.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A declared rule between numeric columns, {@code target = a * b [* ...]}: the target is (about)
 * the product of the factor columns, e.g. {@code total_charges = tenure * monthly_charges}. A
 * synthesizer models the target's ratio to the product instead of the target itself and sampling
 * multiplies the ratio back, so every sampled row keeps the rule up to the spread of the real
 * ratios. A GAN does not learn such a product from the columns alone (on Telco churn a random
 * forest tells CTGAN's rows from real ones mostly by it), which is why SDV offers constraints.
 */
public record Relation(String target, List<String> factors) implements Serializable {
  public Relation {
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("a relation needs a target column");
    }
    factors = List.copyOf(factors);
    if (factors.isEmpty()) {
      throw new IllegalArgumentException("a relation needs at least one factor column");
    }
    if (factors.contains(target)) {
      throw new IllegalArgumentException(target + " cannot be a factor of itself");
    }
  }

  /**
   * Parses {@code "target = a * b"} (spaces optional, at least one factor, column names as in the
   * table).
   *
   * @throws IllegalArgumentException naming the expected form
   */
  public static Relation parse(String text) {
    String[] sides = text.split("=", -1);
    if (sides.length != 2 || sides[0].isBlank() || sides[1].isBlank()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not of the form 'target = factor * factor'");
    }
    List<String> factors = new ArrayList<>();
    for (String f : sides[1].split("\\*", -1)) {
      if (f.isBlank()) {
        throw new IllegalArgumentException(
            "'" + text + "' has an empty factor; expected 'target = factor * factor'");
      }
      factors.add(f.trim());
    }
    return new Relation(sides[0].trim(), factors);
  }

  @Override
  public String toString() {
    return target + " = " + String.join(" * ", factors);
  }
}
