package org.synthweave.market.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.synthweave.market.CatalogSearch;
import org.synthweave.market.Listing;
import org.synthweave.market.ListingDetail;
import org.synthweave.market.Preview;

/**
 * The JSON bodies of the API. Field names are snake_case like {@code market search --json}. The
 * writer also escapes {@code < > &} and the line separators U+2028/U+2029 as {@code \}{@code
 * uXXXX}, so a body is inert even where something mistakes it for HTML or script.
 */
final class ApiJson {
  private static final ObjectMapper JSON = mapper();

  private ApiJson() {}

  private static ObjectMapper mapper() {
    ObjectMapper m = new ObjectMapper();
    m.getFactory().setCharacterEscapes(new HtmlSafeEscapes());
    return m;
  }

  static byte[] bytes(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON body could not be written", e);
    }
  }

  /** The body of {@code /api/search}. */
  static Map<String, Object> search(String query, List<CatalogSearch.Hit> hits, int catalogSize) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("query", query);
    m.put("count", hits.size());
    m.put("catalog_size", catalogSize);
    List<Object> out = new ArrayList<>();
    for (CatalogSearch.Hit h : hits) {
      Map<String, Object> hit = listing(h.listing());
      hit.put("score", h.score());
      hit.put("bm25_rank", h.bm25Rank());
      hit.put("vector_rank", h.vectorRank());
      out.add(hit);
    }
    m.put("hits", out);
    return m;
  }

  /** The catalog row, every field. */
  static Map<String, Object> listing(Listing l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", l.id());
    m.put("title", l.title());
    m.put("description", l.description());
    m.put("keywords", l.keywords());
    m.put("dataset", l.dataset());
    m.put("version", l.version());
    m.put("kind", l.kind().label());
    m.put("rows", l.rows());
    m.put("bytes", l.bytes());
    m.put("files", l.files());
    m.put("columns", l.columns().stream().map(c -> columnMap(c.name(), c.type())).toList());
    m.put("license", l.license());
    m.put("license_terms", l.licenseTerms());
    m.put("checks_passed", l.checksPassed());
    m.put("checks_failed", l.checksFailed());
    m.put("quality_score", finite(l.qualityScore()));
    Map<String, Object> fidelity = new LinkedHashMap<>();
    l.fidelity().forEach((k, v) -> fidelity.put(k, finite(v)));
    m.put("fidelity", fidelity);
    m.put("provenance", l.provenance());
    m.put("source_table", l.sourceTable());
    m.put("owner", l.owner());
    m.put("gateway", l.gateway());
    m.put("published_at", l.publishedAt() == null ? null : l.publishedAt().toString());
    m.put("block_height", l.blockHeight());
    m.put("status", l.status().label());
    m.put("reason", l.reason());
    return m;
  }

  /**
   * The body of {@code /api/listings/{id}}: the catalog row, the get command, and what the gateway
   * said now (or why it could not be read).
   */
  static Map<String, Object> detail(
      Listing l, String getCommand, ListingDetail d, String detailError) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("listing", listing(l));
    m.put("get_command", getCommand);
    if (d == null) {
      m.put("detail", null);
      m.put("detail_error", detailError);
      return m;
    }
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("problem", d.problem());
    List<Object> files = new ArrayList<>();
    for (ListingDetail.FileLink f : d.files()) {
      Map<String, Object> file = new LinkedHashMap<>();
      file.put("path", f.path());
      file.put("bytes", f.bytes());
      file.put("rows", f.rows());
      file.put("sha256", f.sha256());
      file.put("url", f.url() == null ? null : f.url().toString());
      files.add(file);
    }
    detail.put("files", files);
    detail.put("manifest", d.manifest());
    detail.put("card", d.card());
    List<Object> plots = new ArrayList<>();
    for (ListingDetail.FidelityPlot p : d.plots()) {
      Map<String, Object> plot = new LinkedHashMap<>();
      plot.put("column", p.column());
      plot.put("kind", p.kind());
      plot.put("labels", p.labels());
      plot.put("real", p.real());
      plot.put("synthetic", p.synthetic());
      plots.add(plot);
    }
    detail.put("plots", plots);
    m.put("detail", detail);
    return m;
  }

  /** The body of {@code /api/listings/{id}/preview}. */
  static Map<String, Object> preview(Preview p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("listing_id", p.listingId());
    m.put("file", p.file());
    m.put("columns", p.columns().stream().map(c -> columnMap(c.name(), c.type().name())).toList());
    List<Object> rows = new ArrayList<>(p.rows().size());
    for (List<Object> r : p.rows()) {
      List<Object> row = new ArrayList<>(r.size());
      for (Object v : r) {
        row.add(value(v));
      }
      rows.add(row);
    }
    m.put("rows", rows);
    return m;
  }

  /**
   * A preview value as JSON: dates and instants ISO-8601, bytes Base64, non-finite doubles null.
   */
  static Object value(Object v) {
    if (v instanceof LocalDate || v instanceof Instant) {
      return v.toString();
    }
    if (v instanceof byte[] b) {
      return Base64.getEncoder().encodeToString(b);
    }
    if (v instanceof Double d) {
      return finite(d);
    }
    return v;
  }

  private static Double finite(Double d) {
    return d == null || d.isNaN() || d.isInfinite() ? null : d;
  }

  /** The body of an error: the status and the message. */
  static Map<String, Object> error(int status, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", status);
    m.put("error", message);
    return m;
  }

  private static Map<String, Object> columnMap(String name, String type) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    c.put("type", type);
    return c;
  }

  /** Standard JSON escapes plus {@code < > &} and U+2028/U+2029 as unicode escapes. */
  private static final class HtmlSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] escapes;

    HtmlSafeEscapes() {
      escapes = standardAsciiEscapesForJSON();
      escapes['<'] = ESCAPE_STANDARD;
      escapes['>'] = ESCAPE_STANDARD;
      escapes['&'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return escapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch == 0x2028 || ch == 0x2029) {
        return new com.fasterxml.jackson.core.io.SerializedString(
            String.format(java.util.Locale.ROOT, "\\u%04x", ch));
      }
      return null;
    }
  }
}
