package org.synthweave.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.synthweave.arweave.download.FolderDownloader;
import org.synthweave.synthesis.model.ModelFiles;
import org.synthweave.verification.DatasetManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synthweave reproduce <dir> | --id <manifest-id>}: rebuilds a dataset and compares. */
@Command(
    name = "reproduce",
    mixinStandardHelpOptions = true,
    description = {
      "Rebuild a published dataset from what its signed manifest records and compare it file by"
          + " file with the manifest: the folder itself (as verify does); the export, rebuilt from"
          + " the recorded Delta table version (time travel) by the export code, every file's"
          + " SHA-256 and the Merkle root; and for an augmented or synthetic table its rows"
          + " recomputed from their inputs (the recorded augmentation runs on the recorded source"
          + " version; the recorded model, its files' SHA-256 checked, with the recorded seed and"
          + " row count), written the same way and compared byte for byte.",
      "Runs where the table's warehouse is (the configuration's warehouse). What cannot be"
          + " rebuilt here (a vacuumed version, a model that is not on this machine) is reported"
          + " with the reason.",
      "Prints a table of every comparison (--json adds one JSON line); exit code 0 when all that"
          + " was compared matches, 1 when something differs or the export cannot be rebuilt."
    })
final class ReproduceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DatasetSource source;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description =
          "Model folder to sample from for a synthetic table, instead of"
              + " <warehouse>/models/synthesis/<dataset>/<kind>; its files must have the SHA-256"
              + " the certificate records.")
  Path model;

  @Option(names = "--json", description = "Also print the report as one JSON line.")
  boolean json;

  @Override
  public Integer call() {
    source.requireOne(spec, "synthweave reproduce datasets/silver_wine/0");
    Path dir = source.dir;
    String id = source.id;
    URI gateway = source.gateway;
    if (dir != null && !Files.isRegularFile(dir.resolve(DatasetManifest.FILE_NAME))) {
      throw JobErrors.notADatasetFolder(dir);
    }
    if (model != null && !Files.isRegularFile(model.resolve(ModelFiles.MODEL_JSON))) {
      throw JobErrors.noModelFolder(model);
    }
    Path fetched = null;
    Path work = null;
    try {
      Path folder = dir;
      if (id != null) {
        fetched = tempFolder("synthweave-reproduce-fetch-");
        FolderDownloader.Result r =
            FetchCommand.download(gateway, id, fetched, spec.commandLine().getErr());
        spec.commandLine()
            .getErr()
            .println("fetched " + r.paths().size() + " files of " + id + " from " + gateway);
        folder = fetched;
      }
      work = tempFolder("synthweave-reproduce-");
      ConfigOptions o = Main.options(spec);
      ReproductionReport report;
      try (JobContext job = new JobContext("reproduce", o.confFile, o.sets, System.out)) {
        report =
            DatasetReproduction.reproduce(
                job.spark(),
                job.catalog,
                job.settings,
                folder,
                work,
                new DatasetReproduction.Options(model),
                System.err);
      }
      PrintWriter out = spec.commandLine().getOut();
      report.print(out);
      if (json) {
        out.println(report.toJsonLine());
        out.flush();
      }
      return report.failed() ? 1 : 0;
    } finally {
      remove(work);
      remove(fetched);
    }
  }

  private Path tempFolder(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw source.id != null && prefix.contains("fetch")
          ? JobErrors.tempFolderFailed(source.id, e)
          : JobErrors.workFolderFailed(e);
    }
  }

  private void remove(Path p) {
    if (p == null) {
      return;
    }
    try {
      DatasetExport.deleteTree(p);
    } catch (IOException e) {
      spec.commandLine().getErr().println("could not remove the temporary folder " + p);
    }
  }
}
