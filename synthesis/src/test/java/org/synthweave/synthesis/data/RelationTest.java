package org.synthweave.synthesis.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RelationTest {
  @Test
  void parsesTargetAndFactors() {
    Relation r = Relation.parse(" total_charges=tenure *  monthly_charges ");
    assertEquals("total_charges", r.target());
    assertEquals(List.of("tenure", "monthly_charges"), r.factors());
    assertEquals("total_charges = tenure * monthly_charges", r.toString());
    assertEquals(List.of("b"), Relation.parse("a = b").factors());
  }

  @Test
  void rejectsMalformedRelations() {
    for (String bad : List.of("a", "a = ", "= b * c", "a = b * ", "a = b = c", "a = a * b")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Relation.parse(bad), bad);
      assertTrue(e.getMessage().contains("'") || e.getMessage().contains("itself"), bad);
    }
  }

  @Test
  void aRatioColumnIsContinuousAndNotRoundedBeforeTheProduct() {
    ColumnSpec total =
        new ColumnSpec("total", ColumnSpec.Kind.CONTINUOUS, "int", List.of("qty", "price"));
    assertTrue(total.integralType());
    assertTrue(!total.integral());
    assertThrows(
        IllegalArgumentException.class,
        () -> new ColumnSpec("total", ColumnSpec.Kind.CATEGORICAL, "int", List.of("qty")));
  }
}
