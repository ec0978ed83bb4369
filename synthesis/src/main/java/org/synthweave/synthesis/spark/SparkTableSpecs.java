package org.synthweave.synthesis.spark;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.synthweave.synthesis.SynthesisConfig;
import org.synthweave.synthesis.SynthesisErrors;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.Relation;

/**
 * Decides which columns of a table are modelled and how: strings and booleans categorical,
 * fractional numbers continuous, integers categorical up to {@code synth.categorical-max-distinct}
 * distinct values and continuous above. Provenance columns, excluded columns, unsupported types
 * (timestamps, binary, nested) and strings with more than {@code synth.max-categories} values (ids,
 * free text) are left out with a printed note. The target of a declared {@link Relation} ({@code
 * synth.relations}) is modelled, as a continuous column, by its ratio to the product of its
 * factors.
 */
public final class SparkTableSpecs {
  /** Columns that describe where a row came from, never modelled. */
  public static final Set<String> PROVENANCE =
      Set.of("id", "origin", "generator", "seed", "source_ids");

  private SparkTableSpecs() {}

  /**
   * The modelled columns and the table reduced to them (numbers as double, others as string);
   * {@link #apply} reduces another part of the same table (a split) the same way.
   */
  public record Prepared(List<ColumnSpec> specs, Dataset<Row> rows, List<Column> select) {
    public Prepared {
      select = List.copyOf(select);
    }

    public Dataset<Row> apply(Dataset<Row> part) {
      return part.select(select.toArray(Column[]::new));
    }
  }

  public static Prepared prepare(
      Dataset<Row> table, String name, SynthesisConfig cfg, PrintStream notes) {
    List<StructField> candidates = new ArrayList<>();
    List<Column> distinct = new ArrayList<>();
    for (StructField f : table.schema().fields()) {
      // Names starting with '_' are the pipeline's bookkeeping (ingest's _row_id, _source_file,
      // _ingested_at, _run_id), not data.
      if (PROVENANCE.contains(f.name())
          || f.name().startsWith("_")
          || cfg.excludeColumns().contains(f.name())) {
        continue;
      }
      DataType t = f.dataType();
      if (isIntegral(t) || t instanceof StringType || t instanceof BooleanType || isFractional(t)) {
        candidates.add(f);
        distinct.add(approx_count_distinct(col(quote(f.name()))).as(f.name()));
      } else {
        notes.printf(
            "synthesis: %s: column %s (%s) left out: the synthesizers model numbers, strings and"
                + " booleans%n",
            name, f.name(), t.simpleString());
      }
    }
    if (candidates.isEmpty()) {
      throw SynthesisErrors.noColumns(name);
    }
    Map<String, Relation> relations = relations(table, name, cfg, candidates);
    // The same pass counts, per relation, the target values it turns into missing ones.
    for (Relation rel : relations.values()) {
      distinct.add(
          count(when(col(quote(rel.target())).isNotNull().and(undefined(product(rel))), lit(1))));
    }
    Row counts =
        table
            .agg(distinct.get(0), distinct.subList(1, distinct.size()).toArray(Column[]::new))
            .first();
    String target = cfg.targetOf(name);
    if (!target.isEmpty()) {
      checkTarget(name, target, table, candidates, counts, cfg);
    }
    List<ColumnSpec> specs = new ArrayList<>();
    List<Column> select = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      StructField f = candidates.get(i);
      long n = counts.getLong(i);
      DataType t = f.dataType();
      ColumnSpec.Kind kind;
      if (n == 0) {
        notes.printf("synthesis: %s: column %s left out: it holds only nulls%n", name, f.name());
        continue;
      }
      if (t instanceof StringType && n > cfg.maxCategories()) {
        notes.printf(
            "synthesis: %s: column %s left out: about %d distinct strings (more than"
                + " synth.max-categories = %d), an id or free text%n",
            name, f.name(), n, cfg.maxCategories());
        continue;
      }
      if (isFractional(t)) {
        kind = ColumnSpec.Kind.CONTINUOUS;
      } else if (isIntegral(t)) {
        // A label is a class whatever its number of values (checked above).
        kind =
            n <= cfg.categoricalMaxDistinct() || f.name().equals(target)
                ? ColumnSpec.Kind.CATEGORICAL
                : ColumnSpec.Kind.CONTINUOUS;
      } else {
        kind = ColumnSpec.Kind.CATEGORICAL;
      }
      Relation rel = relations.get(f.name());
      if (rel != null) {
        specs.add(
            new ColumnSpec(f.name(), ColumnSpec.Kind.CONTINUOUS, t.simpleString(), rel.factors()));
        select.add(ratio(rel).as(f.name()));
        continue;
      }
      specs.add(new ColumnSpec(f.name(), kind, t.simpleString()));
      Column c = col(quote(f.name()));
      select.add(
          (kind == ColumnSpec.Kind.CONTINUOUS ? c.cast("double") : c.cast("string")).as(f.name()));
    }
    if (specs.isEmpty()) {
      throw SynthesisErrors.noColumns(name);
    }
    for (Relation rel : relations.values()) {
      for (String factor : rel.factors()) {
        if (specs.stream().noneMatch(c -> c.name().equals(factor))) {
          throw SynthesisErrors.badRelation(
              name, rel, "its factor " + factor + " is not modelled (it holds only nulls)");
        }
      }
    }
    int lostAt = candidates.size();
    for (Relation rel : relations.values()) {
      noteRelation(name, rel, counts.getLong(lostAt++), notes);
    }
    return new Prepared(specs, table.select(select.toArray(Column[]::new)), select);
  }

  /** Fails unless {@code target} is a column that can be modelled as a class label. */
  private static void checkTarget(
      String name,
      String target,
      Dataset<Row> table,
      List<StructField> candidates,
      Row counts,
      SynthesisConfig cfg) {
    for (int i = 0; i < candidates.size(); i++) {
      StructField f = candidates.get(i);
      if (!f.name().equals(target)) {
        continue;
      }
      long distinct = counts.getLong(i);
      if (isFractional(f.dataType())) {
        throw SynthesisErrors.badTarget(
            name, target, "it is " + f.dataType().simpleString() + ", a measurement, not a class");
      }
      if (distinct < 2 || distinct > cfg.maxCategories()) {
        throw SynthesisErrors.badTarget(
            name,
            target,
            "it has about "
                + distinct
                + " distinct values; a label needs 2 to synth.max-categories ("
                + cfg.maxCategories()
                + ")");
      }
      return;
    }
    boolean exists = java.util.Arrays.asList(table.columns()).contains(target);
    throw SynthesisErrors.badTarget(
        name,
        target,
        exists
            ? "it is not modelled (excluded, bookkeeping or of an unsupported type)"
            : "the table has no such column (columns: " + String.join(", ", table.columns()) + ")");
  }

  /**
   * The declared relations of this table by target, each checked: its target and factors are
   * numeric columns of the table that are modelled.
   */
  private static Map<String, Relation> relations(
      Dataset<Row> table, String name, SynthesisConfig cfg, List<StructField> candidates) {
    Map<String, Relation> byTarget = new LinkedHashMap<>();
    for (Relation rel : cfg.relations()) {
      List<String> columns = new ArrayList<>(rel.factors());
      columns.add(0, rel.target());
      for (String c : columns) {
        StructField f =
            candidates.stream().filter(x -> x.name().equals(c)).findFirst().orElse(null);
        if (f == null) {
          boolean exists = java.util.Arrays.asList(table.columns()).contains(c);
          throw SynthesisErrors.badRelation(
              name,
              rel,
              exists ? "column " + c + " is not modelled" : "the table has no column " + c);
        }
        if (!isIntegral(f.dataType()) && !isFractional(f.dataType())) {
          throw SynthesisErrors.badRelation(
              name, rel, "column " + c + " is " + f.dataType().simpleString() + ", not a number");
        }
      }
      if (byTarget.put(rel.target(), rel) != null) {
        throw SynthesisErrors.badRelation(name, rel, rel.target() + " is the target of two");
      }
    }
    for (Relation rel : byTarget.values()) {
      for (String factor : rel.factors()) {
        if (byTarget.containsKey(factor)) {
          throw SynthesisErrors.badRelation(
              name, rel, "its factor " + factor + " is itself a relation's target");
        }
      }
    }
    return byTarget;
  }

  /** The product of a relation's factors as a double column. */
  private static Column product(Relation rel) {
    Column p = null;
    for (String f : rel.factors()) {
      Column c = col(quote(f)).cast("double");
      p = p == null ? c : p.multiply(c);
    }
    return p;
  }

  /** Whether a product leaves its relation's target undefined: it is 0 or null. */
  private static Column undefined(Column product) {
    return product.isNull().or(product.equalTo(0.0));
  }

  /** {@code target / product}, null where the product is 0 or null. */
  private static Column ratio(Relation rel) {
    Column p = product(rel);
    return when(undefined(p), lit(null).cast("double"))
        .otherwise(col(quote(rel.target())).cast("double").divide(p));
  }

  /**
   * The inverse of {@link #ratio} on sampled rows: the modelled ratio column of {@code spec} times
   * its factors' product (rounded for an integral type), null where the product is 0 or null, as
   * the target was modelled as missing there.
   */
  static Column fromRatio(ColumnSpec spec) {
    Column p = product(new Relation(spec.name(), spec.ratioOf()));
    Column c = col(quote(spec.name())).multiply(p);
    if (spec.integralType()) {
      c = functions.round(c);
    }
    return when(undefined(p), lit(null)).otherwise(c);
  }

  /** Prints that a relation is in use and how many target values it turns into missing ones. */
  private static void noteRelation(String name, Relation rel, long lost, PrintStream notes) {
    notes.printf(
        "synthesis: %s: %s is modelled as its ratio to the product%s%n",
        name,
        rel,
        lost == 0
            ? ""
            : String.format(
                java.util.Locale.ROOT,
                " (%d rows where the product is 0 or missing have a value of %s, modelled as"
                    + " missing)",
                lost,
                rel.target()));
  }

  /**
   * {@code DataFrameStatFunctions.approxQuantile} of {@code columns}, which parses the names it is
   * given: the columns are passed under positional names, so any column name works.
   */
  static double[][] approxQuantile(
      Dataset<Row> rows, List<String> columns, double[] probs, double relativeError) {
    Column[] cols = new Column[columns.size()];
    String[] names = new String[columns.size()];
    for (int i = 0; i < cols.length; i++) {
      names[i] = "__q" + i;
      cols[i] = org.synthweave.core.spark.Columns.col(columns.get(i)).as(names[i]);
    }
    return rows.select(cols).stat().approxQuantile(names, probs, relativeError);
  }

  static String quote(String name) {
    return org.synthweave.core.spark.Columns.quote(name);
  }

  private static boolean isIntegral(DataType t) {
    return t instanceof IntegerType
        || t instanceof LongType
        || t instanceof ShortType
        || t instanceof ByteType;
  }

  private static boolean isFractional(DataType t) {
    return t instanceof DoubleType || t instanceof FloatType || t instanceof DecimalType;
  }

  /** A row of the prepared table as the heart's values (Double or String, null kept). */
  static Object[] values(Row r, List<ColumnSpec> specs) {
    Object[] v = new Object[specs.size()];
    for (int i = 0; i < v.length; i++) {
      if (r.isNullAt(i)) {
        continue;
      }
      v[i] = specs.get(i).kind() == ColumnSpec.Kind.CONTINUOUS ? r.getDouble(i) : r.getString(i);
    }
    return v;
  }
}
