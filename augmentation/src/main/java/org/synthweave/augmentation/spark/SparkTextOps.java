package org.synthweave.augmentation.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.udf;
import static org.synthweave.augmentation.spark.SparkConstraints.q;

import java.nio.file.Paths;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.synthweave.augmentation.OpSpec;
import org.synthweave.augmentation.RowSeeds;
import org.synthweave.augmentation.text.TextAugmenter;
import org.synthweave.augmentation.text.WordNetThesaurus;

/**
 * The text ops as a Java UDF — unavoidable: word-level edits with a thesaurus have no Spark SQL
 * equivalent, so these ops run on the CPU under RAPIDS. The thesaurus is read once per executor
 * JVM. The label and every other column are kept.
 */
final class SparkTextOps {
  private SparkTextOps() {}

  static Dataset<Row> apply(AugmentContext ctx, OpSpec op, Dataset<Row> rows, String wordnetDir) {
    String column = ctx.spec().column();
    long seed = ctx.seed();
    double p = op.op().defaults().containsKey("p") ? op.number("p", 0, 1) : 0;
    boolean needsThesaurus =
        switch (op.op()) {
          case SYNONYM_REPLACE, RANDOM_INSERT -> true;
          default -> false;
        };
    String dir = Paths.get(wordnetDir).toAbsolutePath().toString();
    if (needsThesaurus) {
      // Fail on the driver, with the fix, rather than in every task.
      WordNetThesaurus.load(Paths.get(dir));
    }
    org.synthweave.augmentation.AugmentOp kind = op.op();
    int index = op.index();
    UDF3<String, String, Integer, String> f =
        (text, sid, copy) -> {
          if (text == null) {
            return null;
          }
          Random rnd = new Random(RowSeeds.of(seed, sid, index, copy));
          TextAugmenter t =
              new TextAugmenter(needsThesaurus ? WordNetThesaurus.load(Paths.get(dir)) : null);
          return switch (kind) {
            case SYNONYM_REPLACE -> t.synonymReplace(text, p, rnd);
            case RANDOM_INSERT -> t.randomInsert(text, p, rnd);
            case RANDOM_SWAP -> t.randomSwap(text, p, rnd);
            case RANDOM_DELETE -> t.randomDelete(text, p, rnd);
            case SENTENCE_SHUFFLE -> t.sentenceShuffle(text, rnd);
            default -> throw new IllegalArgumentException("not a text op: " + kind);
          };
        };
    UserDefinedFunction udf = udf(f, DataTypes.StringType);
    return rows.withColumn(
        column,
        udf.apply(
            col(q(column)).cast("string"),
            col(SparkAugmentation.SOURCE_ID),
            col(SparkAugmentation.COPY)));
  }

  /** A text that became empty (or was empty) is rejected. */
  static Dataset<Row> checkNotEmpty(AugmentContext ctx, Dataset<Row> rows) {
    String column = ctx.spec().column();
    return SparkConstraints.flag(
        rows,
        col(q(column)).isNull().or(length(trim(col(q(column)))).equalTo(0)),
        "empty_text",
        column,
        lit("after the text ops"));
  }
}
