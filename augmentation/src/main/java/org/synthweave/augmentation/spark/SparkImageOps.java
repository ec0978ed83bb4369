package org.synthweave.augmentation.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.synthweave.augmentation.spark.SparkConstraints.q;

import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;
import org.synthweave.augmentation.AugmentOp;
import org.synthweave.augmentation.OpSpec;
import org.synthweave.augmentation.RowSeeds;
import org.synthweave.augmentation.image.ImageAugmenter;

/**
 * The image ops as a Java UDF — unavoidable: pixel resampling has no Spark SQL equivalent, so these
 * ops run on the CPU under RAPIDS. Images are a binary column of width x height 8-bit grayscale
 * pixels, row-major (Fashion-MNIST's layout; for Spark's image data source select {@code
 * image.data} of a one-channel image). With {@code on-violation = reject} an image whose op pushed
 * a pixel outside 0..255 is rejected; with {@code clamp} its pixels are clamped.
 */
final class SparkImageOps {
  private SparkImageOps() {}

  static Dataset<Row> apply(AugmentContext ctx, OpSpec op, Dataset<Row> rows) {
    String column = ctx.spec().column();
    int w = ctx.spec().width();
    int h = ctx.spec().height();
    long seed = ctx.seed();
    int index = op.index();
    AugmentOp kind = op.op();
    double param =
        switch (kind) {
          case ROTATE -> op.number("degrees", 0, 180);
          case REFLECT -> op.number("p", 0, 1);
          case CROP_IMAGE -> op.whole("size", 1, Math.max(w, h));
          case TRANSLATE -> op.whole("pixels", 0, Math.max(w, h));
          case IMAGE_NOISE -> op.number("sigma", 0, 255);
          case BRIGHTNESS -> op.number("delta", 0, 255);
          case CONTRAST -> op.number("range", 0, 1);
          default -> throw new IllegalArgumentException("not an image op: " + kind);
        };
    boolean reject = op.rejectsViolations();
    UDF3<byte[], String, Integer, byte[]> f =
        (pixels, sid, copy) -> {
          if (pixels == null || pixels.length != w * h) {
            return pixels;
          }
          Random rnd = new Random(RowSeeds.of(seed, sid, index, copy));
          double[] img = ImageAugmenter.fromBytes(pixels);
          double[] out =
              switch (kind) {
                case ROTATE -> ImageAugmenter.rotate(img, w, h, param, rnd);
                case REFLECT -> ImageAugmenter.reflect(img, w, h, param, rnd);
                case CROP_IMAGE -> ImageAugmenter.cropResize(img, w, h, (int) param, rnd);
                case TRANSLATE -> ImageAugmenter.translate(img, w, h, (int) param, rnd);
                case IMAGE_NOISE -> ImageAugmenter.noise(img, param, rnd);
                case BRIGHTNESS -> ImageAugmenter.brightness(img, param, rnd);
                case CONTRAST -> ImageAugmenter.contrast(img, param, rnd);
                default -> throw new IllegalArgumentException("not an image op: " + kind);
              };
          if (reject && ImageAugmenter.outOfRange(out) > 0) {
            return null;
          }
          return ImageAugmenter.toBytes(out);
        };
    Dataset<Row> out =
        SparkConstraints.flag(
            rows.withColumn(
                "_aug_img",
                udf(f, DataTypes.BinaryType)
                    .apply(
                        col(q(column)),
                        col(SparkAugmentation.SOURCE_ID),
                        col(SparkAugmentation.COPY))),
            col("_aug_img").isNull().and(col(q(column)).isNotNull()),
            "out_of_range",
            column,
            lit(kind.id() + " pushed a pixel outside 0..255"));
    return out.withColumn(column, col("_aug_img")).drop("_aug_img");
  }

  /** An image of another size than width x height (or none) is rejected. */
  static Dataset<Row> checkSize(AugmentContext ctx, Dataset<Row> rows) {
    String column = ctx.spec().column();
    int n = ctx.spec().width() * ctx.spec().height();
    return SparkConstraints.flag(
        rows,
        col(q(column)).isNull().or(length(col(q(column))).notEqual(n)),
        "bad_image_size",
        column,
        lit("expected " + n + " bytes"));
  }
}
