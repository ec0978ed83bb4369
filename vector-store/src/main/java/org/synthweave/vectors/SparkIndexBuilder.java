package org.synthweave.vectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Builds an index from a frame of vectors: each Spark partition writes one shard with an {@link
 * HnswShardWriter} into a local temporary directory, then copies it to {@code <index>/<shard>} on
 * the index's file system (local disk, HDFS, S3...). Only shard names and counts come back to the
 * driver, which writes the descriptor {@code index.json}; vectors never pass through the driver.
 */
public final class SparkIndexBuilder {
  public static final String DESCRIPTOR = "index.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final StructType SHARD_ROWS =
      new StructType().add("shard", DataTypes.StringType).add("vectors", DataTypes.LongType);

  private final SparkSession spark;

  public SparkIndexBuilder(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * Writes {@code vectors} (columns {@code id} string, {@code vector} array&lt;float&gt;, and the
   * {@code metadata} columns, stored as filterable strings) as {@code shards} shards under {@code
   * indexPath}, plus its descriptor. {@code info} (model, source table and version...) goes into
   * the descriptor as given.
   *
   * @return the shard names, in the descriptor's order
   */
  public List<String> build(
      Dataset<Row> vectors,
      String indexPath,
      int dimensions,
      HnswParams params,
      int shards,
      List<String> metadata,
      Map<String, Object> info) {
    SerializableConfiguration conf =
        new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
    List<String> columns = new ArrayList<>(List.of("id", "vector"));
    columns.addAll(metadata);
    Dataset<Row> input =
        vectors.selectExpr(columns.stream().map(c -> "`" + c + "`").toArray(String[]::new));
    List<Row> written =
        input
            .repartition(shards)
            .mapPartitions(
                (MapPartitionsFunction<Row, Row>)
                    rows -> writeShard(rows, indexPath, dimensions, params, metadata, conf),
                Encoders.row(SHARD_ROWS))
            .collectAsList();
    List<String> names = new ArrayList<>();
    ObjectNode d = JSON.createObjectNode();
    d.put("dimensions", dimensions);
    d.put("similarity", params.similarity().name().toLowerCase(java.util.Locale.ROOT));
    d.put("m", params.m());
    d.put("beam_width", params.beamWidth());
    d.put("quantization", params.quantization().name().toLowerCase(java.util.Locale.ROOT));
    d.putPOJO("metadata", metadata);
    d.putPOJO("info", new LinkedHashMap<>(info));
    ArrayNode list = d.putArray("shards");
    long total = 0;
    for (Row r : written) {
      names.add(r.getString(0));
      total += r.getLong(1);
      list.addObject().put("name", r.getString(0)).put("vectors", r.getLong(1));
    }
    d.put("vectors", total);
    Path p = new Path(indexPath, DESCRIPTOR);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (FSDataOutputStream out = fs.create(p, true)) {
        out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(d));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the index descriptor " + p, e);
    }
    return names;
  }

  private static Iterator<Row> writeShard(
      Iterator<Row> rows,
      String indexPath,
      int dimensions,
      HnswParams params,
      List<String> metadata,
      SerializableConfiguration conf)
      throws IOException {
    if (!rows.hasNext()) {
      return java.util.Collections.emptyIterator();
    }
    java.nio.file.Path local = Files.createTempDirectory("synthweave-shard");
    String name = "shard-" + TaskContext.getPartitionId() + "-" + UUID.randomUUID();
    long n;
    try (HnswShardWriter writer = new HnswShardWriter(local, dimensions, params)) {
      while (rows.hasNext()) {
        Row r = rows.next();
        List<Float> v = r.getList(1);
        float[] vector = new float[v.size()];
        for (int i = 0; i < vector.length; i++) {
          vector[i] = v.get(i);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < metadata.size(); i++) {
          Object value = r.get(2 + i);
          if (value != null) {
            fields.put(metadata.get(i), value.toString());
          }
        }
        writer.add(r.getString(0), vector, fields);
      }
      n = writer.count();
    }
    Configuration hadoop = conf.value();
    Path target = new Path(indexPath, name);
    FileSystem fs = target.getFileSystem(hadoop);
    fs.copyFromLocalFile(true, true, new Path(local.toUri()), target);
    return List.of(RowFactory.create(name, n)).iterator();
  }
}
