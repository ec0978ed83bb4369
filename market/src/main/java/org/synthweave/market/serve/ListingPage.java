package org.synthweave.market.serve;

import static org.synthweave.market.serve.Html.escape;

import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.synthweave.market.Listing;
import org.synthweave.market.ListingDetail;
import org.synthweave.market.Preview;
import org.synthweave.verification.Certificate;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.QualityReport;

/**
 * The page of one listing: card, schema, certificate, fidelity plots, provenance, license terms,
 * the {@code market get} command, the files on the gateway and the first rows. The catalog row is
 * always shown; what the gateway says now (detail, preview) is shown when it could be read, else
 * the reason. Links go only to http(s) addresses.
 */
final class ListingPage {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);

  /**
   * What the page shows.
   *
   * @param listing the catalog row
   * @param detail what the gateway says now; null when it could not be read
   * @param detailError why the detail is missing; null when it was read
   * @param preview the first rows; null when they could not be read
   * @param previewError why the preview is missing; null when it was read
   * @param getCommand the exact {@code synthweave market get} command
   * @param manifestUrl the manifest's address on the gateway; null when the gateway is not http(s)
   */
  record Content(
      Listing listing,
      ListingDetail detail,
      String detailError,
      Preview preview,
      String previewError,
      String getCommand,
      URI manifestUrl) {}

  private ListingPage() {}

  static String render(Content c) {
    Listing l = c.listing();
    StringBuilder b = new StringBuilder(16384);
    b.append("<article id=\"listing\" data-id=\"").append(escape(l.id())).append("\">");
    b.append("<div class=\"listing-head\"><h1 id=\"listing-title\">")
        .append(escape(Pages.title(l)))
        .append("</h1><span id=\"badge\">");
    Pages.badge(b, l);
    b.append("</span></div>");
    if (l.status() != Listing.Status.VERIFIED) {
      b.append("<p id=\"status-reason\" class=\"warning\">This listing is unverified: ")
          .append(escape(l.reason()))
          .append("</p>");
    }
    if (c.detailError() != null) {
      b.append("<p id=\"detail-problem\" class=\"warning\">")
          .append(escape(c.detailError()))
          .append("</p>");
    } else if (c.detail() != null && c.detail().problem() != null) {
      b.append("<p id=\"detail-problem\" class=\"warning\">Checked again now: ")
          .append(escape(c.detail().problem()))
          .append("</p>");
    }
    card(b, l);
    schema(b, l);
    certificate(b, l, c.detail());
    fidelity(b, c.detail());
    provenance(b, l, c.detail());
    license(b, l);
    get(b, c);
    preview(b, c);
    b.append("</article>");
    return Pages.page(Pages.title(l), b.toString());
  }

  private static void card(StringBuilder b, Listing l) {
    b.append("<section id=\"card\">");
    if (l.description() != null && !l.description().isBlank()) {
      b.append("<p id=\"description\">").append(escape(l.description().strip())).append("</p>");
    }
    if (!l.keywords().isEmpty()) {
      b.append("<ul id=\"keywords\">");
      for (String k : l.keywords()) {
        b.append("<li class=\"keyword\">").append(escape(k)).append("</li>");
      }
      b.append("</ul>");
    }
    b.append("<dl id=\"facts\" class=\"facts\">");
    fact(b, "Dataset", l.dataset());
    fact(b, "Version", l.version());
    fact(b, "Kind", l.kind().label());
    fact(b, "Rows", l.rows() == null ? null : String.format(Locale.ROOT, "%,d", l.rows()));
    fact(b, "Size", l.bytes() == null ? null : Pages.bytes(l.bytes()));
    fact(b, "Files", l.files() == null ? null : l.files().toString());
    fact(b, "Quality score", l.qualityScore() == null ? null : Pages.quality(l.qualityScore()));
    fact(b, "Publisher", l.owner());
    fact(
        b,
        "Published",
        l.publishedAt() == null ? null : TIME.format(l.publishedAt().atOffset(ZoneOffset.UTC)));
    fact(b, "Block", Long.toString(l.blockHeight()));
    fact(b, "Listing id", l.id());
    b.append("</dl></section>");
  }

  private static void fact(StringBuilder b, String name, String value) {
    b.append("<dt>")
        .append(escape(name))
        .append("</dt><dd>")
        .append(escape(Pages.orDash(value)))
        .append("</dd>");
  }

  private static void schema(StringBuilder b, Listing l) {
    b.append("<section id=\"schema-section\"><h2>Schema</h2>");
    if (l.columns().isEmpty()) {
      b.append("<p class=\"muted\">The schema is not known.</p></section>");
      return;
    }
    b.append(
            "<table id=\"schema\"><thead><tr><th class=\"num index\">#</th><th>Column</th><th>Type</th></tr>")
        .append("</thead><tbody>");
    int i = 1;
    for (Listing.Column col : l.columns()) {
      b.append("<tr><td class=\"num\">")
          .append(i++)
          .append("</td><td class=\"column-name\">")
          .append(escape(col.name()))
          .append("</td><td class=\"column-type\">")
          .append(escape(col.type()))
          .append("</td></tr>");
    }
    b.append("</tbody></table></section>");
  }

  private static void certificate(StringBuilder b, Listing l, ListingDetail d) {
    b.append("<section id=\"certificate\"><h2>Certificate</h2>");
    Certificate cert = d == null || d.manifest() == null ? null : d.manifest().certificate();
    b.append("<p id=\"certificate-summary\">The catalog recorded ")
        .append(l.checksPassed())
        .append(" passed and ")
        .append(l.checksFailed())
        .append(" failed checks.");
    if (cert != null) {
      b.append(
          cert.passed()
              ? " Every check of the signed certificate passed."
              : " The signed certificate records failed checks"
                  + (cert.allowFailedChecks() ? " (the publisher let them through)." : "."));
    }
    b.append("</p>");
    if (cert == null) {
      b.append("<p id=\"certificate-missing\" class=\"muted\">The certificate itself could not")
          .append(" be read from the gateway now.</p>");
    } else {
      checks(b, cert);
      synthetic(b, cert.synthetic());
    }
    if (!l.fidelity().isEmpty()) {
      b.append("<h3>Fidelity figures</h3><table id=\"fidelity-figures\"><tbody>");
      for (Map.Entry<String, Double> e : l.fidelity().entrySet()) {
        b.append("<tr><th>")
            .append(escape(e.getKey()))
            .append("</th><td class=\"num\">")
            .append(escape(number(e.getValue())))
            .append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    b.append("</section>");
  }

  private static void checks(StringBuilder b, Certificate cert) {
    b.append("<table id=\"checks\"><thead><tr><th>Check</th><th>Column</th><th>Metric</th>")
        .append(
            "<th>Outcome</th><th class=\"num\">Value</th><th>Threshold</th><th>Table</th></tr></thead>")
        .append("<tbody>");
    for (Certificate.CheckSet set :
        cert.checks() == null ? List.<Certificate.CheckSet>of() : cert.checks()) {
      for (QualityReport.Entry e :
          set.results() == null ? List.<QualityReport.Entry>of() : set.results()) {
        b.append("<tr class=\"check ")
            .append(e.pass() ? "check-pass" : "check-fail")
            .append("\"><td class=\"check-name\">")
            .append(escape(e.check()))
            .append("</td><td class=\"check-column\">")
            .append(escape(Pages.orDash(e.column())))
            .append("</td><td class=\"check-metric\">")
            .append(escape(e.metric()))
            .append("</td><td class=\"check-outcome\"><span class=\"badge ")
            .append(e.pass() ? "badge-pass\">pass" : "badge-fail\">fail")
            .append("</span></td><td class=\"check-value num\">")
            .append(escape(e.actual() != null ? e.actual() : number(e.value())))
            .append("</td><td class=\"check-threshold\">")
            .append(escape(Pages.orDash(e.threshold())))
            .append("</td><td class=\"check-table\">")
            .append(escape(set.table() + " v" + set.tableVersion()))
            .append("</td></tr>");
      }
    }
    b.append("</tbody></table>");
  }

  private static void synthetic(StringBuilder b, Certificate.SyntheticSummary s) {
    if (s == null || s.figures() == null || s.figures().isEmpty()) {
      return;
    }
    b.append("<h3>Synthetic evaluation</h3><table id=\"synthetic-figures\"><tbody>")
        .append("<tr><th>synthetic rows</th><td class=\"num\">")
        .append(String.format(Locale.ROOT, "%,d", s.syntheticRows()))
        .append("</td></tr>");
    for (Map.Entry<String, Object> e : s.figures().entrySet()) {
      b.append("<tr><th>")
          .append(escape(e.getKey()))
          .append("</th><td class=\"num\">")
          .append(
              escape(
                  e.getValue() instanceof Number n
                      ? number(n.doubleValue())
                      : String.valueOf(e.getValue())))
          .append("</td></tr>");
    }
    b.append("</tbody></table>");
  }

  private static void fidelity(StringBuilder b, ListingDetail d) {
    if (d == null || d.plots().isEmpty()) {
      return;
    }
    b.append("<section id=\"fidelity\"><h2>Fidelity: real against synthetic</h2>")
        .append("<p class=\"legend\"><span class=\"swatch swatch-real\"></span> real")
        .append(" <span class=\"swatch swatch-synthetic\"></span> synthetic</p>")
        .append("<div class=\"plots\">");
    for (ListingDetail.FidelityPlot p : d.plots()) {
      b.append("<figure class=\"plot\"><figcaption>")
          .append(escape(p.column()))
          .append(" <span class=\"muted\">(")
          .append(escape(p.kind()))
          .append(")</span></figcaption>")
          .append(FidelitySvg.render(p));
      if (p.labels().size() > FidelitySvg.MAX_BARS) {
        b.append("<p class=\"muted\">First ")
            .append(FidelitySvg.MAX_BARS)
            .append(" of ")
            .append(p.labels().size())
            .append(" values.</p>");
      }
      b.append("</figure>");
    }
    b.append("</div></section>");
  }

  private static void provenance(StringBuilder b, Listing l, ListingDetail d) {
    b.append("<section id=\"provenance\"><h2>Provenance</h2>");
    if (l.provenance() != null) {
      b.append("<p id=\"provenance-summary\">").append(escape(l.provenance())).append("</p>");
    }
    DatasetManifest m = d == null ? null : d.manifest();
    b.append("<dl id=\"provenance-facts\" class=\"facts\">");
    fact(b, "Source table", l.sourceTable());
    if (m != null && m.provenance() != null) {
      DatasetManifest.Provenance p = m.provenance();
      fact(b, "Source version", Long.toString(p.sourceVersion()));
      fact(b, "Exported", p.createdAt());
      fact(b, "Code version", p.codeVersion());
      fact(b, "Config hash", p.configHash());
    }
    if (m != null) {
      fact(b, "Merkle root", m.merkleRoot());
      fact(b, "Schema hash", m.schemaHash());
    }
    b.append("</dl>");
    Certificate.Lineage lineage =
        m == null || m.certificate() == null ? null : m.certificate().provenance();
    if (lineage != null && !lineage.tables().isEmpty()) {
      b.append(
              "<table id=\"lineage\"><thead><tr><th>Role</th><th>Table</th><th class=\"num\">Version</th>")
          .append("<th>Basis</th></tr></thead><tbody>");
      for (Certificate.Upstream u : lineage.tables()) {
        b.append("<tr><td>")
            .append(escape(u.role()))
            .append("</td><td>")
            .append(escape(u.table()))
            .append("</td><td class=\"num\">")
            .append(u.version() == null ? "–" : u.version().toString())
            .append("</td><td>")
            .append(escape(u.basis()))
            .append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    if (lineage != null && !lineage.models().isEmpty()) {
      b.append("<ul id=\"models\">");
      for (Certificate.Model model : lineage.models()) {
        b.append("<li>model <code>").append(escape(model.id())).append("</code></li>");
      }
      b.append("</ul>");
    }
    b.append("</section>");
  }

  private static void license(StringBuilder b, Listing l) {
    b.append("<section id=\"license-section\"><h2>License</h2><dl id=\"license-terms\"")
        .append(" class=\"facts\">");
    fact(b, "SPDX license", l.license());
    for (Map.Entry<String, String> t : l.licenseTerms().entrySet()) {
      fact(b, t.getKey(), t.getValue());
    }
    b.append("</dl></section>");
  }

  private static void get(StringBuilder b, Content c) {
    b.append("<section id=\"get\"><h2>Get it</h2><p>Download, verify every file against the")
        .append(" signed manifest and check the certificate:</p><pre><code id=\"get-command\">")
        .append(escape(c.getCommand()))
        .append("</code></pre>");
    List<ListingDetail.FileLink> files = c.detail() == null ? List.of() : c.detail().files();
    b.append("<ul id=\"files\">");
    if (c.manifestUrl() != null) {
      b.append("<li>");
      link(b, "manifest-link", "file-link", c.manifestUrl(), "manifest.json");
      b.append(" <span class=\"muted\">signed manifest and certificate</span></li>");
    }
    for (ListingDetail.FileLink f : files) {
      b.append("<li>");
      link(b, null, "file-link", f.url(), f.path());
      b.append(" <span class=\"muted\">")
          .append(escape(Pages.bytes(f.bytes())))
          .append(", ")
          .append(escape(Pages.rows(f.rows())))
          .append(", sha256 <code class=\"sha\">")
          .append(escape(FidelitySvg.cut(f.sha256(), 17)))
          .append("</code></span></li>");
    }
    b.append("</ul></section>");
  }

  /** An anchor to {@code url} when it is http(s), else the text alone. */
  private static void link(StringBuilder b, String id, String cls, URI url, String text) {
    if (MarketServer.isHttp(url)) {
      b.append("<a");
      if (id != null) {
        b.append(" id=\"").append(id).append('"');
      }
      b.append(" class=\"")
          .append(cls)
          .append("\" rel=\"noopener noreferrer nofollow\" href=\"")
          .append(escape(url.toASCIIString()))
          .append("\">")
          .append(escape(text))
          .append("</a>");
    } else {
      b.append("<span class=\"").append(cls).append("\">").append(escape(text)).append("</span>");
    }
  }

  private static void preview(StringBuilder b, Content c) {
    b.append("<section id=\"preview-section\"><h2>First rows</h2>");
    Preview p = c.preview();
    if (p == null) {
      b.append("<p id=\"preview-problem\" class=\"muted\">")
          .append(escape(c.previewError()))
          .append("</p></section>");
      return;
    }
    b.append("<p id=\"preview-note\" class=\"muted\">")
        .append(p.rows().size())
        .append(" rows from <code>")
        .append(escape(p.file()))
        .append("</code>, whose SHA-256 matched the signed manifest.</p>")
        .append("<div class=\"scroll\"><table id=\"preview\"><thead><tr>");
    for (Preview.Column col : p.columns()) {
      boolean numeric = col.type() == Preview.Type.LONG || col.type() == Preview.Type.DOUBLE;
      b.append(numeric ? "<th class=\"num\" title=\"" : "<th title=\"")
          .append(escape(col.type().name().toLowerCase(Locale.ROOT)))
          .append("\">")
          .append(escape(col.name()))
          .append("</th>");
    }
    b.append("</tr></thead><tbody>");
    for (List<Object> row : p.rows()) {
      b.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        Object v = row.get(i);
        Preview.Type t = p.columns().get(i).type();
        boolean num = t == Preview.Type.LONG || t == Preview.Type.DOUBLE;
        b.append(num ? "<td class=\"num\">" : "<td>");
        if (v == null) {
          b.append("<span class=\"null\">null</span>");
        } else {
          b.append(escape(FidelitySvg.cut(String.valueOf(ApiJson.value(v)), 200)));
        }
        b.append("</td>");
      }
      b.append("</tr>");
    }
    b.append("</tbody></table></div></section>");
  }

  private static String number(Double v) {
    if (v == null || v.isNaN()) {
      return "–";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", v.longValue());
    }
    // four significant digits without trailing zeros: 0.98, 0.6123, 1,234.5
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(4))
        .stripTrailingZeros()
        .toPlainString();
  }
}
