package org.synthweave.vectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.synthweave.core.spark.SparkPhases;

/**
 * Builds and keeps up to date an index of vectors on any Hadoop file system, from a frame of the
 * vectors the index should hold now.
 *
 * <p>Layout under the index path: one Lucene directory per shard, the descriptor {@value
 * IndexDescriptor#FILE} (the commit point: readers see only the shards it lists), and {@code
 * ids/shard=<name>/} Parquet files with the key and a hash of the vector of every document of each
 * shard. An update compares the wanted (key, vector hash) pairs with those: new and changed vectors
 * go into new shards (each Spark partition writes one, built locally and copied), and keys whose
 * vector changed or that are gone are deleted from the shards holding them (each affected shard is
 * rewritten under a new name with Lucene deletions, so no stale hit survives an update). Small or
 * deletion-heavy shards are merged by compaction. The driver sees only shard names and counts.
 *
 * <p>One writer per index at a time; readers may search while an update runs, they see the old or
 * the new descriptor.
 */
public final class SparkVectorIndex {
  /** Key column of the input frame: unique per vector. */
  public static final String KEY = "key";

  /** Vector column of the input frame: array&lt;float&gt;. */
  public static final String VECTOR = "vector";

  static final String IDS = "ids";
  private static final StructType ID_ROWS =
      new StructType()
          .add(KEY, DataTypes.StringType)
          .add("vhash", DataTypes.LongType)
          .add("shard", DataTypes.StringType);
  private static final StructType BUILT_ROWS =
      new StructType()
          .add(KEY, DataTypes.StringType)
          .add("vhash", DataTypes.LongType)
          .add("shard", DataTypes.StringType)
          .add("reason", DataTypes.StringType)
          .add("detail", DataTypes.StringType);
  private static final StructType SHARD_ROWS =
      new StructType()
          .add("old", DataTypes.StringType)
          .add("shard", DataTypes.StringType)
          .add("vectors", DataTypes.LongType)
          .add("deleted", DataTypes.LongType);

  /**
   * How shards are sized and when they are merged.
   *
   * @param maxShardVectors vectors per new shard at most (a full build uses at least {@code
   *     minShards} shards so every core builds one)
   * @param minShards shards of a full build at least, usually the parallelism
   * @param compactBelow a shard with fewer live vectors counts as small
   * @param compactSmallShards compaction runs when more small shards than this exist
   * @param compactDeletedRatio a shard with a larger share of deleted documents is rewritten
   */
  public record Options(
      long maxShardVectors,
      int minShards,
      long compactBelow,
      int compactSmallShards,
      double compactDeletedRatio)
      implements Serializable {
    public Options {
      if (maxShardVectors < 1 || minShards < 1 || compactBelow < 0 || compactSmallShards < 0) {
        throw new IllegalArgumentException(
            "shard sizes must be positive: "
                + maxShardVectors
                + ", "
                + minShards
                + ", "
                + compactBelow
                + ", "
                + compactSmallShards);
      }
      if (!(compactDeletedRatio > 0 && compactDeletedRatio <= 1)) {
        throw new IllegalArgumentException(
            "compactDeletedRatio must be in (0, 1], got " + compactDeletedRatio);
      }
    }
  }

  /** What one update did. */
  public record Update(
      IndexDescriptor descriptor,
      long in,
      long added,
      long unchanged,
      long removed,
      long quarantined,
      long duplicateKeys,
      String rebuiltBecause,
      int shardsCompacted,
      long compactMs,
      long buildMs,
      String phases) {}

  private final SparkSession spark;

  public SparkVectorIndex(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * Makes the index at {@code indexPath} hold exactly the vectors of {@code wanted} (columns
   * {@value #KEY}, {@value #VECTOR}, the template's filterable and stored columns). Rows whose
   * vector does not fit the template (wrong length, NaN or infinite values, a zero vector under
   * cosine) are returned in {@code rejected} (key, reason, detail) and not indexed.
   *
   * @param template the index to have: name, model, parameters, fields and source version; its
   *     shards and generation are ignored
   * @param rebuild build from scratch even if the existing index is compatible
   * @param compact merge every small or deletion-heavy shard now, not only past the thresholds
   * @param rejected receives the rejected rows' frame (may be empty), for the caller's quarantine
   */
  public Update update(
      Dataset<Row> wanted,
      String indexPath,
      IndexDescriptor template,
      Options options,
      boolean rebuild,
      boolean compact,
      java.util.function.Consumer<Dataset<Row>> rejected) {
    long started = System.nanoTime();
    SparkPhases phases = new SparkPhases(spark, "index " + template.name());
    SerializableConfiguration conf =
        new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
    IndexDescriptor existing = readDescriptor(indexPath, conf.value());
    String rebuiltBecause = null;
    if (existing != null && rebuild) {
      rebuiltBecause = "--rebuild";
    } else if (existing != null) {
      rebuiltBecause = existing.incompatibility(template);
    }
    boolean fresh = existing == null || rebuiltBecause != null;
    long generation = existing == null ? 1 : existing.generation() + 1;

    // 1. Count rows and distinct keys: a pass over the key column only. Vectors are checked
    // while the shards are built, so they are read once.
    List<String> columns = new ArrayList<>(List.of(KEY, VECTOR));
    columns.addAll(template.filterable());
    columns.addAll(template.stored());
    Dataset<Row> input =
        wanted.select(columns.stream().map(c -> col("`" + c + "`")).toArray(Column[]::new));
    phases.phase("count keys");
    Row stats =
        input
            .agg(count(lit(1)), count(when(col(KEY).isNull(), lit(1))), countDistinct(col(KEY)))
            .first();
    long in = stats.getLong(0);
    long noKey = stats.getLong(1);
    long distinct = stats.getLong(2);
    long duplicateKeys = in - noKey - distinct;
    List<Dataset<Row>> rejects = new ArrayList<>();
    if (noKey > 0) {
      rejects.add(
          input
              .where(col(KEY).isNull())
              .select(
                  col(KEY),
                  lit("no_key").as("reason"),
                  lit("the key column is null").as("detail")));
    }
    Dataset<Row> candidates =
        input.where(col(KEY).isNotNull()).withColumn("vhash", xxhash64(col(VECTOR)));
    if (duplicateKeys > 0) {
      // Rare (keys are unique by contract): one row per key survives, the rest are counted.
      candidates = candidates.dropDuplicates(KEY);
    }

    // 2. Compare (key, vector hash) pairs with what the shards hold; no vectors are shuffled.
    Map<String, IndexDescriptor.Shard> live = new LinkedHashMap<>();
    Dataset<Row> added = candidates;
    Dataset<Row> stale = null;
    long attempted = distinct;
    Dataset<Row> held = null;
    Dataset<Row> addedKeys = null;
    if (!fresh) {
      for (IndexDescriptor.Shard s : existing.shards()) {
        live.put(s.name(), s);
      }
      held = readIds(indexPath, live.keySet());
      Dataset<Row> keys = candidates.select(KEY, "vhash");
      addedKeys =
          keys.join(held.select(KEY, "vhash"), new String[] {KEY, "vhash"}, "left_anti")
              .persist(StorageLevel.MEMORY_AND_DISK());
      stale =
          held.join(keys, new String[] {KEY, "vhash"}, "left_anti")
              .persist(StorageLevel.MEMORY_AND_DISK());
      phases.phase("compare with the shards");
      attempted = addedKeys.count();
      // A using-join puts the join columns first; the shard writer reads by position.
      Dataset<Row> all = candidates;
      added =
          all.join(addedKeys, new String[] {KEY, "vhash"}, "left_semi")
              .select(
                  Arrays.stream(all.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new));
    }
    long removed = stale == null ? 0 : stale.count();

    List<String> replaced = new ArrayList<>();
    // 3. Deletions: rewrite each shard that holds a removed key, without those documents.
    if (removed > 0) {
      phases.phase("delete " + removed);
      String suffix = ".d" + generation;
      HnswParams params = template.params();
      List<Row> rewritten =
          stale
              .select(col("shard"), col(KEY))
              .groupByKey((MapFunction<Row, String>) r -> r.getString(0), Encoders.STRING())
              .flatMapGroups(
                  (FlatMapGroupsFunction<String, Row, Row>)
                      (shard, rows) ->
                          deleteFromShard(indexPath, shard, suffix, rows, params, conf),
                  Encoders.row(SHARD_ROWS))
              .collectAsList();
      Map<String, String> rename = new HashMap<>();
      for (Row r : rewritten) {
        String old = r.getString(0);
        rename.put(old, r.getString(1));
        replaced.add(old);
        live.remove(old);
        live.put(
            r.getString(1), new IndexDescriptor.Shard(r.getString(1), r.getLong(2), r.getLong(3)));
      }
      Dataset<Row> kept =
          held.where(col("shard").isin(rename.keySet().toArray()))
              .join(stale.select(KEY, "vhash"), new String[] {KEY, "vhash"}, "left_anti");
      writeIds(renamed(kept, rename), indexPath);
    }

    // 4. Additions: new shards, one per partition. Each task checks its vectors, writes the
    // usable ones into its shard and emits (key, vhash, shard) or (key, reason) per row.
    long addedCount = 0;
    long badVectors = 0;
    Dataset<Row> built = null;
    if (attempted > 0) {
      long perShard = options.maxShardVectors();
      int shards = (int) Math.max(1, (attempted + perShard - 1) / perShard);
      if (fresh) {
        shards = (int) Math.min(Math.max(shards, options.minShards()), attempted);
      }
      String prefix = "g" + generation + "-p";
      phases.phase("build " + shards + " shards");
      List<String> filterable = template.filterable();
      List<String> stored = template.stored();
      int dims = template.dimensions();
      HnswParams params = template.params();
      // Enough input partitions: merge them without a shuffle; too few: spread the rows out.
      Dataset<Row> spread =
          added.rdd().getNumPartitions() >= shards
              ? added.coalesce(shards)
              : added.repartition(shards, col(KEY));
      // The shard writer reads Spark's internal rows: each vector is copied out of its binary
      // row as one float[], never boxed into 784 Float objects; fields arrive as strings.
      List<Column> cols = new ArrayList<>();
      cols.add(col(KEY));
      cols.add(col(VECTOR).cast(DataTypes.createArrayType(DataTypes.FloatType)));
      for (List<String> fields : List.of(filterable, stored)) {
        for (String f : fields) {
          cols.add(col("`" + f + "`").cast(DataTypes.StringType));
        }
      }
      cols.add(col("vhash"));
      JavaRDD<Row> shardRows =
          spread
              .select(cols.toArray(Column[]::new))
              .queryExecution()
              .toRdd()
              .toJavaRDD()
              .mapPartitions(
                  rows ->
                      new ShardBuilding(
                          rows, indexPath, prefix, dims, params, filterable, stored, conf));
      built = spark.createDataFrame(shardRows, BUILT_ROWS).persist(StorageLevel.MEMORY_AND_DISK());
      writeIds(built.where(col("reason").isNull()), indexPath);
      phases.phase("count shards");
      for (Row r : built.where(col("reason").isNull()).groupBy("shard").count().collectAsList()) {
        live.put(r.getString(0), new IndexDescriptor.Shard(r.getString(0), r.getLong(1), 0));
        addedCount += r.getLong(1);
      }
      badVectors = attempted - addedCount;
      if (badVectors > 0) {
        rejects.add(built.where(col("reason").isNotNull()).select(KEY, "reason", "detail"));
      }
    }
    if (!rejects.isEmpty()) {
      phases.phase("quarantine");
      rejected.accept(rejects.stream().reduce(Dataset::unionByName).orElseThrow());
    }
    long quarantined = noKey + badVectors;
    long goodCount = distinct - badVectors;
    long buildMs = (System.nanoTime() - started) / 1_000_000;

    // 5. Compaction: merge small shards and drop deleted documents.
    long compactStart = System.nanoTime();
    int compacted =
        compact(indexPath, template, generation, live, replaced, options, compact, conf, phases);
    long compactMs = compacted == 0 ? 0 : (System.nanoTime() - compactStart) / 1_000_000;

    // 6. Commit: the new descriptor, then the replaced shards go.
    phases.phase("commit");
    IndexDescriptor next =
        template.withShards(
            new ArrayList<>(live.values()),
            generation,
            template.sourceVersion(),
            Instant.now().toString());
    writeDescriptor(indexPath, next, conf.value());
    if (fresh && existing != null) {
      for (IndexDescriptor.Shard s : existing.shards()) {
        replaced.add(s.name());
      }
    }
    removeShards(indexPath, replaced, conf.value());
    phases.end();
    if (stale != null) {
      stale.unpersist();
      addedKeys.unpersist();
    }
    if (built != null) {
      built.unpersist();
    }
    return new Update(
        next,
        in,
        addedCount,
        goodCount - addedCount,
        removed,
        quarantined,
        duplicateKeys,
        rebuiltBecause,
        compacted,
        compactMs,
        buildMs,
        phases.describe());
  }

  /** Reads the descriptor at {@code indexPath}, or null if there is no index yet. */
  public IndexDescriptor descriptor(String indexPath) {
    return readDescriptor(indexPath, spark.sparkContext().hadoopConfiguration());
  }

  private int compact(
      String indexPath,
      IndexDescriptor template,
      long generation,
      Map<String, IndexDescriptor.Shard> live,
      List<String> replaced,
      Options options,
      boolean force,
      SerializableConfiguration conf,
      SparkPhases phases) {
    List<IndexDescriptor.Shard> candidates = new ArrayList<>();
    int small = 0;
    boolean heavy = false;
    for (IndexDescriptor.Shard s : live.values()) {
      boolean isSmall = s.vectors() < options.compactBelow();
      boolean isHeavy = s.deletedRatio() > options.compactDeletedRatio();
      if (isSmall || isHeavy || (force && s.deleted() > 0)) {
        candidates.add(s);
      }
      small += isSmall ? 1 : 0;
      heavy |= isHeavy;
    }
    if (!(force || heavy || small > options.compactSmallShards()) || candidates.isEmpty()) {
      return 0;
    }
    // Greedy groups of at most maxShardVectors live vectors, smallest shards first.
    candidates.sort(java.util.Comparator.comparingLong(IndexDescriptor.Shard::vectors));
    List<List<String>> groups = new ArrayList<>();
    List<String> group = new ArrayList<>();
    long size = 0;
    for (IndexDescriptor.Shard s : candidates) {
      if (!group.isEmpty() && size + s.vectors() > options.maxShardVectors()) {
        groups.add(group);
        group = new ArrayList<>();
        size = 0;
      }
      group.add(s.name());
      size += s.vectors();
    }
    groups.add(group);
    // A group of one shard without deletions would only be copied.
    groups.removeIf(g -> g.size() == 1 && live.get(g.get(0)).deleted() == 0);
    if (groups.isEmpty()) {
      return 0;
    }
    List<Row> members = new ArrayList<>();
    Map<String, String> rename = new HashMap<>();
    for (int i = 0; i < groups.size(); i++) {
      String target = "g" + generation + "-c" + i;
      for (String shard : groups.get(i)) {
        members.add(RowFactory.create(target, shard));
        rename.put(shard, target);
      }
    }
    StructType memberSchema =
        new StructType().add("target", DataTypes.StringType).add("shard", DataTypes.StringType);
    phases.phase("compact " + rename.size() + " shards into " + groups.size());
    HnswParams params = template.params();
    List<Row> merged =
        spark
            .createDataFrame(members, memberSchema)
            .repartition(groups.size(), col("target"))
            .groupByKey((MapFunction<Row, String>) r -> r.getString(0), Encoders.STRING())
            .flatMapGroups(
                (FlatMapGroupsFunction<String, Row, Row>)
                    (target, rows) -> mergeShards(indexPath, target, rows, params, conf),
                Encoders.row(SHARD_ROWS))
            .collectAsList();
    writeIds(renamed(readIds(indexPath, rename.keySet()), rename), indexPath);
    for (String old : rename.keySet()) {
      live.remove(old);
      replaced.add(old);
    }
    for (Row r : merged) {
      live.put(r.getString(1), new IndexDescriptor.Shard(r.getString(1), r.getLong(2), 0));
    }
    return rename.size();
  }

  private static Dataset<Row> renamed(Dataset<Row> ids, Map<String, String> rename) {
    Column shard = null;
    for (Map.Entry<String, String> e : rename.entrySet()) {
      shard =
          shard == null
              ? when(col("shard").equalTo(e.getKey()), lit(e.getValue()))
              : shard.when(col("shard").equalTo(e.getKey()), lit(e.getValue()));
    }
    return ids.withColumn("shard", shard);
  }

  private void writeIds(Dataset<Row> ids, String indexPath) {
    ids.select(KEY, "vhash", "shard")
        .write()
        .mode("append")
        .partitionBy("shard")
        .parquet(new Path(indexPath, IDS).toString());
  }

  /** The (key, vhash, shard) rows of {@code shards} (all shards when null). */
  private Dataset<Row> readIds(String indexPath, java.util.Collection<String> shards) {
    String base = new Path(indexPath, IDS).toString();
    if (shards == null) {
      return spark.read().parquet(base);
    }
    if (shards.isEmpty()) {
      return spark.createDataFrame(List.of(), ID_ROWS);
    }
    String[] paths =
        shards.stream().map(s -> new Path(base, "shard=" + s).toString()).toArray(String[]::new);
    return spark.read().schema(ID_ROWS).option("basePath", base).parquet(paths);
  }

  // ---- work done inside tasks ----

  /**
   * Streams a partition's rows (key, vector, filterable and stored fields as strings, vhash) into
   * one shard, emitting (key, vhash, shard) for each indexed row or (key, vhash, null, reason,
   * detail) for each rejected one.
   */
  private static final class ShardBuilding implements Iterator<Row> {
    private final Iterator<InternalRow> rows;
    private final String indexPath;
    private final String name;
    private final List<String> filterable;
    private final List<String> stored;
    private final SerializableConfiguration conf;
    private final int dims;
    private final HnswParams params;
    private java.nio.file.Path local;
    private HnswShardWriter writer;
    private boolean done;

    ShardBuilding(
        Iterator<InternalRow> rows,
        String indexPath,
        String prefix,
        int dims,
        HnswParams params,
        List<String> filterable,
        List<String> stored,
        SerializableConfiguration conf) {
      this.rows = rows;
      this.indexPath = indexPath;
      this.name = prefix + TaskContext.getPartitionId();
      this.dims = dims;
      this.params = params;
      this.filterable = filterable;
      this.stored = stored;
      this.conf = conf;
    }

    @Override
    public boolean hasNext() {
      if (rows.hasNext()) {
        return true;
      }
      if (!done) {
        done = true;
        finish();
      }
      return false;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      InternalRow r = rows.next();
      int vhashAt = 2 + filterable.size() + stored.size();
      String key = r.getUTF8String(0).toString();
      long vhash = r.getLong(vhashAt);
      float[] vector = null;
      String reason = null;
      if (r.isNullAt(1)) {
        reason = "no_vector";
      } else {
        ArrayData v = r.getArray(1);
        vector = v.toFloatArray();
        if (vector.length != dims) {
          reason = "wrong_dimensions";
        } else {
          boolean zero = true;
          for (int i = 0; i < vector.length && reason == null; i++) {
            float f = vector[i];
            if (!Float.isFinite(f) || v.isNullAt(i)) {
              reason = "non_finite_vector";
            }
            zero &= f == 0f;
          }
          // Cosine of a zero vector is undefined; Lucene would fail the whole shard.
          if (reason == null && zero && params.similarity() == HnswParams.Similarity.COSINE) {
            reason = "zero_vector";
          }
        }
      }
      if (reason != null) {
        String detail =
            vector == null
                ? "no vector"
                : "vector of " + vector.length + " values, the index has " + dims + " dimensions";
        return RowFactory.create(key, vhash, null, reason, detail);
      }
      try {
        if (writer == null) {
          local = Files.createTempDirectory("synthweave-shard");
          writer = new HnswShardWriter(local, dims, params);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a local shard directory", e);
      }
      int at = 2;
      Map<String, String> meta = new LinkedHashMap<>();
      for (String f : filterable) {
        if (!r.isNullAt(at)) {
          meta.put(f, r.getUTF8String(at).toString());
        }
        at++;
      }
      Map<String, String> extra = new LinkedHashMap<>();
      for (String f : stored) {
        if (!r.isNullAt(at)) {
          extra.put(f, r.getUTF8String(at).toString());
        }
        at++;
      }
      writer.add(key, vector, meta, extra);
      return RowFactory.create(key, vhash, name, null, null);
    }

    private void finish() {
      if (writer == null) {
        return;
      }
      writer.close();
      try {
        upload(local, new Path(indexPath, name), conf.value());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy the shard " + name + " to " + indexPath, e);
      }
    }
  }

  private static Iterator<Row> deleteFromShard(
      String indexPath,
      String shard,
      String suffix,
      Iterator<Row> keys,
      HnswParams params,
      SerializableConfiguration conf)
      throws IOException {
    java.nio.file.Path local = download(new Path(indexPath, shard), conf.value());
    int dot = shard.indexOf(".d");
    String target = (dot < 0 ? shard : shard.substring(0, dot)) + suffix;
    long live;
    long deleted;
    try (Directory dir = FSDirectory.open(local);
        IndexWriter w =
            new IndexWriter(
                dir, HnswShardWriter.config(params, IndexWriterConfig.OpenMode.APPEND))) {
      List<Term> batch = new ArrayList<>();
      while (keys.hasNext()) {
        batch.add(new Term(HnswShardWriter.ID, keys.next().getString(1)));
        if (batch.size() == 1024) {
          w.deleteDocuments(batch.toArray(Term[]::new));
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        w.deleteDocuments(batch.toArray(Term[]::new));
      }
      w.commit();
      var stats = w.getDocStats();
      live = stats.numDocs;
      deleted = stats.maxDoc - stats.numDocs;
    }
    upload(local, new Path(indexPath, target), conf.value());
    return List.of(RowFactory.create(shard, target, live, deleted)).iterator();
  }

  private static Iterator<Row> mergeShards(
      String indexPath,
      String target,
      Iterator<Row> members,
      HnswParams params,
      SerializableConfiguration conf)
      throws IOException {
    List<java.nio.file.Path> parts = new ArrayList<>();
    while (members.hasNext()) {
      parts.add(download(new Path(indexPath, members.next().getString(1)), conf.value()));
    }
    java.nio.file.Path local = Files.createTempDirectory("synthweave-merged");
    long live;
    try (Directory dir = FSDirectory.open(local);
        IndexWriter w =
            new IndexWriter(
                dir, HnswShardWriter.config(params, IndexWriterConfig.OpenMode.CREATE))) {
      List<Directory> sources = new ArrayList<>();
      for (java.nio.file.Path p : parts) {
        sources.add(FSDirectory.open(p));
      }
      // addIndexes keeps live documents only; forceMerge(1) leaves one graph to search.
      w.addIndexes(sources.toArray(Directory[]::new));
      w.forceMerge(1);
      w.commit();
      live = w.getDocStats().numDocs;
      for (Directory d : sources) {
        d.close();
      }
    }
    for (java.nio.file.Path p : parts) {
      deleteLocal(p);
    }
    upload(local, new Path(indexPath, target), conf.value());
    return List.of(RowFactory.create((String) null, target, live, 0L)).iterator();
  }

  // ---- files ----

  /** A raw (checksum-free) view of the local file system, so shards get no .crc files. */
  private static FileSystem fs(Path p, Configuration conf) throws IOException {
    FileSystem fs = p.getFileSystem(conf);
    return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
  }

  private static void upload(java.nio.file.Path local, Path target, Configuration conf)
      throws IOException {
    FileSystem fs = fs(target, conf);
    fs.delete(target, true);
    fs.mkdirs(target);
    try (var files = Files.list(local)) {
      for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
        fs.copyFromLocalFile(
            true, true, new Path(f.toUri()), new Path(target, f.getFileName().toString()));
      }
    }
    deleteLocal(local);
  }

  private static java.nio.file.Path download(Path shard, Configuration conf) throws IOException {
    java.nio.file.Path local = Files.createTempDirectory("synthweave-shard");
    FileSystem fs = fs(shard, conf);
    if (!fs.exists(shard)) {
      throw VectorStoreErrors.missingShard(
          java.nio.file.Path.of(shard.getParent().toUri().getPath()), shard.getName());
    }
    for (var st : fs.listStatus(shard)) {
      fs.copyToLocalFile(
          false, st.getPath(), new Path(local.resolve(st.getPath().getName()).toUri()), true);
    }
    return local;
  }

  private static void deleteLocal(java.nio.file.Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (java.nio.file.Path p : walk.sorted(Collections.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static IndexDescriptor readDescriptor(String indexPath, Configuration conf) {
    Path p = new Path(indexPath, IndexDescriptor.FILE);
    try {
      FileSystem fs = fs(p, conf);
      if (!fs.exists(p)) {
        return null;
      }
      try (var in = fs.open(p)) {
        return IndexDescriptor.parse(in.readAllBytes(), p.toString());
      }
    } catch (IOException e) {
      throw VectorStoreErrors.badDescriptor(p.toString(), e.getMessage());
    }
  }

  /** Writes the descriptor next to itself, then renames it over the old one. */
  private static void writeDescriptor(String indexPath, IndexDescriptor d, Configuration conf) {
    Path p = new Path(indexPath, IndexDescriptor.FILE);
    Path tmp = new Path(indexPath, "." + IndexDescriptor.FILE + ".tmp");
    try {
      FileSystem fs = fs(p, conf);
      try (FSDataOutputStream out = fs.create(tmp, true)) {
        out.write(d.toJson());
      }
      if (fs.exists(p) && !fs.delete(p, false)) {
        throw new IOException("cannot replace " + p);
      }
      if (!fs.rename(tmp, p)) {
        throw new IOException("cannot rename " + tmp + " to " + p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the index descriptor " + p, e);
    }
  }

  private static void removeShards(String indexPath, List<String> shards, Configuration conf) {
    for (String s : shards) {
      try {
        FileSystem fs = fs(new Path(indexPath), conf);
        fs.delete(new Path(indexPath, s), true);
        fs.delete(new Path(new Path(indexPath, IDS), "shard=" + s), true);
      } catch (IOException e) {
        // The descriptor no longer lists it; a leftover folder costs disk space only.
        org.apache.logging.log4j.LogManager.getLogger(SparkVectorIndex.class)
            .warn("could not remove the replaced shard {} of {}: {}", s, indexPath, e.toString());
      }
    }
  }
}
