package org.synthweave.verification.synthetic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.synthweave.verification.VerificationErrors;

/**
 * The columns a comparison looks at, each numeric or categorical, and the normalized view of a
 * table every metric reads: column {@code c<i>} is a double (numbers; dates as epoch days,
 * timestamps as epoch seconds) or a string (strings, booleans, forced categoricals).
 */
final class EvaluatedColumns {
  /** Kind of an evaluated column, as SDMetrics groups its metrics. */
  enum Kind {
    NUMERIC,
    CATEGORICAL
  }

  /** One evaluated column: its name in the tables, kind, and normalizing SQL expression. */
  record Spec(int index, String name, Kind kind, DataType type) {
    String internal() {
      return "c" + index;
    }

    Column normalized() {
      Column c = org.synthweave.core.spark.Columns.col(name);
      if (kind == Kind.CATEGORICAL) {
        return c.cast("string").as(internal());
      }
      if (type instanceof DateType) {
        return org.apache.spark.sql.functions.unix_date(c).cast("double").as(internal());
      }
      if (type instanceof TimestampNTZType) {
        return org.apache
            .spark
            .sql
            .functions
            .unix_micros(c.cast("timestamp"))
            .divide(1e6)
            .as(internal());
      }
      if (type instanceof TimestampType) {
        return org.apache.spark.sql.functions.unix_micros(c).divide(1e6).as(internal());
      }
      return c.try_cast("double").as(internal());
    }
  }

  final List<Spec> all;
  final String target;

  private EvaluatedColumns(List<Spec> all, String target) {
    this.all = List.copyOf(all);
    this.target = target;
  }

  /** The evaluated columns of {@code real}; {@code target} must be one of them. */
  static EvaluatedColumns of(Dataset<Row> real, String target, SyntheticOptions options) {
    List<Spec> specs = new ArrayList<>();
    List<String> names = Arrays.asList(real.columns());
    if (target != null && !names.contains(target)) {
      throw VerificationErrors.noSuchTarget(target, names);
    }
    for (String forced : options.categoricalColumns()) {
      if (!names.contains(forced)) {
        throw VerificationErrors.noSuchColumn(forced, names);
      }
    }
    for (StructField f : real.schema().fields()) {
      String name = f.name();
      if (options.excludes(name) && !name.equals(target)) {
        continue;
      }
      DataType t = f.dataType();
      Kind kind;
      if (options.categoricalColumns().contains(name)
          || name.equals(target)
          || t instanceof StringType
          || t instanceof BooleanType) {
        kind = Kind.CATEGORICAL;
      } else if (t instanceof NumericType
          || t instanceof DateType
          || t instanceof TimestampType
          || t instanceof TimestampNTZType) {
        kind = Kind.NUMERIC;
      } else {
        continue; // binary, arrays, maps, structs: no SDMetrics metric applies
      }
      specs.add(new Spec(specs.size(), name, kind, t));
    }
    if (specs.size() < 2) {
      throw VerificationErrors.tooFewColumns(names);
    }
    return new EvaluatedColumns(specs, target);
  }

  List<Spec> numeric() {
    return all.stream().filter(s -> s.kind() == Kind.NUMERIC).toList();
  }

  List<Spec> categorical() {
    return all.stream().filter(s -> s.kind() == Kind.CATEGORICAL).toList();
  }

  Spec targetSpec() {
    return all.stream().filter(s -> s.name().equals(target)).findFirst().orElseThrow();
  }

  /** The columns other than the target (the features of the classifiers). */
  List<Spec> features() {
    return all.stream().filter(s -> !s.name().equals(target)).toList();
  }

  /**
   * {@code table} as columns {@code c0..cN}; {@code role} names it in the error when a column is
   * missing (a synthetic table must have every evaluated column of the real one).
   */
  Dataset<Row> normalize(Dataset<Row> table, String role) {
    List<String> have = Arrays.asList(table.columns());
    List<String> missing = all.stream().map(Spec::name).filter(n -> !have.contains(n)).toList();
    if (!missing.isEmpty()) {
      throw VerificationErrors.missingColumns(role, missing, have);
    }
    return table.select(all.stream().map(Spec::normalized).toArray(Column[]::new));
  }

  /** Original column names, in order. */
  List<String> names() {
    return all.stream().map(Spec::name).toList();
  }
}
