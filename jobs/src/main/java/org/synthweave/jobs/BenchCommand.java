package org.synthweave.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.Settings;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.spark.InputFiles;
import org.synthweave.ingest.IngestConfig;
import org.synthweave.ingest.crawl.CrawlDocument;
import org.synthweave.ingest.crawl.CrawlDocuments;
import org.synthweave.ingest.crawl.CrawlEntry;
import org.synthweave.ingest.crawl.CrawlFileReader;
import org.synthweave.ingest.crawl.CrawlRecord;
import org.synthweave.ingest.spark.SparkCrawlIngest;
import org.synthweave.ingest.spark.SparkTelemetryIngest;
import org.synthweave.ingest.telemetry.DeviceRegistry;
import org.synthweave.ingest.telemetry.TelemetrySchema;
import org.synthweave.ingest.telemetry.TelemetryValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synthweave bench <stage>}: benchmarks that print their figures as one JSON line. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each prints one JSON line of figures.",
    subcommands = {
      BenchCommand.Ingest.class,
      BenchEmbedCommand.class,
      BenchIndexCommand.class,
      BenchAugmentCommand.class,
      BenchArweaveCommand.class,
      BenchSynthCommand.class,
      BenchExtractCommand.class,
      BenchCheckCommand.class,
      BenchMarketRankingCommand.class,
      BenchMarketCommand.class
    })
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * A fresh scratch folder for one benchmark run, deleted when the JVM exits (index benchmarks
   * leave about 450 MB there) unless {@code SYNTHWEAVE_KEEP_BENCH_WORK=1}, which keeps it and
   * prints where it is.
   */
  static Path workDir(String bench) {
    Path dir;
    try {
      dir = Files.createTempDirectory("synthweave-bench-" + bench);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (keepWork()) {
      System.err.println("bench work folder (kept): " + dir);
    } else {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "bench-cleanup"));
    }
    return dir;
  }

  /** CPU time of this whole process (all threads, GC included). */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Whether {@code SYNTHWEAVE_KEEP_BENCH_WORK=1} asks to keep the scratch folder. */
  static boolean keepWork() {
    return "1".equals(System.getenv("SYNTHWEAVE_KEEP_BENCH_WORK"));
  }

  private static void deleteTree(Path dir) {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(p -> p.toFile().delete()); // best effort: what stays is in the temp folder
    } catch (IOException | java.io.UncheckedIOException e) {
      System.err.println("could not delete the bench work folder " + dir + ": " + e.getMessage());
    }
  }

  /**
   * The user's {@code --set} values plus a warehouse inside {@code work} (a benchmark never touches
   * the real one) and no progress lines (they would interleave with the figures).
   */
  static List<String> benchSets(ConfigOptions o, Path work) {
    List<String> sets = new ArrayList<>(o.sets);
    sets.add("warehouse=" + work.resolve("warehouse"));
    sets.add("progress.interval-ms=0");
    return sets;
  }

  /**
   * Ingest throughput against a plain single-threaded loop doing the same work on the same files in
   * the same run: for crawl data jwarc + jsoup extraction ({@link CrawlFileReader} + {@link
   * CrawlDocuments}), for telemetry a CSV line split + {@link TelemetryValidator}.
   */
  @Command(
      name = "ingest",
      mixinStandardHelpOptions = true,
      description =
          "Ingest throughput of the Spark job vs a plain single-threaded loop on the same files"
              + " (the configured inputs copied --copies times into a temp folder).")
  static final class Ingest implements Runnable {
    @Spec CommandSpec spec;

    @Option(
        names = "--copies",
        defaultValue = "10",
        description = "Copies of the configured inputs to process (default ${DEFAULT-VALUE}).")
    int copies;

    @Override
    public void run() {
      ConfigOptions o = Main.options(spec);
      Path work = workDir("ingest");
      try (JobContext job =
          new JobContext("bench ingest", o.confFile, benchSets(o, work), System.err)) {
        Settings settings = job.settings;
        IngestConfig cfg = IngestConfig.from(settings);
        SparkSession spark = job.spark();
        int cores = spark.sparkContext().defaultParallelism();
        List<Path> crawl =
            copy(
                InputFiles.list(spark, cfg.crawlInputs(), SparkCrawlIngest.ENDINGS),
                work.resolve("crawl"));
        List<Path> telemetry =
            copy(
                InputFiles.list(spark, cfg.telemetryInputs(), List.of(".csv")),
                work.resolve("telemetry"));
        Map<String, Object> fig = new LinkedHashMap<>();
        fig.put("bench", "ingest");
        fig.put("cores", cores);
        fig.put("copies", copies);
        crawlFigures(spark, job.catalog, cfg, crawl, cores, fig);
        telemetryFigures(spark, job.catalog, cfg, telemetry, cores, fig);
        PrintWriter out = spec.commandLine().getOut();
        out.println(json(fig));
        out.flush();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private void crawlFigures(
        SparkSession spark,
        TableCatalog catalog,
        IngestConfig cfg,
        List<Path> files,
        int cores,
        Map<String, Object> fig) {
      long bytes = size(files);
      // Plain loop first (also warms the JIT for the shared extraction code).
      long t0 = System.nanoTime();
      long c0 = cpuNanos();
      long plainDocs = extractAll(files);
      double plainS = (System.nanoTime() - t0) / 1e9;
      fig.put("plain_cpu_s", round((cpuNanos() - c0) / 1e9));
      // The same loop on one thread per core, each over every cores-th file: what the machine
      // gives without Spark, to tell Spark's overhead from the cores' own scaling.
      long tp = System.nanoTime();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(cores);
      try {
        List<java.util.concurrent.Future<Long>> parts = new ArrayList<>();
        for (int c = 0; c < cores; c++) {
          int offset = c;
          parts.add(
              pool.submit(
                  () -> {
                    List<Path> mine = new ArrayList<>();
                    for (int i = offset; i < files.size(); i += cores) {
                      mine.add(files.get(i));
                    }
                    return extractAll(mine);
                  }));
        }
        long n = 0;
        for (java.util.concurrent.Future<Long> f : parts) {
          n += f.get();
        }
        fig.put("plain_threads_docs_per_s", round(n / ((System.nanoTime() - tp) / 1e9)));
      } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("plain multi-threaded loop failed", e);
      } finally {
        pool.shutdownNow();
      }
      RunSummary summary = new RunSummary("bench", "bench", Instant.now());
      long t1 = System.nanoTime();
      long c1 = cpuNanos();
      new SparkCrawlIngest(spark, catalog, cfg).ingest(uris(files), summary);
      double oursS = (System.nanoTime() - t1) / 1e9;
      fig.put("crawl_cpu_s", round((cpuNanos() - c1) / 1e9));
      long docsIn = summary.total(SparkCrawlIngest.STAGE).in();
      double ours = docsIn / oursS;
      double plain = plainDocs / plainS;
      fig.put("crawl_files", files.size());
      fig.put("crawl_mb", round(bytes / 1e6));
      fig.put("docs", docsIn);
      fig.put("docs_per_s", round(ours));
      fig.put("mb_per_s", round(bytes / 1e6 / oursS));
      fig.put("plain_docs_per_s_per_core", round(plain));
      fig.put("ratio_per_core", round(ours / cores / plain));
      fig.put("crawl_phases", summary.notes().get("crawl phases"));
    }

    /** The plain loop: read every record and extract it; returns the documents extracted. */
    private static long extractAll(List<Path> files) {
      long docs = 0;
      for (Path f : files) {
        try (CrawlFileReader r = CrawlFileReader.open(f)) {
          while (r.hasNext()) {
            CrawlEntry e = r.next();
            if (e instanceof CrawlRecord rec
                && CrawlDocuments.toDocument(rec) instanceof CrawlDocument) {
              docs++;
            }
          }
        }
      }
      return docs;
    }

    private void telemetryFigures(
        SparkSession spark,
        TableCatalog catalog,
        IngestConfig cfg,
        List<Path> files,
        int cores,
        Map<String, Object> fig)
        throws IOException {
      long bytes = size(files);
      TelemetrySchema schema = TelemetrySchema.load(Paths.get(cfg.telemetrySchema()));
      DeviceRegistry registry = DeviceRegistry.load(Paths.get(cfg.telemetryDevices()));
      TelemetryValidator validator =
          new TelemetryValidator(schema, registry, Clock.fixed(Instant.now(), ZoneOffset.UTC));
      long t0 = System.nanoTime();
      long plainRows = 0;
      for (Path f : files) {
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
          String[] header = r.readLine().split(",", -1);
          String line;
          while ((line = r.readLine()) != null) {
            String[] v = line.split(",", -1);
            Map<String, String> raw = new LinkedHashMap<>();
            for (int i = 0; i < header.length && i < v.length; i++) {
              raw.put(header[i], v[i].isEmpty() ? null : v[i]);
            }
            validator.validate(raw, f.toString(), plainRows);
            plainRows++;
          }
        }
      }
      double plainS = (System.nanoTime() - t0) / 1e9;
      RunSummary summary = new RunSummary("bench", "bench", Instant.now());
      long t1 = System.nanoTime();
      new SparkTelemetryIngest(spark, catalog, cfg).ingest(uris(files), summary);
      double oursS = (System.nanoTime() - t1) / 1e9;
      long rowsIn = summary.total(SparkTelemetryIngest.STAGE).in();
      double ours = rowsIn / oursS;
      double plain = plainRows / plainS;
      fig.put("telemetry_rows", rowsIn);
      fig.put("telemetry_rows_per_s", round(ours));
      fig.put("telemetry_mb_per_s", round(bytes / 1e6 / oursS));
      fig.put("telemetry_plain_rows_per_s_per_core", round(plain));
      fig.put("telemetry_ratio_per_core", round(ours / cores / plain));
      fig.put("telemetry_phases", summary.notes().get("telemetry phases"));
    }

    private List<Path> copy(List<String> sources, Path dir) throws IOException {
      Files.createDirectories(dir);
      List<Path> out = new ArrayList<>();
      for (int c = 0; c < copies; c++) {
        for (String s : sources) {
          Path src = Paths.get(URI.create(s));
          Path dst = dir.resolve("copy" + c + "-" + src.getFileName());
          Files.copy(src, dst);
          out.add(dst);
        }
      }
      return out;
    }

    private static List<String> uris(List<Path> files) {
      return files.stream().map(p -> p.toUri().toString()).toList();
    }

    private static long size(List<Path> files) {
      long n = 0;
      for (Path p : files) {
        try {
          n += Files.size(p);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return n;
    }

    private static double round(double v) {
      return Math.round(v * 1000) / 1000.0;
    }

    private static String json(Map<String, Object> m) {
      StringBuilder sb = new StringBuilder("{");
      m.forEach(
          (k, v) -> {
            if (sb.length() > 1) {
              sb.append(',');
            }
            sb.append('"').append(k).append("\":");
            sb.append(
                v instanceof String s ? "\"" + s + "\"" : String.format(Locale.ROOT, "%s", v));
          });
      return sb.append('}').toString();
    }
  }
}
