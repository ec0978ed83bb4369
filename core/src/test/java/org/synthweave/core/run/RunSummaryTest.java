package org.synthweave.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.synthweave.core.SynthweaveException;

class RunSummaryTest {
  @Test
  void totalsFollowEachStagesSources() {
    RunSummary s = new RunSummary("r1", "ingest", Instant.EPOCH);
    s.add(new SourceCounts("crawl", "a.warc", 10, 7, 2, 1, 3));
    s.add(new SourceCounts("crawl", "b.jsonl", 5, 5, 0, 0, 0));
    s.add(new SourceCounts("telemetry", "r.csv", 4, 3, 1, 0, 0));
    List<SourceCounts> rows = s.rows();
    assertEquals(5, rows.size());
    SourceCounts crawlTotal = rows.get(2);
    assertEquals(SourceCounts.TOTAL, crawlTotal.source());
    assertEquals(15, crawlTotal.in());
    assertEquals(12, crawlTotal.out());
    assertEquals(3, crawlTotal.skipped());
    s.checkBalanced();
    String table = s.render(Instant.EPOCH.plusSeconds(2));
    assertTrue(table.contains("a.warc"), table);
    assertTrue(table.contains("finished in 2.0 s"), table);
  }

  @Test
  void anUnbalancedRowFailsTheRun() {
    RunSummary s = new RunSummary("r1", "ingest", Instant.EPOCH);
    s.add(new SourceCounts("crawl", "a.warc", 10, 7, 2, 0, 0));
    SynthweaveException e = assertThrows(SynthweaveException.class, s::checkBalanced);
    assertTrue(e.getMessage().contains("a.warc"), e.getMessage());
    assertEquals(1, e.exitCode());
  }
}
