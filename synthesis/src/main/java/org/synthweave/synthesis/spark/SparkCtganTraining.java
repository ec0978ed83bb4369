package org.synthweave.synthesis.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.synthweave.synthesis.ctgan.CtganOptions;
import org.synthweave.synthesis.ctgan.CtganTrainer;
import org.synthweave.synthesis.ctgan.EpochRunner;
import org.synthweave.synthesis.ctgan.LocalTrainer;
import org.synthweave.synthesis.ctgan.ParamState;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.data.EncodedTable;
import org.synthweave.synthesis.data.Seeds;
import scala.Tuple2;

/**
 * Data-parallel CTGAN training with local steps: the table is encoded once into one cached block
 * per partition; each round the driver broadcasts the state (weights, batch-norm statistics, Adam
 * moments), every partition trains its own copy for its share of the epoch's steps on its rows, and
 * the driver averages the copies weighted by their rows. Per-step gradient exchange would cost a
 * Spark job (tens of milliseconds of scheduling) per step; a round costs one job for many steps.
 */
public final class SparkCtganTraining implements EpochRunner, AutoCloseable {
  private final JavaSparkContext jsc;
  private final DataTransformer transformer;
  private final CtganOptions options;
  private final long seed;
  private final int rounds;
  private final int threads;
  private final JavaRDD<EncodedTable> blocks;
  private final long[] rowsPerPartition;
  private final long totalRows;

  public SparkCtganTraining(
      Dataset<Row> rows,
      List<ColumnSpec> specs,
      DataTransformer transformer,
      CtganOptions options,
      long seed,
      int partitions,
      int rounds,
      int threads) {
    this.jsc = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
    this.transformer = transformer;
    this.options = options;
    this.seed = seed;
    this.rounds = rounds;
    this.threads = threads;
    DataTransformer t = transformer;
    long s = seed;
    this.blocks =
        rows.repartition(partitions)
            .javaRDD()
            .mapPartitionsWithIndex(
                (Integer p, Iterator<Row> it) -> {
                  List<Object[]> local = new ArrayList<>();
                  while (it.hasNext()) {
                    local.add(SparkTableSpecs.values(it.next(), specs));
                  }
                  SplittableRandom rnd = new SplittableRandom(Seeds.mix(s, 0x656e63L, p));
                  return List.of(EncodedTable.encode(t, local, rnd)).iterator();
                },
                true)
            .persist(StorageLevel.MEMORY_AND_DISK());
    List<Integer> counts = blocks.map(EncodedTable::rows).collect();
    this.rowsPerPartition = counts.stream().mapToLong(Integer::longValue).toArray();
    this.totalRows = java.util.Arrays.stream(rowsPerPartition).sum();
  }

  public long rows() {
    return totalRows;
  }

  /** Local steps partition {@code p} runs per round: its share of the epoch's steps. */
  int stepsFor(int p) {
    int perEpoch = CtganTrainer.stepsPerEpoch(totalRows, options);
    return (int)
        Math.max(1, Math.round((double) perEpoch * rowsPerPartition[p] / totalRows / rounds));
  }

  @Override
  public LocalTrainer.Result runEpoch(ParamState state, int epoch) {
    LocalTrainer.Losses losses = LocalTrainer.Losses.NONE;
    for (int r = 0; r < rounds; r++) {
      Broadcast<ParamState> bc = jsc.broadcast(state);
      int[] steps = new int[rowsPerPartition.length];
      for (int p = 0; p < steps.length; p++) {
        steps[p] = stepsFor(p);
      }
      DataTransformer t = transformer;
      CtganOptions o = options;
      long s = seed;
      int round = r;
      int th = threads;
      List<Tuple2<Integer, LocalTrainer.Result>> results =
          blocks
              .mapPartitionsWithIndex(
                  (Integer p, Iterator<EncodedTable> it) -> {
                    EncodedTable block = it.next();
                    if (block.rows() == 0) {
                      return List.<Tuple2<Integer, LocalTrainer.Result>>of().iterator();
                    }
                    SplittableRandom rnd = new SplittableRandom(Seeds.mix(s, epoch, round, p));
                    LocalTrainer.Result res =
                        new LocalTrainer(t, o, block, th).run(bc.value(), steps[p], rnd);
                    return List.of(new Tuple2<>(p, res)).iterator();
                  },
                  true)
              .collect();
      List<ParamState> states = new ArrayList<>();
      double[] weights = new double[results.size()];
      for (int i = 0; i < results.size(); i++) {
        Tuple2<Integer, LocalTrainer.Result> res = results.get(i);
        states.add(res._2().state());
        weights[i] = rowsPerPartition[res._1()];
        losses = losses.plus(res._2().losses());
      }
      state = ParamState.average(states, weights);
      bc.destroy();
    }
    return new LocalTrainer.Result(state, losses);
  }

  @Override
  public void close() {
    blocks.unpersist(false);
  }
}
