package org.synthweave.arweave.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code transactions} query for a gateway's GraphQL endpoint: tag filters (ANDed; the values of
 * one tag ORed), owners and ids, with a page size. Values are written as JSON string literals,
 * which are valid GraphQL strings, so no schema-specific variable types are needed.
 */
public final class GraphQlQuery {
  /** Page size when none is set; gateways allow at most 100. */
  public static final int DEFAULT_PAGE_SIZE = 100;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, List<String>> tags = new LinkedHashMap<>();
  private final List<String> owners = new ArrayList<>();
  private final List<String> ids = new ArrayList<>();
  private int pageSize = DEFAULT_PAGE_SIZE;
  private long minHeight = -1;
  private boolean oldestFirst;

  public static GraphQlQuery transactions() {
    return new GraphQlQuery();
  }

  /** Matches transactions having tag {@code name} with any of {@code values}. */
  public GraphQlQuery tag(String name, String... values) {
    if (name == null || values == null || values.length == 0) {
      throw new IllegalArgumentException("tag needs a name and at least one value");
    }
    tags.computeIfAbsent(name, k -> new ArrayList<>()).addAll(List.of(values));
    return this;
  }

  public GraphQlQuery owners(String... addresses) {
    owners.addAll(List.of(addresses));
    return this;
  }

  public GraphQlQuery ids(String... txIds) {
    ids.addAll(List.of(txIds));
    return this;
  }

  public GraphQlQuery pageSize(int n) {
    if (n < 1 || n > 100) {
      throw new IllegalArgumentException("pageSize must be in [1, 100], got " + n);
    }
    this.pageSize = n;
    return this;
  }

  /** Matches only transactions in blocks at {@code height} or above (so none still pending). */
  public GraphQlQuery minHeight(long height) {
    if (height < 0) {
      throw new IllegalArgumentException("minHeight must be >= 0, got " + height);
    }
    this.minHeight = height;
    return this;
  }

  /**
   * Orders by block height, lowest first, instead of the gateway's default (newest first), so that
   * a reader can remember how far it got as a height.
   */
  public GraphQlQuery oldestFirst() {
    this.oldestFirst = true;
    return this;
  }

  /** The GraphQL document for the page after {@code cursor} (null for the first page). */
  public String toGraphQl(String cursor) {
    StringBuilder args = new StringBuilder();
    if (!tags.isEmpty()) {
      args.append("tags:[");
      boolean first = true;
      for (Map.Entry<String, List<String>> e : tags.entrySet()) {
        if (!first) {
          args.append(',');
        }
        first = false;
        args.append("{name:")
            .append(quote(e.getKey()))
            .append(",values:")
            .append(list(e.getValue()))
            .append('}');
      }
      args.append("],");
    }
    if (!owners.isEmpty()) {
      args.append("owners:").append(list(owners)).append(',');
    }
    if (!ids.isEmpty()) {
      args.append("ids:").append(list(ids)).append(',');
    }
    if (minHeight >= 0) {
      args.append("block:{min:").append(minHeight).append("},");
    }
    if (oldestFirst) {
      args.append("sort:HEIGHT_ASC,");
    }
    args.append("first:").append(pageSize);
    if (cursor != null) {
      args.append(",after:").append(quote(cursor));
    }
    return "query { transactions("
        + args
        + ") { pageInfo { hasNextPage } edges { cursor node { id owner { address }"
        + " data { size type } tags { name value } block { height timestamp } } } } }";
  }

  private static String quote(String s) {
    return JSON.getNodeFactory().textNode(s).toString();
  }

  private static String list(List<String> values) {
    ArrayNode a = JSON.createArrayNode();
    values.forEach(a::add);
    return a.toString();
  }
}
