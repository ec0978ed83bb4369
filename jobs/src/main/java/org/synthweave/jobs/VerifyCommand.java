package org.synthweave.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.synthweave.arweave.download.FolderDownloader;
import org.synthweave.verification.Certificate;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.ManifestVerifier;
import org.synthweave.verification.VerificationReport;
import org.synthweave.verification.checks.SparkRecompute;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synthweave verify <dir> | --id <manifest-id>}: checks a dataset. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check a dataset folder against its manifest.json, offline: every file's size and SHA-256,"
          + " no extra files, row total, schema hash, Merkle root and the publisher's signature,"
          + " and that the dataset card (croissant.json) gives each Parquet file's SHA-256 and"
          + " one field per schema column with its type.",
      "With --id instead of a folder, first fetch the published dataset into a temporary folder"
          + " (checking each file against what was signed on Arweave, as fetch does), then check"
          + " it the same way.",
      "The manifest's quality certificate is checked too: its own signature, that it agrees with"
          + " itself (passed, allow_failed_checks, each check's outcome) and with quality.json;"
          + " --recompute also recomputes its data checks from the Parquet files (Spark, local).",
      "Prints each problem; exit code 0 when all is well, 1 on any mismatch."
    })
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DatasetSource source;

  @Option(
      names = "--recompute",
      description =
          "Recompute the certified data checks (rows, columns, complete, unique, range, domain)"
              + " from the exported Parquet files and compare: counts exactly, other values within"
              + " a relative 1e-9.")
  boolean recompute;

  @Override
  public Integer call() {
    source.requireOne(spec, "synthweave verify datasets/silver_wine/0");
    Path dir = source.dir;
    String id = source.id;
    URI gateway = source.gateway;
    if (dir != null) {
      return report(ManifestVerifier.verify(dir), dir, dir.toString());
    }
    Path tmp;
    try {
      tmp = Files.createTempDirectory("synthweave-verify-");
    } catch (IOException e) {
      throw JobErrors.tempFolderFailed(id, e);
    }
    try {
      FolderDownloader.Result r =
          FetchCommand.download(gateway, id, tmp, spec.commandLine().getErr());
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "fetched "
              + r.paths().size()
              + " files of "
              + id
              + " from "
              + gateway
              + ", each as signed on Arweave by "
              + r.owner());
      return report(ManifestVerifier.verify(tmp), tmp, id);
    } finally {
      try {
        DatasetExport.deleteTree(tmp);
      } catch (IOException e) {
        spec.commandLine().getErr().println("could not remove the temporary folder " + tmp);
      }
    }
  }

  private int report(VerificationReport r, Path folder, String what) {
    PrintWriter out = spec.commandLine().getOut();
    printCertificate(out, r.certificate());
    List<VerificationReport.Problem> problems = new ArrayList<>(r.problems());
    if (recompute) {
      problems.addAll(recomputed(r, folder, out));
    }
    return printOutcome(out, r, problems, what);
  }

  /** One line on the dataset's quality certificate: how many checks, whether all passed. */
  static void printCertificate(PrintWriter out, Certificate c) {
    if (c == null) {
      out.println(
          "no certificate: the manifest predates certificates, so no quality is vouched for");
    } else {
      out.println(
          "certificate: "
              + c.checks().stream().mapToInt(s -> s.results().size()).sum()
              + " checks, "
              + (c.passed() ? "all passed" : c.failures().size() + " failed")
              + (c.allowFailedChecks() ? " (published with --allow-failed-checks)" : ""));
    }
  }

  /**
   * Prints OK, or each of {@code problems} (those of {@code r} and any the caller found) and FAILED
   * naming {@code what}; returns the exit code, 0 or 1.
   */
  static int printOutcome(
      PrintWriter out,
      VerificationReport r,
      List<VerificationReport.Problem> problems,
      String what) {
    if (problems.isEmpty()) {
      out.println(
          "OK "
              + r.dataset()
              + " version "
              + r.version()
              + ": "
              + r.filesChecked()
              + " files intact, signed by "
              + r.signer());
    } else {
      for (VerificationReport.Problem p : problems) {
        out.println(p);
      }
      out.println("FAILED: " + problems.size() + " problem(s) in " + what);
    }
    out.flush();
    return problems.isEmpty() ? 0 : 1;
  }

  /**
   * The certified data checks recomputed from the files; nothing when the folder is damaged (its
   * files are not what was certified) or there is no certificate.
   */
  private List<VerificationReport.Problem> recomputed(
      VerificationReport r, Path folder, PrintWriter out) {
    if (r.certificate() == null || r.dataset() == null) {
      out.println("--recompute: no certificate, nothing to recompute");
      return List.of();
    }
    if (r.problems().stream()
        .anyMatch(
            p ->
                p.kind() == VerificationReport.Kind.MISSING_FILE
                    || p.kind() == VerificationReport.Kind.SHA256_MISMATCH)) {
      out.println("--recompute: skipped, the files are not the ones the manifest lists");
      return List.of();
    }
    ConfigOptions o = Main.options(spec);
    try (JobContext job = new JobContext("verify --recompute", o.confFile, o.sets, System.out)) {
      SparkRecompute.Result res =
          SparkRecompute.recompute(
              job.spark(), folder, DatasetManifest.readFrom(folder), r.certificate());
      out.println(
          "recomputed "
              + res.compared()
              + " certified check values from the files"
              + (res.skipped().isEmpty()
                  ? ""
                  : "; not data checks of the files, skipped: "
                      + String.join(", ", res.skipped())));
      return res.problems();
    }
  }
}
