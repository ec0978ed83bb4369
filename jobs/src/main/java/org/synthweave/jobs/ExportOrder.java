package org.synthweave.jobs;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.RowOrdering;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.VariantType;
import org.synthweave.core.spark.Columns;

/**
 * The row order of an export's Parquet files: a 64-bit hash of the row's content picks its file and
 * leads the sort inside the file, then every orderable column breaks ties. Nothing in it depends on
 * the input's partitioning, so equal rows give equal files on any machine. Map and variant columns
 * can be neither hashed nor sorted by Spark; two rows that differ only there may swap places, which
 * is why such tables are not promised byte-identical exports.
 *
 * @param hashed the columns the hash covers
 * @param sorted the columns that break ties after the hash
 */
record ExportOrder(List<String> hashed, List<String> sorted) {
  /** The temporary column holding the hash; dropped before writing. */
  static final String KEY = "__synthweave_export_order";

  ExportOrder {
    hashed = List.copyOf(hashed);
    sorted = List.copyOf(sorted);
  }

  /** The order of rows of {@code schema}. */
  static ExportOrder of(StructType schema) {
    List<String> hashed = new ArrayList<>();
    List<String> sorted = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (f.name().equals(KEY)) {
        throw new IllegalArgumentException("a table column is named " + KEY);
      }
      if (!holdsMapOrVariant(f.dataType())) {
        hashed.add(f.name());
      }
      if (RowOrdering.isOrderable(f.dataType())) {
        sorted.add(f.name());
      }
    }
    return new ExportOrder(hashed, sorted);
  }

  /** The row's hash, the value of {@link #KEY}. */
  Column hash() {
    return hashed.isEmpty() ? functions.lit(0L) : functions.xxhash64(Columns.cols(hashed));
  }

  /** {@link #KEY} first, then the orderable columns. */
  Column[] sortColumns() {
    List<Column> out = new ArrayList<>();
    out.add(functions.col(KEY));
    for (String c : sorted) {
      out.add(Columns.col(c));
    }
    return out.toArray(Column[]::new);
  }

  private static boolean holdsMapOrVariant(DataType t) {
    if (t instanceof MapType || t instanceof VariantType) {
      return true;
    }
    if (t instanceof ArrayType a) {
      return holdsMapOrVariant(a.elementType());
    }
    if (t instanceof StructType s) {
      for (StructField f : s.fields()) {
        if (holdsMapOrVariant(f.dataType())) {
          return true;
        }
      }
    }
    return false;
  }
}
