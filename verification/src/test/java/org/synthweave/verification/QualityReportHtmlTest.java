package org.synthweave.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.verification.checks.CheckResult;

/** quality.html, read back with an HTML parser: every result, its outcome, and escaped names. */
class QualityReportHtmlTest {
  private static final String HOSTILE = "<script>alert('x')</script>\"&b";

  private static QualityReport report() {
    return QualityReport.of(
        "wine<&>",
        "silver/wine",
        3,
        "2026-12-05T16:00:00Z",
        List.of(
            new CheckResult("rows", "", "count", "in [100, 1000]", 178, "", true),
            new CheckResult("complete", HOSTILE, "completeness", ">= 0.99", 0.5, "", false),
            new CheckResult("columns", "alcohol", "type", "= bigint", Double.NaN, "double", false),
            new CheckResult("synthetic", "", "quality_score", ">= 0.8", 0.8312, "", true),
            new CheckResult(
                "index", "rows-silver-wine", "model", "= m", Double.NaN, "row-features", false)));
  }

  @Test
  void thePageHoldsEveryResultEscaped(@TempDir Path dir) throws IOException {
    QualityReport r = report();
    r.writeTo(dir);
    String html =
        Files.readString(dir.resolve(QualityReport.HTML_FILE_NAME), StandardCharsets.UTF_8);
    assertTrue(Files.isRegularFile(dir.resolve(QualityReport.FILE_NAME)), "JSON beside it");
    Document doc = Jsoup.parse(html);

    assertEquals("Quality checks: wine<&>", doc.title());
    assertTrue(doc.select("script, link, img, iframe").isEmpty(), "self-contained, no script");
    assertEquals(
        "FAILED: 5 checks, 2 passed, 3 failed.", doc.getElementById("outcome").text(), html);

    Elements rows = doc.select("table#checks tbody tr");
    assertEquals(r.checks().size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      QualityReport.Entry e = r.checks().get(i);
      List<String> cells = rows.get(i).select("td").stream().map(Element::text).toList();
      assertEquals(e.check(), cells.get(0));
      assertEquals(e.column(), cells.get(1), "the text as written, not markup");
      assertEquals(e.metric(), cells.get(2));
      assertEquals(e.threshold(), cells.get(3));
      assertEquals(e.pass() ? "pass" : "FAIL", cells.get(5));
      assertEquals(e.pass() ? "pass" : "fail", rows.get(i).className());
    }
    List<String> values = rows.stream().map(row -> row.select("td").get(4).text()).toList();
    assertEquals(List.of("178", "0.500000", "double", "0.831200", "row-features"), values);
    Element link = doc.selectFirst("a[href]");
    assertEquals(QualityReport.FILE_NAME, link.attr("href"));
  }

  @Test
  void aPassingReportSaysSo() {
    QualityReport r =
        QualityReport.of(
            "wine",
            "silver/wine",
            0,
            "t",
            List.of(new CheckResult("rows", "", "count", ">= 1", 178, "", true)));
    Document doc = Jsoup.parse(r.toHtml());
    assertEquals("passed: 1 checks, 1 passed, 0 failed.", doc.getElementById("outcome").text());
    assertEquals("pass", doc.getElementById("outcome").className());
  }
}
