package org.synthweave.market;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The first rows of a listing's data, read from one of its files on the gateway after the file's
 * SHA-256 matched the signed manifest. Values are untrusted publisher data.
 *
 * @param listingId the listing
 * @param file the manifest path of the file the rows come from
 * @param columns the columns in order
 * @param rows each row's values in column order; a value is null or the Java type of its column's
 *     {@link Type}
 */
public record Preview(
    String listingId, String file, List<Column> columns, List<List<Object>> rows) {

  public Preview {
    columns = List.copyOf(columns);
    List<List<Object>> copy = new ArrayList<>(rows.size());
    for (List<Object> r : rows) {
      if (r.size() != columns.size()) {
        throw new IllegalArgumentException(
            "a row has " + r.size() + " values for " + columns.size() + " columns");
      }
      copy.add(Collections.unmodifiableList(new ArrayList<>(r)));
    }
    rows = Collections.unmodifiableList(copy);
  }

  /** One column. */
  public record Column(String name, Type type) {}

  /** A column's type and the Java type of its values. */
  public enum Type {
    /** {@link String}. */
    STRING,
    /** {@link Long} (every integer width). */
    LONG,
    /** {@link Double} (float and double). */
    DOUBLE,
    /** {@link Boolean}. */
    BOOLEAN,
    /** {@link java.time.LocalDate}. */
    DATE,
    /** {@link java.time.Instant}. */
    TIMESTAMP,
    /** {@code byte[]}. */
    BINARY,
    /** {@link String}: any other type (decimal, nested) in its text form. */
    OTHER
  }
}
