package org.synthweave.jobs;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.ingest.IngestConfig;
import org.synthweave.ingest.table.SparkTableIngest;
import org.synthweave.verification.checks.Check;
import org.synthweave.verification.checks.CheckResult;
import org.synthweave.verification.checks.DatasetChecks;
import org.synthweave.verification.checks.SparkChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code synthweave bench check}: the data checks of the largest bundled sample table computed in
 * one aggregation pass vs one Spark job per check, in the same run on the same Delta table.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Data check throughput on the largest bundled sample table (lending-club, ingested into a"
          + " scratch warehouse): 12 data checks (row count, completeness, uniqueness, ranges,"
          + " domains) computed in one aggregation pass vs one Spark job per check. Prints one"
          + " JSON line: metrics per second of each way, wall and process CPU time (medians of"
          + " --repeats runs after one warm-up each), and the speed-up."
    })
final class BenchCheckCommand implements Runnable {
  static final String TABLE_FILE = "lending-club.csv";

  @Spec CommandSpec spec;

  @Option(
      names = "--repeats",
      defaultValue = "5",
      description = "Timed runs of each way, alternating (default ${DEFAULT-VALUE}).")
  int repeats;

  @Option(
      names = "--samples",
      defaultValue = "data/samples/tables",
      paramLabel = "DIR",
      description = "Folder holding " + TABLE_FILE + " (default ${DEFAULT-VALUE}).")
  Path samples;

  @Override
  public void run() {
    if (repeats < 1) {
      throw JobErrors.atLeastOne("--repeats", repeats);
    }
    ConfigOptions o = Main.options(spec);
    List<String> sets = BenchCommand.benchSets(o, BenchCommand.workDir("check"));
    // A missing file is reported by ingest, which names the path it looked for.
    Path csv = samples.resolve(TABLE_FILE).toAbsolutePath();
    try (JobContext job = new JobContext("bench check", o.confFile, sets, System.err)) {
      SparkSession spark = job.spark();
      String name = SynthSuite.tableName(TABLE_FILE.replace(".csv", ""));
      new SparkTableIngest(spark, job.catalog, IngestConfig.from(job.settings).rawMaxBytes())
          .ingest(name, List.of(csv.toString()), null, null, job.summary);
      String table = TableCatalog.silver(name);
      DatasetChecks checks = new DatasetChecks(name, table, checks());
      Dataset<Row> df = spark.read().format("delta").load(job.catalog.path(table));

      Supplier<List<CheckResult>> onePass = () -> SparkChecks.run(df, checks);
      Supplier<List<CheckResult>> perCheck =
          () -> {
            List<CheckResult> all = new ArrayList<>();
            for (Check c : checks.checks()) {
              all.addAll(SparkChecks.run(df, new DatasetChecks(name, table, List.of(c))));
            }
            return all;
          };
      List<CheckResult> first = onePass.get(); // warm-up of each way
      boolean same = first.equals(perCheck.get());
      double[][] one = new double[2][repeats];
      double[][] sep = new double[2][repeats];
      for (int i = 0; i < repeats; i++) {
        // Alternating, so drift in the machine's load touches both ways alike.
        time(onePass, one, i);
        time(perCheck, sep, i);
      }
      int metrics = first.size();
      double oneS = median(one[0]);
      double sepS = median(sep[0]);
      Map<String, Object> fig = new LinkedHashMap<>();
      fig.put("bench", "check");
      fig.put("table", table);
      fig.put("rows", (long) first.get(0).value());
      fig.put("checks", checks.checks().size());
      fig.put("metrics", metrics);
      fig.put("cores", spark.sparkContext().defaultParallelism());
      fig.put("repeats", repeats);
      fig.put("one_pass_s", round(oneS));
      fig.put("one_pass_cpu_s", round(median(one[1])));
      fig.put("per_check_s", round(sepS));
      fig.put("per_check_cpu_s", round(median(sep[1])));
      fig.put("one_pass_metrics_per_s", round(metrics / oneS));
      fig.put("per_check_metrics_per_s", round(metrics / sepS));
      fig.put("speedup", round(sepS / oneS));
      fig.put("cpu_ratio", round(median(sep[1]) / median(one[1])));
      fig.put("same_results", same);
      PrintWriter out = spec.commandLine().getOut();
      out.println(BenchSynthCommand.json(fig));
      out.flush();
    }
  }

  /** Twelve data checks of the lending-club table; schema checks read no data, so none here. */
  private static List<Check> checks() {
    return List.of(
        new Check.Rows(1, 10_000_000),
        new Check.Complete("funded_amnt", 1.0),
        new Check.Complete("int_rate", 1.0),
        new Check.Complete("annual_inc", 1.0),
        new Check.Complete("revol_util", 0.99),
        new Check.Unique(SparkTableIngest.ROW_ID),
        new Check.Range("funded_amnt", 0, 10_000_000),
        new Check.Range("int_rate", 0, 100),
        new Check.Range("annual_inc", 0, 1e9),
        new Check.Range("revol_util", 0, 1000),
        new Check.Domain("term", List.of("term_36", "term_60")),
        new Check.Domain("Class", List.of("good", "bad")));
  }

  private static void time(Supplier<List<CheckResult>> run, double[][] into, int i) {
    long t0 = System.nanoTime();
    long c0 = BenchCommand.cpuNanos();
    run.get();
    into[0][i] = (System.nanoTime() - t0) / 1e9;
    into[1][i] = (BenchCommand.cpuNanos() - c0) / 1e9;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
