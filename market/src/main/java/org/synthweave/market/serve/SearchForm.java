package org.synthweave.market.serve;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.synthweave.market.CatalogSearch;
import org.synthweave.market.Listing;

/**
 * The parameters of the search page and of {@code /api/search}, read and checked: {@code q}, {@code
 * kind}, {@code license}, {@code owner}, {@code min_rows}, {@code min_quality}, {@code
 * include_unverified}, {@code sort}, {@code mode}, {@code k} and {@code term} (repeatable, a
 * license tag as {@code Name=Value}). An empty value means no constraint, so the page's form can
 * submit every field.
 *
 * @param query the query text, stripped
 * @param filters the exact filters
 * @param sort the order
 * @param mode the rankings
 * @param k how many hits at most
 */
record SearchForm(
    String query,
    CatalogSearch.Filters filters,
    CatalogSearch.Sort sort,
    CatalogSearch.Mode mode,
    int k) {

  /** Reads the form from {@code params} (name to values in order). */
  static SearchForm parse(
      Map<String, List<String>> params, int maxQueryChars, int defaultK, int maxK) {
    String q = one(params, "q");
    if (q.length() > maxQueryChars) {
      throw ServeErrors.queryTooLong(q.length(), maxQueryChars);
    }
    Listing.Kind kind = null;
    String kindText = one(params, "kind");
    if (!kindText.isEmpty()) {
      kind = CatalogSearch.kind(kindText);
      if (kind == null || kind == Listing.Kind.UNKNOWN) {
        throw ServeErrors.badChoice("kind", kindText, kindLabels());
      }
    }
    Map<String, String> terms = new LinkedHashMap<>();
    for (String t : params.getOrDefault("term", List.of())) {
      int eq = t.indexOf('=');
      if (eq <= 0 || eq == t.length() - 1) {
        throw ServeErrors.badParameter("term", t, "a license tag as Name=Value");
      }
      terms.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
    }
    Long minRows = number(params, "min_rows", Long::parseLong, "a whole number of rows, 0 or more");
    if (minRows != null && minRows < 0) {
      throw ServeErrors.badParameter("min_rows", minRows.toString(), "0 or more");
    }
    Double minQuality =
        number(params, "min_quality", Double::parseDouble, "a quality score such as 0.8");
    if (minQuality != null && minQuality.isNaN()) {
      throw ServeErrors.badParameter("min_quality", "NaN", "a quality score such as 0.8");
    }
    String unverified = one(params, "include_unverified").toLowerCase(Locale.ROOT);
    if (!List.of("", "on", "true", "1", "false", "0").contains(unverified)) {
      throw ServeErrors.badChoice("include_unverified", unverified, List.of("on", "true", "false"));
    }
    boolean includeUnverified = List.of("on", "true", "1").contains(unverified);
    Integer k = number(params, "k", Integer::parseInt, "a number of hits from 1 to " + maxK);
    if (k != null && (k < 1 || k > maxK)) {
      throw ServeErrors.badParameter("k", k.toString(), "from 1 to " + maxK);
    }
    return new SearchForm(
        q,
        new CatalogSearch.Filters(
            terms,
            blankToNull(one(params, "license")),
            kind,
            blankToNull(one(params, "owner")),
            minRows,
            minQuality,
            includeUnverified),
        choice(CatalogSearch.Sort.class, "sort", one(params, "sort"), CatalogSearch.Sort.RELEVANCE),
        choice(CatalogSearch.Mode.class, "mode", one(params, "mode"), CatalogSearch.Mode.HYBRID),
        k == null ? Math.min(defaultK, maxK) : k);
  }

  /** The kinds a filter may name (UNKNOWN is no kind to look for). */
  static List<String> kindLabels() {
    return Arrays.stream(Listing.Kind.values())
        .filter(x -> x != Listing.Kind.UNKNOWN)
        .map(Listing.Kind::label)
        .toList();
  }

  private static String one(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty()) {
      return "";
    }
    if (values.size() > 1) {
      throw ServeErrors.badParameter(name, String.join(",", values), "given once");
    }
    return values.get(0).strip();
  }

  private static String blankToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private static <T> T number(
      Map<String, List<String>> params,
      String name,
      java.util.function.Function<String, T> parse,
      String expected) {
    String s = one(params, name);
    if (s.isEmpty()) {
      return null;
    }
    try {
      return parse.apply(s);
    } catch (NumberFormatException e) {
      throw ServeErrors.badParameter(name, s, expected);
    }
  }

  private static <E extends Enum<E>> E choice(
      Class<E> type, String name, String value, E fallback) {
    if (value.isEmpty()) {
      return fallback;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    throw ServeErrors.badChoice(
        name,
        value,
        Arrays.stream(type.getEnumConstants())
            .map(e -> e.name().toLowerCase(Locale.ROOT))
            .toList());
  }
}
