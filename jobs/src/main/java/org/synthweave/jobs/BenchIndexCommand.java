package org.synthweave.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.synthweave.vectors.HnswParams;
import org.synthweave.vectors.bench.FashionMnist;
import org.synthweave.vectors.bench.IndexBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synthweave bench index}: see {@link IndexBench}. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Vector index build and search on Fashion-MNIST (fashion-mnist-784-euclidean, fetched from"
          + " Debian by data/scripts/vectors/fetch-fashion-mnist.sh): our Spark-built shards with"
          + " fan-out search, one Lucene index built and searched by one thread, jvector, and"
          + " exact search, with the same M and beam width.",
      "Prints one JSON line per configuration (build_vectors_per_s, recall_at_10 and qps at"
          + " effort 100, the effort sweep, the first effort reaching recall 0.95 and 0.99) and a"
          + " summary line with the ratios; progress goes to stderr."
    })
final class BenchIndexCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(
      names = "--base",
      defaultValue = "60000",
      description = "Base vectors (of 60,000; default ${DEFAULT-VALUE}).")
  int base;

  @Option(
      names = "--queries",
      defaultValue = "1000",
      description = "Query vectors (of 10,000; default ${DEFAULT-VALUE}).")
  int queries;

  @Option(
      names = "--shards",
      defaultValue = "0",
      description = "Shards of the Spark build; 0 means one per core (default ${DEFAULT-VALUE}).")
  int shards;

  @Option(
      names = "--efforts",
      split = ",",
      defaultValue = "10,16,24,32,48,64,100,128,192,256,384,512",
      description = "Search efforts to sweep (default ${DEFAULT-VALUE}).")
  int[] efforts;

  @Option(
      names = "--passes",
      defaultValue = "5",
      description =
          "Timed passes over the queries per effort; the fastest counts (default"
              + " ${DEFAULT-VALUE}).")
  int passes;

  @Option(names = "--m", defaultValue = "16", description = "HNSW M (default ${DEFAULT-VALUE}).")
  int m;

  @Option(
      names = "--beam-width",
      defaultValue = "100",
      description = "HNSW beam width (default ${DEFAULT-VALUE}).")
  int beamWidth;

  @Option(
      names = "--quantization",
      defaultValue = "NONE",
      description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  HnswParams.Quantization quantization;

  @Option(
      names = "--configs",
      split = ",",
      defaultValue = "sharded,lucene,jvector,exact",
      description =
          "Configurations to measure, of sharded, lucene, jvector, exact (default"
              + " ${DEFAULT-VALUE}); ratios need both sides.")
  List<String> configs;

  @Override
  public void run() {
    ConfigOptions o = Main.options(spec);
    if (passes < 1) {
      throw JobErrors.atLeastOne("--passes", passes);
    }
    Path work = BenchCommand.workDir("index");
    List<String> sets = BenchCommand.benchSets(o, work);
    try (JobContext job = new JobContext("bench index", o.confFile, sets, System.err)) {
      int n = shards > 0 ? shards : job.spark().sparkContext().defaultParallelism();
      FashionMnist data = new FashionMnist(Path.of("").toAbsolutePath());
      IndexBench bench = new IndexBench(job.spark(), data, System.err);
      List<Map<String, Object>> figures =
          bench.run(
              new IndexBench.Options(
                  base,
                  queries,
                  10,
                  n,
                  new HnswParams(HnswParams.Similarity.EUCLIDEAN, m, beamWidth, quantization),
                  efforts,
                  passes,
                  work,
                  new LinkedHashSet<>(configs)));
      PrintWriter out = spec.commandLine().getOut();
      for (Map<String, Object> f : figures) {
        out.println(JSON.writeValueAsString(f));
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
