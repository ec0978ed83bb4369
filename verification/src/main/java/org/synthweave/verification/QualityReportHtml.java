package org.synthweave.verification;

import java.util.Locale;

/**
 * A {@link QualityReport} as one self-contained HTML page ({@value QualityReport#HTML_FILE_NAME}):
 * the dataset, table version and outcome, then one table row per check with its metric, threshold,
 * value and outcome, failures first marked. Every text from the configuration or the data is
 * escaped; nothing is loaded from anywhere (no script, style sheet or font).
 */
public final class QualityReportHtml {
  private QualityReportHtml() {}

  /** The HTML text of {@code r}. */
  public static String render(QualityReport r) {
    long failed = r.checks().stream().filter(e -> !e.pass()).count();
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Quality checks: ")
        .append(esc(r.dataset()))
        .append("</title><style>")
        .append("body{font-family:sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;")
        .append("text-align:left}th{background:#f3f3f3}td.num{text-align:right}")
        .append("tr.fail td{background:#fde8e8}.pass{color:#1a7f37}.fail{color:#c62828}")
        .append("</style></head><body>\n");
    h.append("<h1>Quality checks of <code>")
        .append(esc(r.dataset()))
        .append("</code></h1>\n<p>Table <code>")
        .append(esc(r.table()))
        .append("</code> version ")
        .append(r.tableVersion())
        .append(", checked ")
        .append(esc(r.checkedAt()))
        .append(".</p>\n<p id=\"outcome\" class=\"")
        .append(r.passed() ? "pass" : "fail")
        .append("\"><strong>")
        .append(r.passed() ? "passed" : "FAILED")
        .append("</strong>: ")
        .append(r.checks().size())
        .append(" checks, ")
        .append(r.checks().size() - failed)
        .append(" passed, ")
        .append(failed)
        .append(" failed.</p>\n");
    h.append("<table id=\"checks\"><thead><tr><th>check</th><th>column or index</th>")
        .append("<th>metric</th><th>threshold</th><th>value</th><th>outcome</th></tr></thead>")
        .append("<tbody>\n");
    for (QualityReport.Entry e : r.checks()) {
      h.append("<tr class=\"")
          .append(e.pass() ? "pass" : "fail")
          .append("\"><td>")
          .append(esc(e.check()))
          .append("</td><td>")
          .append(esc(e.column()))
          .append("</td><td>")
          .append(esc(e.metric()))
          .append("</td><td>")
          .append(esc(e.threshold()))
          .append("</td><td class=\"num\">")
          .append(esc(shown(e)))
          .append("</td><td class=\"")
          .append(e.pass() ? "pass\">pass" : "fail\">FAIL")
          .append("</td></tr>\n");
    }
    h.append("</tbody></table>\n<p>The same results, for programs: <a href=\"")
        .append(QualityReport.FILE_NAME)
        .append("\">")
        .append(QualityReport.FILE_NAME)
        .append("</a>.</p>\n</body></html>\n");
    return h.toString();
  }

  /** The value as quality.json's reader would read it: the text, the number, or none. */
  private static String shown(QualityReport.Entry e) {
    if (e.actual() != null) {
      return e.actual();
    }
    if (e.value() == null) {
      return "none";
    }
    double v = e.value();
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.6g", v);
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
