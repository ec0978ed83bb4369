package org.synthweave.augmentation.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.synthweave.augmentation.AugmentSamples;
import org.synthweave.augmentation.DatasetSpec;
import org.synthweave.augmentation.FashionMnist;
import org.synthweave.core.testing.SparkTestBase;

/**
 * The text ops (WordNet EDA) on real labelled e-mails and the image ops on real Fashion-MNIST
 * through the Spark adapter: labels kept, value range, partition independence. Seeds are printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkTextImageAugmentationTest extends SparkTestBase {
  private long seed;

  @BeforeAll
  void load() throws Exception {
    seed = AugmentSamples.seed();
    System.out.println(
        "SparkTextImageAugmentationTest seed: " + seed + " (-Dtests.seed=" + seed + ")");
    org.synthweave.augmentation.text.TextAugmenterTestSupport.ensureWordNet();
  }

  private SparkAugmentation augmentation() {
    return new SparkAugmentation(spark, catalog, AugmentSamples.config(seed), "test");
  }

  @Test
  void textOpsKeepLabelsAndDoNotDependOnPartitioning() {
    Dataset<Row> mails =
        spark
            .read()
            .option("header", "true")
            .option("sep", "\t")
            .csv(repoRoot().resolve("data/samples/text/spam-ham.tsv").toString())
            .limit(300)
            .cache();
    DatasetSpec spec =
        AugmentSamples.spec(
            "mails",
            "kind",
            "text",
            "column",
            "text",
            "label",
            "label",
            "id",
            "source",
            "copies",
            2,
            "ops",
            "synonym-replace p=0.1; random-insert p=0.05; random-swap p=0.05; random-delete p=0.1;"
                + " sentence-shuffle");
    Dataset<Row> out = augmentation().plan(spec, mails.repartition(1)).valid().cache();
    assertEquals(600, out.count(), "seed " + seed);
    Dataset<Row> joined =
        out.selectExpr("aug_source_id", "label as l2", "text as t2")
            .join(mails, out.col("aug_source_id").equalTo(mails.col("source")));
    assertEquals(0, joined.where("l2 != label").count(), "labels kept, seed " + seed);
    assertTrue(joined.where("t2 != text").count() > 550, "texts changed, seed " + seed);
    String a = AugmentSamples.hashSorted(out);
    String b = AugmentSamples.hashSorted(augmentation().plan(spec, mails.repartition(4)).valid());
    assertEquals(a, b, "seed " + seed);
    out.unpersist();
  }

  @Test
  void imageOpsStayInRangeAndDoNotDependOnPartitioning() throws Exception {
    byte[][] images = FashionMnist.images("t10k-images-idx3-ubyte.gz", 400);
    int[] labels = FashionMnist.labels("t10k-labels-idx1-ubyte.gz", 400);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < images.length; i++) {
      rows.add(RowFactory.create("t10k-" + i, labels[i], images[i]));
    }
    // One damaged image (too short) must end in quarantine, not in the output.
    rows.add(RowFactory.create("damaged", 0, new byte[100]));
    StructType schema =
        new StructType()
            .add("id", DataTypes.StringType)
            .add("label", DataTypes.IntegerType)
            .add("pixels", DataTypes.BinaryType);
    Dataset<Row> df = spark.createDataFrame(rows, schema).cache();
    DatasetSpec spec =
        AugmentSamples.spec(
            "fashion",
            "kind",
            "image",
            "column",
            "pixels",
            "width",
            28,
            "height",
            28,
            "label",
            "label",
            "ops",
            "rotate degrees=15; reflect; crop-image size=24; translate pixels=2;"
                + " image-noise sigma=10 on-violation=reject; brightness delta=20; contrast");
    SparkAugmentation.Plan plan = augmentation().plan(spec, df.repartition(1));
    Dataset<Row> all = plan.rows().cache();
    assertEquals(401, all.count());
    Dataset<Row> bad = all.where("_aug_violation is not null");
    assertTrue(
        bad.where("aug_source_id = 'damaged' and _aug_violation like 'bad_image_size:%'").count()
            == 1,
        "seed " + seed);
    // Noise with reject sends images whose noise left 0..255 away (Fashion-MNIST has many 0s).
    assertTrue(bad.where("_aug_violation like 'out_of_range:pixels:%'").count() > 0);
    Dataset<Row> valid = plan.valid();
    for (Row r : valid.collectAsList()) {
      assertEquals(784, r.<byte[]>getAs("pixels").length);
    }
    String a = AugmentSamples.hashSorted(valid);
    String b = AugmentSamples.hashSorted(augmentation().plan(spec, df.repartition(3)).valid());
    assertEquals(a, b, "seed " + seed);
    // Every image changed: the ops are not the identity on real images.
    Dataset<Row> changed =
        valid
            .selectExpr("aug_source_id", "pixels as p2")
            .join(df, valid.col("aug_source_id").equalTo(df.col("id")))
            .where("p2 != pixels");
    assertEquals(valid.count(), changed.count(), "seed " + seed);
    all.unpersist();
  }
}
