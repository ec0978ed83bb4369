package org.synthweave.core.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.synthweave.core.catalog.Warehouse;
import org.synthweave.core.config.CoreConfig;

/**
 * Creates the one SparkSession a job uses, with Delta Lake configured. On a cluster the master
 * comes from spark-submit; locally (no master set anywhere) it is {@code local[*]}.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession create(CoreConfig config) {
    // A warehouse that is a file fails every write deep inside Spark; say so before starting.
    Warehouse.checkFolder(config.warehouse());
    SparkConf conf = new SparkConf(true);
    String master = config.sparkMaster();
    if (!master.isBlank()) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    conf.setIfMissing("spark.app.name", config.appName());
    conf.set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    conf.set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    conf.set("spark.sql.shuffle.partitions", Integer.toString(config.shufflePartitions()));
    conf.set("spark.ui.enabled", Boolean.toString(config.sparkUi()));
    // Dates and times are UTC everywhere, so reruns on machines in other zones agree.
    conf.set("spark.sql.session.timeZone", "UTC");
    conf.setIfMissing("spark.sql.adaptive.enabled", "true");
    // Delta: the _runs and quarantine tables are small appends; skip the optimize-write shuffle.
    conf.setIfMissing("spark.databricks.delta.schema.autoMerge.enabled", "false");
    // Delta replays a table's log in this many tasks (its default, 50, is sized for big logs on big
    // clusters): measured on 2 cores, 50 tasks made every first read of a table cost ~15 s.
    conf.setIfMissing(
        "spark.databricks.delta.snapshotPartitions", Integer.toString(config.shufflePartitions()));
    // Rows can be large (a crawl record's text is up to 64 MiB; 2 MiB pages are common), so
    // nothing may hold many of them at once. Java serialization (closures, local results, disk
    // blocks of the crawl's rows) keeps a back-reference to every object written until the stream
    // is reset: reset after every object, not every 100. Parquet first checks the buffered size of
    // a page (and of a row group) after 100 rows: check after every row, so neither holds 100 large
    // rows before it is flushed.
    conf.setIfMissing("spark.serializer.objectStreamReset", "1");
    conf.setIfMissing("spark.hadoop.parquet.page.size.row.check.min", "1");
    for (Map.Entry<String, String> e : config.sparkConf().entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    spark.sparkContext().setLogLevel(conf.get("spark.log.level", "WARN"));
    if (config.progressIntervalMs() > 0) {
      SparkProgress.install(spark, config.progressIntervalMs());
    }
    return spark;
  }
}
