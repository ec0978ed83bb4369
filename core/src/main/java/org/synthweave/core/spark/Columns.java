package org.synthweave.core.spark;

import java.util.Collection;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one way to refer to a column by its name. A user's table (a CSV header) can name a column
 * {@code b.c}, {@code a`b}, {@code "x"}, {@code 1st}, {@code a b} or {@code ü}: Spark parses the
 * name given to {@code functions.col} and {@code Dataset.col} ({@code b.c} is field {@code c} of
 * struct {@code b}), so every reference to a data column goes through {@link #col}, which quotes
 * the name with backticks (a backtick inside doubled). A user's column name is never put into SQL
 * text ({@code expr}, {@code selectExpr}, {@code spark.sql}); names given to {@code as}, {@code
 * withColumn} and {@link Column#getField} are taken literally and need no quoting.
 */
public final class Columns {
  /**
   * Characters that Delta Lake rejects in a column name unless the table uses column mapping
   * ({@code delta.columnMapping.mode = name}).
   */
  public static final String DELTA_INVALID_CHARS = " ,;{}()\n\t=";

  /** The Delta table property that lets a table hold any column name. */
  public static final String COLUMN_MAPPING_MODE = "delta.columnMapping.mode";

  private Columns() {}

  /** {@code name} as a quoted identifier: {@code a`b} becomes {@code `a``b`}. */
  public static String quote(String name) {
    if (name == null) {
      throw new IllegalArgumentException("name must not be null");
    }
    return "`" + name.replace("`", "``") + "`";
  }

  /** The top-level column named exactly {@code name} (no struct-field or star parsing). */
  public static Column col(String name) {
    return functions.col(quote(name));
  }

  /** The top-level columns named exactly {@code names}, in order. */
  public static Column[] cols(Collection<String> names) {
    return names.stream().map(Columns::col).toArray(Column[]::new);
  }

  /** Field {@code name} of struct column {@code struct}, named exactly (no parsing). */
  public static Column field(String struct, String name) {
    return col(struct).getField(name);
  }

  /**
   * Whether Delta needs column mapping to store {@code schema}: some (possibly nested) field name
   * holds a character of {@link #DELTA_INVALID_CHARS}.
   */
  public static boolean needsDeltaColumnMapping(StructType schema) {
    for (StructField f : schema.fields()) {
      if (hasDeltaInvalidChar(f.name()) || needsDeltaColumnMapping(f.dataType())) {
        return true;
      }
    }
    return false;
  }

  private static boolean needsDeltaColumnMapping(DataType t) {
    if (t instanceof StructType s) {
      return needsDeltaColumnMapping(s);
    }
    if (t instanceof ArrayType a) {
      return needsDeltaColumnMapping(a.elementType());
    }
    if (t instanceof MapType m) {
      return needsDeltaColumnMapping(m.keyType()) || needsDeltaColumnMapping(m.valueType());
    }
    return false;
  }

  private static boolean hasDeltaInvalidChar(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (DELTA_INVALID_CHARS.indexOf(name.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }
}
