package org.synthweave.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.synthweave.augmentation.AugmentationConfig;
import org.synthweave.augmentation.DatasetSpec;
import org.synthweave.augmentation.OpSpec;
import org.synthweave.augmentation.spark.SparkAugmentation;
import org.synthweave.core.ContentIds;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.Versions;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.Settings;
import org.synthweave.core.spark.Columns;
import org.synthweave.synthesis.SynthesisConfig;
import org.synthweave.synthesis.model.ModelFiles;
import org.synthweave.synthesis.spark.SparkSynthesis;
import org.synthweave.verification.Certificate;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.ManifestVerifier;
import org.synthweave.verification.VerificationReport;
import org.synthweave.verification.card.CardInfo;
import org.synthweave.verification.card.CroissantCard;
import org.synthweave.verification.synthetic.SyntheticReport;

/**
 * Rebuilds a published dataset from what its signed manifest records and compares the result file
 * by file ({@code synthweave reproduce}). Three levels, each reported per file:
 *
 * <ol>
 *   <li>the folder against its manifest (sizes, SHA-256, signature), as {@code verify} does;
 *   <li>the export: the recorded Delta table version read by time travel and written again by
 *       {@link DatasetExport#writeFiles}, the code that wrote it, with the card's own descriptive
 *       text; every file's SHA-256 and the Merkle root must equal the manifest's;
 *   <li>the rows recomputed from their inputs: an augmented table's runs (recorded seed and op list
 *       on the recorded source version), a synthetic table's samples (the recorded model, its
 *       files' SHA-256 checked, with the recorded seed and row count), written by the same export
 *       code and compared with the manifest's Parquet files.
 * </ol>
 *
 * What cannot be done on this machine (a model folder that is gone, a source version that was
 * vacuumed, a dataset the configuration does not declare) is reported with the reason, never passed
 * over.
 */
final class DatasetReproduction {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Most sampling tasks {@link #samplePartitions} looks for. */
  static final int MAX_SAMPLE_PARTITIONS = 4096;

  /**
   * How to reproduce.
   *
   * @param model a model folder to sample from instead of the one under the warehouse; null for
   *     that one
   */
  record Options(Path model) {}

  private final SparkSession spark;
  private final TableCatalog catalog;
  private final Settings settings;
  private final Path folder;
  private final Path work;
  private final Options options;
  private final PrintStream progress;
  private final DatasetManifest manifest;
  private final List<ReproductionReport.Part> parts = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private DatasetReproduction(
      SparkSession spark,
      TableCatalog catalog,
      Settings settings,
      Path folder,
      Path work,
      Options options,
      PrintStream progress) {
    this.spark = spark;
    this.catalog = catalog;
    this.settings = settings;
    this.folder = folder;
    this.work = work;
    this.options = options;
    this.progress = progress;
    this.manifest = DatasetManifest.readFrom(folder);
  }

  /**
   * Reproduces the dataset in {@code folder}, writing what it rebuilds under {@code work} (an empty
   * folder the caller removes afterwards).
   */
  static ReproductionReport reproduce(
      SparkSession spark,
      TableCatalog catalog,
      Settings settings,
      Path folder,
      Path work,
      Options options,
      PrintStream progress) {
    DatasetReproduction r =
        new DatasetReproduction(spark, catalog, settings, folder, work, options, progress);
    boolean folderIntact = r.checkFolder();
    boolean exportMatches = r.rebuildExport();
    Path published = folderIntact ? folder : exportMatches ? work.resolve("export") : null;
    r.recompute(published);
    DatasetManifest m = r.manifest;
    return new ReproductionReport(
        m.dataset(), m.version(), m.provenance().sourceTable(), m.tableVersion(), r.parts, r.notes);
  }

  // ---- level 1: the folder ----

  /** Adds the folder's problems; returns whether its data files are the ones the manifest lists. */
  private boolean checkFolder() {
    VerificationReport v = ManifestVerifier.verify(folder);
    if (v.problems().isEmpty()) {
      part(
          ReproductionReport.Level.FOLDER,
          DatasetManifest.FILE_NAME,
          null,
          null,
          ReproductionReport.Status.MATCH,
          true,
          v.filesChecked() + " files as listed, signed by " + v.signer());
      return true;
    }
    boolean dataIntact = true;
    for (VerificationReport.Problem p : v.problems()) {
      String path = p.path() == null ? DatasetManifest.FILE_NAME : p.path();
      part(
          ReproductionReport.Level.FOLDER,
          path,
          null,
          null,
          ReproductionReport.Status.MISMATCH,
          true,
          p.kind() + ": " + p.detail());
      if (path.endsWith(".parquet")
          || p.kind() == VerificationReport.Kind.MALFORMED_MANIFEST
          || p.kind() == VerificationReport.Kind.BAD_SIGNATURE
          || p.kind() == VerificationReport.Kind.UNSIGNED) {
        dataIntact = false;
      }
    }
    return dataIntact;
  }

  // ---- level 2: the export ----

  /** Rebuilds the export and compares it; returns whether every data file came out the same. */
  private boolean rebuildExport() {
    String table = manifest.provenance().sourceTable();
    long version = manifest.tableVersion();
    if (!Versions.codeVersion().equals(manifest.provenance().codeVersion())) {
      notes.add(
          "the export was made by synthweave "
              + manifest.provenance().codeVersion()
              + ", this is "
              + Versions.codeVersion()
              + ": another Parquet writer or export layout gives other bytes for the same rows");
    }
    Path dir = work.resolve("export");
    String cardWhy = null;
    CardInfo info = null;
    boolean hasCard =
        manifest.files().stream().anyMatch(f -> f.path().equals(CroissantCard.FILE_NAME));
    if (hasCard) {
      try {
        info =
            CroissantCard.readInfo(
                JSON.readTree(folder.resolve(CroissantCard.FILE_NAME).toFile()), table);
      } catch (IOException | IllegalArgumentException e) {
        cardWhy =
            "the card's title, description, license, creator, keywords and date are read from the"
                + " published croissant.json, which cannot be read: "
                + e.getMessage();
      }
    }
    DatasetExport.Written written = null;
    String why = null;
    progress.println("reproduce: rebuilding the export of " + table + " version " + version);
    try {
      Dataset<Row> df = DatasetExport.withoutColumnMapping(readVersion(table, version));
      Files.createDirectories(dir);
      written =
          info != null
              ? DatasetExport.writeFiles(spark, df, dir, info)
              : new DatasetExport.Written(
                  DatasetExport.writeData(spark, df, dir), df.schema().json(), Map.of());
    } catch (Unreadable e) {
      why = e.getMessage();
    } catch (SynthweaveException e) {
      throw e;
    } catch (Exception e) { // Spark's checked exceptions surface through Scala
      why = unreadable(table, version, e);
    }
    List<DatasetManifest.FileEntry> rebuilt = new ArrayList<>();
    if (written != null) {
      rebuilt.addAll(written.files());
      if (find(manifest.files(), SyntheticReport.FIDELITY_PATH) != null) {
        // Copied from the evaluation, as the export does: not rebuilt from the rows.
        rebuilt.addAll(
            DatasetExport.writeFidelity(catalog, table, manifest.certificate(), dir, progress));
      }
    }
    List<DatasetManifest.FileEntry> asPublished = new ArrayList<>();
    boolean dataMatches = why == null;
    for (DatasetManifest.FileEntry f : manifest.files()) {
      boolean card = !f.path().endsWith(".parquet");
      if (why == null
          && f.path().equals(SyntheticReport.FIDELITY_PATH)
          && find(rebuilt, f.path()) == null) {
        asPublished.add(f);
        part(
            ReproductionReport.Level.EXPORT,
            f.path(),
            f.sha256(),
            null,
            ReproductionReport.Status.NOT_CHECKED,
            false,
            "the synthetic evaluation's plot data, copied into the export from evaluate-synthetic's"
                + " fidelity.json: this warehouse holds none of the certified evaluation (run"
                + " evaluate-synthetic as the certificate records to compare it)");
        continue;
      }
      if (why != null || (card && info == null)) {
        part(
            ReproductionReport.Level.EXPORT,
            f.path(),
            f.sha256(),
            null,
            ReproductionReport.Status.NOT_CHECKED,
            true,
            why != null ? why : cardWhy);
        dataMatches &= card;
        continue;
      }
      boolean same = compare(ReproductionReport.Level.EXPORT, f, find(rebuilt, f.path()));
      dataMatches &= card || same;
    }
    for (DatasetManifest.FileEntry r : rebuilt) {
      if (find(manifest.files(), r.path()) == null) {
        dataMatches = false;
        part(
            ReproductionReport.Level.EXPORT,
            r.path(),
            null,
            r.sha256(),
            ReproductionReport.Status.MISMATCH,
            true,
            "the rebuild wrote this file (" + r.rows() + " rows); the manifest lists no such file");
      }
    }
    if (written != null && !written.schema().equals(manifest.schema())) {
      part(
          ReproductionReport.Level.EXPORT,
          "schema",
          manifest.schemaHash(),
          ContentIds.sha256Hex(written.schema()),
          ReproductionReport.Status.MISMATCH,
          true,
          "the table version's schema is not the one the manifest records: " + written.schema());
    }
    if (why != null || (hasCard && info == null)) {
      part(
          ReproductionReport.Level.EXPORT,
          "merkle root",
          manifest.merkleRoot(),
          null,
          ReproductionReport.Status.NOT_CHECKED,
          true,
          "not every file could be rebuilt");
    } else {
      List<DatasetManifest.FileEntry> sorted = new ArrayList<>(rebuilt);
      sorted.addAll(asPublished);
      sorted.sort(java.util.Comparator.comparing(DatasetManifest.FileEntry::path));
      String root = DatasetManifest.merkleRootOf(sorted);
      boolean same = root.equals(manifest.merkleRoot());
      part(
          ReproductionReport.Level.EXPORT,
          "merkle root",
          manifest.merkleRoot(),
          root,
          same ? ReproductionReport.Status.MATCH : ReproductionReport.Status.MISMATCH,
          true,
          (same ? sorted.size() + " files" : "the rebuilt files give another root")
              + (asPublished.isEmpty()
                  ? ""
                  : " (with " + SyntheticReport.FIDELITY_PATH + " as published)"));
    }
    return dataMatches;
  }

  /** Adds the comparison of {@code expected} with {@code actual}; returns whether they match. */
  private boolean compare(
      ReproductionReport.Level level,
      DatasetManifest.FileEntry expected,
      DatasetManifest.FileEntry actual) {
    if (actual == null) {
      part(
          level,
          expected.path(),
          expected.sha256(),
          null,
          ReproductionReport.Status.MISMATCH,
          true,
          "the rebuild wrote no such file");
      return false;
    }
    boolean same = actual.sha256().equals(expected.sha256());
    String detail;
    if (same) {
      detail =
          (expected.path().endsWith(".parquet") ? actual.rows() + " rows, " : "")
              + actual.bytes()
              + " bytes";
    } else if (expected.path().endsWith(".parquet") && actual.rows() != expected.rows()) {
      detail =
          "other rows: the manifest records "
              + expected.rows()
              + " rows, the rebuild has "
              + actual.rows();
    } else if (expected.path().endsWith(".parquet")) {
      detail =
          "same row count ("
              + actual.rows()
              + "), other bytes ("
              + expected.bytes()
              + " vs "
              + actual.bytes()
              + "): some values differ";
    } else {
      detail =
          "other text ("
              + expected.bytes()
              + " vs "
              + actual.bytes()
              + " bytes): it describes other data files or another schema";
    }
    part(
        level,
        expected.path(),
        expected.sha256(),
        actual.sha256(),
        same ? ReproductionReport.Status.MATCH : ReproductionReport.Status.MISMATCH,
        true,
        detail);
    return same;
  }

  // ---- level 3: recompute from the inputs ----

  /** Recomputes the rows of an augmented or synthetic table; {@code published}: their folder. */
  private void recompute(Path published) {
    StructType schema = (StructType) DataType.fromJson(manifest.schema());
    Set<String> columns = Set.of(schema.fieldNames());
    boolean synthetic = columns.containsAll(List.of("generator", "seed", "origin"));
    boolean augmented = columns.containsAll(List.of(SparkAugmentation.SEED, SparkAugmentation.OPS));
    if (!synthetic && options.model() != null) {
      notes.add("--model " + options.model() + " is not used: the table is not a synthetic one");
    }
    if (!synthetic && !augmented) {
      notes.add(
          "the rows record no generator or augmentation run, so there is nothing upstream to"
              + " recompute: the export rebuild above is the whole check");
      return;
    }
    String what = synthetic ? "synthetic sample" : "augmentation";
    Certificate c = manifest.certificate();
    if (c == null) {
      notRecomputed(
          "the manifest has no certificate (it predates them), so the "
              + what
              + "'s model, seeds and inputs are not recorded");
      return;
    }
    if (published == null) {
      notRecomputed(
          "neither the folder's Parquet files nor the rebuilt ones are those of the manifest, so"
              + " the published rows (their row counts and ids per seed) are unknown here");
      return;
    }
    Dataset<Row> rows = readData(published, schema);
    progress.println("reproduce: recomputing the " + what + " from its recorded inputs");
    Recomputed r = synthetic ? sample(c, rows) : augment(c, rows);
    try {
      if (r.why() != null) {
        notRecomputed(r.why());
        return;
      }
      compareRows(r.rows(), schema, rows);
    } catch (SynthweaveException e) {
      throw e;
    } catch (Exception e) { // e.g. an input file deleted between planning and writing
      String why = "recomputing the rows failed: " + rootMessage(e);
      if (parts.stream().anyMatch(p -> p.level() == ReproductionReport.Level.RECOMPUTE)) {
        notes.add(why);
      } else {
        notRecomputed(why);
      }
    } finally {
      r.release().run();
    }
  }

  /** The recomputed rows, or why there are none; {@code release} frees what they cached. */
  private record Recomputed(Dataset<Row> rows, String why, Runnable release) {
    static Recomputed not(String why) {
      return new Recomputed(null, why, () -> {});
    }
  }

  private void notRecomputed(String why) {
    for (DatasetManifest.FileEntry f : manifest.dataFiles()) {
      part(
          ReproductionReport.Level.RECOMPUTE,
          f.path(),
          f.sha256(),
          null,
          ReproductionReport.Status.NOT_CHECKED,
          false,
          why);
    }
  }

  /**
   * Samples again from every recorded model with every recorded seed, as many rows as the export
   * holds of that model and seed, in as many tasks as drew them.
   */
  private Recomputed sample(Certificate c, Dataset<Row> published) {
    List<Certificate.Model> models = c.provenance().models();
    if (models.isEmpty()) {
      return Recomputed.not("the certificate names no model for the generator column");
    }
    String name = manifest.provenance().sourceTable();
    name = name.substring(name.indexOf('/') + 1);
    String dataset =
        name.endsWith(DatasetCertification.SYNTHETIC_SUFFIX)
            ? name.substring(0, name.length() - DatasetCertification.SYNTHETIC_SUFFIX.length())
            : name;
    SynthesisConfig cfg = SynthesisConfig.from(settings);
    List<String> why = new ArrayList<>();
    List<Dataset<Row>> samples = new ArrayList<>();
    for (Certificate.Model model : models) {
      Path dir =
          options.model() != null
              ? options.model()
              : DatasetCertification.modelDir(catalog, dataset, model.id());
      String bad = checkModel(model, dir);
      if (bad != null) {
        why.add(bad);
        continue;
      }
      SparkSynthesis synth = new SparkSynthesis(spark, catalog, cfg, progress);
      ModelFiles.Loaded loaded = synth.load(dir.toString());
      for (long seed : model.seeds()) {
        Dataset<Row> drawn =
            published.where(
                Columns.col("generator")
                    .equalTo(model.id())
                    .and(Columns.col("seed").equalTo(seed)));
        long n = drawn.count();
        int tasks = samplePartitions(drawn, model.id(), seed, n, cfg.samplePartitions());
        notes.add(
            "model "
                + model.id()
                + " (files in "
                + dir
                + ", SHA-256 as certified), seed "
                + seed
                + ": "
                + n
                + " rows drawn again in "
                + tasks
                + " sampling tasks (found from the rows' ids); a --condition given at sampling"
                + " time is not recorded, so none is used");
        samples.add(
            new SparkSynthesis(spark, catalog, cfg.withSamplePartitions(tasks), progress)
                .sample(loaded, dir.toString(), n, seed, null));
      }
    }
    if (!why.isEmpty()) {
      return Recomputed.not(String.join("; ", why));
    }
    List<String> learned =
        c.provenance().tables().stream()
            .filter(
                t ->
                    t.role().equals(DatasetCertification.ROLE_REAL)
                        && Certificate.Upstream.RECORDED.equals(t.basis()))
            .map(t -> t.table() + " version " + t.version())
            .distinct()
            .toList();
    if (!learned.isEmpty()) {
      notes.add(
          "the certified models learned from "
              + String.join(", ", learned)
              + " (recorded in the commits that added the rows); sampling draws from the model"
              + " files and does not read it");
    }
    Dataset<Row> all = samples.get(0);
    for (Dataset<Row> s : samples.subList(1, samples.size())) {
      all = all.unionByName(s);
    }
    return new Recomputed(all, null, () -> {});
  }

  /** Why {@code dir} does not hold {@code model} as certified; null when it does. */
  private static String checkModel(Certificate.Model model, Path dir) {
    if (model.files().isEmpty()) {
      return "model "
          + model.id()
          + ": the certificate holds no SHA-256 of its files ("
          + model.note()
          + "), so no model can be shown to be it";
    }
    for (Map.Entry<String, String> f : model.files().entrySet()) {
      Path file = dir.resolve(f.getKey());
      if (!Files.isRegularFile(file)) {
        return "model "
            + model.id()
            + " is not on this machine: there is no "
            + file
            + " (pass --model DIR with a copy of the model folder)";
      }
      String sha = DatasetManifest.FileEntry.describe(dir, f.getKey(), 0).sha256();
      if (!sha.equals(f.getValue())) {
        return "model "
            + model.id()
            + ": "
            + file
            + " has SHA-256 "
            + sha
            + ", the certificate records "
            + f.getValue()
            + " (the folder holds another model, e.g. retrained since)";
      }
    }
    return null;
  }

  /**
   * The number of tasks that sampled {@code rows} (of one model and seed): row {@code i} of task
   * {@code p} has the id SHA-256("model/seed/p/i"), so the tasks are those whose first row's id is
   * present. {@code configured} when no such id is (the rows came from another sampler).
   */
  static int samplePartitions(
      Dataset<Row> rows, String modelId, long seed, long count, int configured) {
    int most = (int) Math.min(count, MAX_SAMPLE_PARTITIONS);
    Map<String, Integer> firstRow = new TreeMap<>();
    for (int p = 0; p < most; p++) {
      firstRow.put(ContentIds.sha256Hex(modelId + "/" + seed + "/" + p + "/0"), p);
    }
    if (firstRow.isEmpty()) {
      return configured;
    }
    int tasks = 0;
    for (Row r :
        rows.select(Columns.col("id"))
            .where(Columns.col("id").isin(firstRow.keySet().toArray()))
            .collectAsList()) {
      tasks = Math.max(tasks, firstRow.get(r.getString(0)) + 1);
    }
    return tasks == 0 ? configured : tasks;
  }

  /**
   * Runs every recorded augmentation run (seed, op list) again on the recorded source version, with
   * the dataset's other fields from this configuration.
   */
  private Recomputed augment(Certificate c, Dataset<Row> published) {
    String name = manifest.provenance().sourceTable();
    name = name.substring(name.indexOf('/') + 1);
    if (name.endsWith(DatasetCertification.AUGMENTED_SUFFIX)) {
      name = name.substring(0, name.length() - DatasetCertification.AUGMENTED_SUFFIX.length());
    }
    AugmentationConfig cfg;
    DatasetSpec spec;
    try {
      cfg = AugmentationConfig.from(settings);
      spec = cfg.spec(name);
    } catch (SynthweaveException e) {
      return Recomputed.not(
          "the certificate records each run's seed and op list, but the dataset's other fields"
              + " (source, kind, label, copies, constraints) come from augment.dataset."
              + name
              + ", which this configuration does not declare; run reproduce with the"
              + " publisher's configuration (--conf FILE)");
    }
    List<Certificate.Upstream> sources =
        c.provenance().tables().stream()
            .filter(t -> t.role().equals(DatasetCertification.ROLE_SOURCE))
            .toList();
    Certificate.Upstream source =
        sources.stream().filter(t -> t.version() != null).findFirst().orElse(null);
    if (source == null) {
      return Recomputed.not(
          "the certificate records no version of the source table"
              + (sources.isEmpty()
                  ? ""
                  : " " + sources.get(0).table() + " (" + sources.get(0).basis() + ")"));
    }
    if (!source.table().equals(spec.source())) {
      return Recomputed.not(
          "augment.dataset."
              + name
              + ".source is "
              + spec.source()
              + " here, the certificate records "
              + source.table()
              + "; the source is part of every row's id");
    }
    if (c.provenance().augment().isEmpty()) {
      return Recomputed.not("the certificate records no augmentation run");
    }
    if (!settings.hash().equals(c.provenance().configHash())) {
      notes.add(
          "this configuration is not the publisher's (config hash "
              + abbreviated(settings.hash())
              + " here, "
              + abbreviated(c.provenance().configHash())
              + " recorded): augment.dataset."
              + name
              + " fields other than the op list and seed are taken from it");
    }
    List<SparkAugmentation.Plan> plans = new ArrayList<>();
    Runnable release = () -> plans.forEach(SparkAugmentation.Plan::release);
    Map<List<Object>, Set<String>> runsOf = runIds(published);
    Certificate.Upstream reading = source;
    try {
      Dataset<Row> all = null;
      for (Certificate.AugmentRun run : c.provenance().augment()) {
        List<Object> raw = JSON.readValue(run.ops(), new TypeReference<List<Object>>() {});
        List<OpSpec> ops = OpSpec.parseList(name, spec.kind(), raw);
        if (!OpSpec.describe(ops).equals(run.ops())) {
          release.run();
          return Recomputed.not(
              "the recorded op list "
                  + run.ops()
                  + " does not read back as itself here (it reads as "
                  + OpSpec.describe(ops)
                  + "): the ops changed since");
        }
        AugmentationConfig runCfg =
            new AugmentationConfig(
                run.seed(), cfg.datasets(), cfg.wordnetDir(), cfg.rawMaxBytes(), cfg.specs());
        Dataset<Row> runRows = null;
        for (Certificate.Upstream at :
            readFor(sources, runsOf.getOrDefault(List.of(run.seed(), run.ops()), Set.of()))) {
          reading = at;
          SparkAugmentation.Plan plan =
              new SparkAugmentation(spark, catalog, runCfg, "reproduce")
                  .plan(spec.withOps(ops), readVersion(at.table(), at.version()));
          plans.add(plan);
          notes.add(
              "augmentation run seed "
                  + run.seed()
                  + " with the recorded op list on "
                  + at.table()
                  + " version "
                  + at.version()
                  + " ("
                  + at.basis()
                  + (at.commit() == null ? "" : ", read by commit " + at.commit())
                  + "); aug_run_id is taken from the published rows: it names the run that"
                  + " wrote a row, not its content");
          Dataset<Row> valid = plan.valid().drop(SparkAugmentation.RUN_ID);
          // A later commit inserted only the rows whose id was not in the table yet.
          runRows =
              runRows == null
                  ? valid
                  : runRows.unionByName(
                      valid.join(
                          runRows.select(Columns.col(SparkAugmentation.AUG_ID)),
                          scala.jdk.javaapi.CollectionConverters.asScala(
                                  List.of(SparkAugmentation.AUG_ID))
                              .toList(),
                          "left_anti"));
        }
        all = all == null ? runRows : all.unionByName(runRows);
      }
      Dataset<Row> runIds =
          published.select(
              Columns.col(SparkAugmentation.AUG_ID), Columns.col(SparkAugmentation.RUN_ID));
      return new Recomputed(all.join(runIds, SparkAugmentation.AUG_ID, "left"), null, release);
    } catch (Unreadable e) {
      release.run();
      return Recomputed.not(e.getMessage());
    } catch (SynthweaveException e) {
      release.run();
      return Recomputed.not("the recorded augmentation cannot run here: " + e.getMessage());
    } catch (Exception e) {
      release.run();
      return Recomputed.not(unreadable(reading.table(), reading.version(), e));
    }
  }

  /** The run ids of the published rows of each augmentation run, keyed by (seed, op list). */
  private static Map<List<Object>, Set<String>> runIds(Dataset<Row> published) {
    Map<List<Object>, Set<String>> out = new java.util.HashMap<>();
    for (Row r :
        published
            .select(
                Columns.col(SparkAugmentation.SEED),
                Columns.col(SparkAugmentation.OPS),
                Columns.col(SparkAugmentation.RUN_ID))
            .distinct()
            .collectAsList()) {
      out.computeIfAbsent(
              List.of(((Number) r.get(0)).longValue(), String.valueOf(r.get(1))),
              k -> new java.util.TreeSet<>())
          .add(String.valueOf(r.get(2)));
    }
    return out;
  }

  /**
   * The source versions an augmentation run read, in commit order: those the certificate records
   * for commits of the run's ids; when it records none for them (a certificate from before commits
   * recorded the run), the one source version it names, or else the last one.
   */
  private List<Certificate.Upstream> readFor(
      List<Certificate.Upstream> sources, Set<String> runIds) {
    List<Certificate.Upstream> known = sources.stream().filter(t -> t.version() != null).toList();
    List<Certificate.Upstream> matched =
        known.stream().filter(t -> t.runId() != null && runIds.contains(t.runId())).toList();
    if (!matched.isEmpty()) {
      Map<Long, Certificate.Upstream> byVersion = new java.util.LinkedHashMap<>();
      matched.forEach(t -> byVersion.putIfAbsent(t.version(), t));
      return List.copyOf(byVersion.values());
    }
    List<Long> versions = known.stream().map(Certificate.Upstream::version).distinct().toList();
    if (versions.size() > 1) {
      notes.add(
          "the certificate names versions "
              + versions
              + " of "
              + known.get(0).table()
              + " without the runs that read them; the last is used");
    }
    return List.of(known.get(known.size() - 1));
  }

  /**
   * Writes {@code recomputed}, in the published schema, with the export's data writer and compares
   * each file with the manifest's; on a difference, counts the rows on either side only.
   */
  private void compareRows(Dataset<Row> recomputed, StructType schema, Dataset<Row> published) {
    Set<String> have = Set.of(recomputed.columns());
    List<String> missing = new ArrayList<>();
    List<Column> cols = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (!have.contains(f.name())) {
        missing.add(f.name());
      } else {
        cols.add(Columns.col(f.name()).cast(f.dataType()).as(f.name()));
      }
    }
    if (!missing.isEmpty()) {
      for (DatasetManifest.FileEntry f : manifest.dataFiles()) {
        part(
            ReproductionReport.Level.RECOMPUTE,
            f.path(),
            f.sha256(),
            null,
            ReproductionReport.Status.MISMATCH,
            true,
            "the recomputed rows have no column " + String.join(", ", missing));
      }
      return;
    }
    Dataset<Row> aligned =
        spark.createDataFrame(recomputed.select(cols.toArray(Column[]::new)).toJavaRDD(), schema);
    Path dir = work.resolve("recompute");
    List<DatasetManifest.FileEntry> written;
    try {
      Files.createDirectories(dir);
      written = DatasetExport.writeData(spark, aligned, dir);
    } catch (IOException e) {
      throw org.synthweave.verification.VerificationErrors.unwritable(dir, e);
    }
    boolean all = true;
    for (DatasetManifest.FileEntry f : manifest.dataFiles()) {
      all &= compare(ReproductionReport.Level.RECOMPUTE, f, find(written, f.path()));
    }
    for (DatasetManifest.FileEntry w : written) {
      if (find(manifest.dataFiles(), w.path()) == null) {
        all = false;
        part(
            ReproductionReport.Level.RECOMPUTE,
            w.path(),
            null,
            w.sha256(),
            ReproductionReport.Status.MISMATCH,
            true,
            "the recomputation wrote this file (" + w.rows() + " rows); the manifest has none");
      }
    }
    if (!all) {
      Dataset<Row> mine = readData(dir, schema);
      long onlyPublished = published.exceptAll(mine).count();
      long onlyHere = mine.exceptAll(published).count();
      notes.add(
          "recomputed rows differ: "
              + onlyPublished
              + " published rows were not recomputed, "
              + onlyHere
              + " recomputed rows are not published");
    }
  }

  // ---- helpers ----

  /** {@code table} at {@code version} by time travel; throws {@link Unreadable} saying why not. */
  private Dataset<Row> readVersion(String table, long version) {
    String path = catalog.path(table);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      throw new Unreadable(
          "there is no Delta table "
              + table
              + " at "
              + path
              + " (warehouse "
              + catalog.root()
              + "): reproduce runs where the published table's warehouse is, e.g. --set"
              + " warehouse=DIR");
    }
    long latest = DeltaTable.forPath(spark, path).history(1).first().getAs("version");
    if (version > latest) {
      throw new Unreadable(
          table
              + " has versions 0 to "
              + latest
              + " only, not the recorded "
              + version
              + ": the table was recreated since it was published");
    }
    return spark.read().format("delta").option("versionAsOf", version).load(path);
  }

  /** Why {@code table} version {@code version} could not be read, from {@code e}. */
  private static String unreadable(String table, long version, Throwable e) {
    boolean gone = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String msg = String.valueOf(t.getMessage());
      gone |=
          t instanceof FileNotFoundException
              || msg.contains("FILE_NOT_EXIST")
              || msg.contains("does not exist")
              || msg.contains("VersionNotFound")
              || msg.contains("DELTA_VERSION");
    }
    String msg = rootMessage(e);
    return gone
        ? table
            + " version "
            + version
            + " can no longer be read: its files or log are gone (VACUUM deletes the files of old"
            + " versions past the retention period, log cleanup their commits): "
            + msg
        : "rebuilding from " + table + " version " + version + " failed: " + msg;
  }

  /** The first line of the innermost cause's message. */
  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage()).lines().findFirst().orElse(root.toString());
  }

  /** The Parquet files the manifest lists, read from {@code dir}. */
  private Dataset<Row> readData(Path dir, StructType schema) {
    List<String> present = new ArrayList<>();
    for (DatasetManifest.FileEntry f : manifest.dataFiles()) {
      Path file = dir.resolve(f.path());
      if (Files.isRegularFile(file)) {
        present.add(file.toUri().toString());
      }
    }
    if (present.isEmpty()) {
      return spark.createDataFrame(List.of(), schema);
    }
    return spark.read().schema(schema).parquet(present.toArray(String[]::new));
  }

  private static DatasetManifest.FileEntry find(
      List<DatasetManifest.FileEntry> files, String path) {
    return files.stream().filter(f -> f.path().equals(path)).findFirst().orElse(null);
  }

  private static String abbreviated(String hash) {
    return hash == null ? "none" : hash.substring(0, Math.min(12, hash.length()));
  }

  private void part(
      ReproductionReport.Level level,
      String path,
      String expected,
      String actual,
      ReproductionReport.Status status,
      boolean required,
      String detail) {
    parts.add(new ReproductionReport.Part(level, path, expected, actual, status, required, detail));
  }

  /** An input that cannot be read here; the message says why, for the report. */
  private static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreadable(String why) {
      super(why, null, false, false);
    }
  }
}
