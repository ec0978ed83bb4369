package org.synthweave.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommitLineageTest {
  @Test
  void itReadsBackAsWritten() {
    CommitLineage l =
        new CommitLineage(
            "synthesize",
            List.of(
                new CommitLineage.Source("silver/wine", 3),
                new CommitLineage.Source("silver/more", 0)),
            "run-7");
    assertEquals(
        "{\"synthweave\":{\"stage\":\"synthesize\",\"sources\":[{\"table\":\"silver/wine\","
            + "\"version\":3},{\"table\":\"silver/more\",\"version\":0}],\"run_id\":\"run-7\"}}",
        l.toJson());
    assertEquals(l, CommitLineage.parse(l.toJson()).orElseThrow());
    CommitLineage unknown = CommitLineage.of("augment", "silver/wine", null, null);
    assertEquals(unknown, CommitLineage.parse(unknown.toJson()).orElseThrow());
    assertTrue(unknown.sources().isEmpty());
  }

  @Test
  void metadataOfSomeoneElseIsNoLineage() {
    for (String other :
        new String[] {
          null, "", "not json", "[1]", "{\"owner\":\"etl\"}", "{\"synthweave\":{\"stage\":\"\"}}"
        }) {
      assertTrue(CommitLineage.parse(other).isEmpty(), other);
    }
    // A source without a usable version is left out rather than guessed.
    CommitLineage l =
        CommitLineage.parse(
                "{\"synthweave\":{\"stage\":\"augment\",\"sources\":[{\"table\":\"silver/a\"},"
                    + "{\"table\":\"silver/b\",\"version\":-1},{\"table\":\"silver/c\",\"version\":2}]}}")
            .orElseThrow();
    assertEquals(List.of(new CommitLineage.Source("silver/c", 2)), l.sources());
    assertEquals(null, l.runId());
  }

  @Test
  void argumentsAreCheckedUpFront() {
    assertThrows(IllegalArgumentException.class, () -> CommitLineage.of(" ", "t", 1L, null));
    assertThrows(IllegalArgumentException.class, () -> new CommitLineage.Source("t", -1));
  }
}
