package org.synthweave.market.serve;

import static org.synthweave.market.serve.Html.escape;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.synthweave.market.CatalogSearch;
import org.synthweave.market.Listing;

/**
 * The frame of every page and the search page. Server-rendered HTML5 without any script: the search
 * form is a plain GET form, so the page works with JavaScript off. Every value from a listing or a
 * request goes through {@link Html#escape}. Stable ids and classes (the browser tests use them) are
 * listed in {@link MarketServer}.
 */
final class Pages {
  static final String CSS_PATH = "/static/market.css";
  static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT);

  private Pages() {}

  /** A whole page: head with the style sheet, the site header, {@code main}, the footer. */
  static String page(String title, String mainHtml) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<meta name=\"referrer\" content=\"no-referrer\">"
        + "<link rel=\"icon\" href=\"data:,\">"
        + "<title>"
        + escape(title)
        + " · synthweave market</title>"
        + "<link rel=\"stylesheet\" href=\""
        + CSS_PATH
        + "\"></head><body>"
        + "<header class=\"site\"><a id=\"home\" href=\"/\">synthweave <span>market</span></a>"
        + "<span class=\"tagline\">datasets published on Arweave, each with a signed"
        + " certificate</span></header>"
        + "<main>"
        + mainHtml
        + "</main><footer class=\"site\">Every listing text comes from its publisher; only the"
        + " <span class=\"badge badge-verified\">verified</span> badge says its manifest and"
        + " certificate are intact and signed by the key that owns the transaction.</footer>"
        + "</body></html>\n";
  }

  /** The error page: the status and the message, as text. */
  static String error(int status, String reason, String message) {
    return page(
        status + " " + reason,
        "<section class=\"error\"><h1 id=\"error-status\">"
            + status
            + " "
            + escape(reason)
            + "</h1><p id=\"error\">"
            + escape(message)
            + "</p><p><a href=\"/\">Back to search</a></p></section>");
  }

  /** The search page: the form with the request's values, then the hits. */
  static String search(SearchForm form, List<CatalogSearch.Hit> hits, int catalogSize) {
    StringBuilder b = new StringBuilder(8192);
    form(b, form);
    b.append("<p id=\"result-count\">");
    if (form.query().isEmpty()) {
      b.append(hits.size()).append(" of ").append(catalogSize).append(" listings");
    } else {
      b.append(hits.size())
          .append(" of ")
          .append(catalogSize)
          .append(" listings for <q>")
          .append(escape(form.query()))
          .append("</q>");
    }
    b.append("</p>");
    if (hits.isEmpty()) {
      b.append("<p id=\"no-results\">No listing matches. Try fewer words or fewer filters")
          .append(
              form.filters().includeUnverified()
                  ? ".</p>"
                  : ", or include unverified listings.</p>");
    } else {
      b.append("<ol id=\"results\">");
      for (CatalogSearch.Hit h : hits) {
        result(b, h.listing());
      }
      b.append("</ol>");
    }
    return page(form.query().isEmpty() ? "Search" : form.query(), b.toString());
  }

  private static void form(StringBuilder b, SearchForm f) {
    CatalogSearch.Filters x = f.filters();
    b.append("<form id=\"search-form\" class=\"search\" method=\"get\" action=\"/\">")
        .append(
            "<div class=\"query-row\"><label class=\"visually-hidden\" for=\"q\">Search</label>")
        .append("<input id=\"q\" name=\"q\" type=\"search\" maxlength=\"")
        .append(MarketServer.Options.DEFAULT_MAX_QUERY_CHARS)
        .append("\" placeholder=\"Search titles, descriptions, keywords, columns\" value=\"")
        .append(escape(f.query()))
        .append("\"><button id=\"search-button\" type=\"submit\">Search</button></div>")
        .append("<fieldset class=\"filters\"><legend>Filters</legend>");
    b.append("<label for=\"kind\">Kind <select id=\"kind\" name=\"kind\">");
    option(b, "", "any", x.kind() == null);
    for (String k : SearchForm.kindLabels()) {
      option(b, k, k, x.kind() != null && x.kind().label().equals(k));
    }
    b.append("</select></label>");
    b.append("<label for=\"license\">License <input id=\"license\" name=\"license\" size=\"12\"")
        .append(" placeholder=\"e.g. CC-BY-4.0\" value=\"")
        .append(escape(x.license()))
        .append("\"></label>");
    b.append("<label for=\"min-rows\">Min rows <input id=\"min-rows\" name=\"min_rows\"")
        .append(" type=\"number\" min=\"0\" step=\"1\" value=\"")
        .append(x.minRows() == null ? "" : x.minRows().toString())
        .append("\"></label>");
    b.append("<label for=\"min-quality\">Min quality <input id=\"min-quality\"")
        .append(" name=\"min_quality\" type=\"number\" min=\"0\" max=\"1\" step=\"0.01\" value=\"")
        .append(x.minQuality() == null ? "" : escape(x.minQuality().toString()))
        .append("\"></label>");
    b.append("<label for=\"include-unverified\" class=\"check\"><input id=\"include-unverified\"")
        .append(" name=\"include_unverified\" type=\"checkbox\" value=\"on\"")
        .append(x.includeUnverified() ? " checked" : "")
        .append("> Include unverified</label>");
    b.append("<label for=\"sort\">Sort <select id=\"sort\" name=\"sort\">");
    for (CatalogSearch.Sort s : CatalogSearch.Sort.values()) {
      String v = s.name().toLowerCase(Locale.ROOT);
      option(b, v, v, s == f.sort());
    }
    b.append("</select></label>");
    if (x.owner() != null) {
      b.append("<input type=\"hidden\" name=\"owner\" value=\"")
          .append(escape(x.owner()))
          .append("\">");
    }
    for (var t : x.licenseTerms().entrySet()) {
      b.append("<input type=\"hidden\" name=\"term\" value=\"")
          .append(escape(t.getKey() + "=" + t.getValue()))
          .append("\">");
    }
    b.append("</fieldset></form>");
  }

  private static void option(StringBuilder b, String value, String label, boolean selected) {
    b.append("<option value=\"")
        .append(escape(value))
        .append('"')
        .append(selected ? " selected" : "")
        .append('>')
        .append(escape(label))
        .append("</option>");
  }

  private static void result(StringBuilder b, Listing l) {
    b.append("<li class=\"result\" data-id=\"").append(escape(l.id())).append("\">");
    b.append("<div class=\"result-head\">");
    if (MarketServer.isArweaveId(l.id())) {
      b.append("<a class=\"result-title\" href=\"/listings/")
          .append(l.id())
          .append("\">")
          .append(escape(title(l)))
          .append("</a>");
    } else {
      b.append("<span class=\"result-title\">").append(escape(title(l))).append("</span>");
    }
    badge(b, l);
    b.append("</div>");
    if (l.description() != null && !l.description().isBlank()) {
      b.append("<p class=\"result-description\">")
          .append(escape(FidelitySvg.cut(l.description().strip(), 280)))
          .append("</p>");
    }
    b.append("<p class=\"result-facts\">");
    b.append("<span class=\"kind kind-")
        .append(l.kind().label())
        .append("\">")
        .append(l.kind().label())
        .append("</span>");
    b.append("<span class=\"rows\">").append(rows(l.rows())).append("</span>");
    b.append("<span class=\"quality\">quality ")
        .append(quality(l.qualityScore()))
        .append("</span>");
    b.append("<span class=\"license\">").append(escape(orDash(l.license()))).append("</span>");
    if (l.publishedAt() != null) {
      b.append("<span class=\"published\">")
          .append(DAY.format(l.publishedAt().atOffset(ZoneOffset.UTC)))
          .append("</span>");
    }
    b.append("<span class=\"owner\" title=\"publisher\">")
        .append(escape(l.owner()))
        .append("</span>");
    b.append("</p>");
    if (l.status() != Listing.Status.VERIFIED) {
      b.append("<p class=\"reason\">Unverified: ").append(escape(l.reason())).append("</p>");
    }
    b.append("</li>");
  }

  /** The verification badge: {@code span.badge.badge-verified} or {@code .badge-unverified}. */
  static void badge(StringBuilder b, Listing l) {
    boolean ok = l.status() == Listing.Status.VERIFIED;
    b.append("<span class=\"badge ")
        .append(ok ? "badge-verified" : "badge-unverified")
        .append("\">")
        .append(ok ? "verified" : "unverified")
        .append("</span>");
  }

  /** The title to show: the card's, else the dataset name, else the id. */
  static String title(Listing l) {
    if (l.title() != null && !l.title().isBlank()) {
      return l.title().strip();
    }
    return l.dataset() != null && !l.dataset().isBlank() ? l.dataset() : l.id();
  }

  static String rows(Long rows) {
    return rows == null ? "rows unknown" : String.format(Locale.ROOT, "%,d rows", rows);
  }

  static String quality(Double q) {
    return q == null || q.isNaN() ? "–" : String.format(Locale.ROOT, "%.2f", q);
  }

  static String bytes(Long n) {
    if (n == null) {
      return "–";
    }
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  static String orDash(String s) {
    return s == null || s.isBlank() ? "–" : s;
  }
}
