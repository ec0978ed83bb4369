package org.synthweave.arweave.http;

import java.util.List;

/**
 * One page of GraphQL results.
 *
 * @param nodes the transactions on this page
 * @param hasNextPage whether {@link #nextCursor()} leads to more
 */
public record TxPage(List<TxNode> nodes, boolean hasNextPage) {
  /** The cursor to pass as {@code after} for the next page, or null if this page is empty. */
  public String nextCursor() {
    return nodes.isEmpty() ? null : nodes.get(nodes.size() - 1).cursor();
  }
}
