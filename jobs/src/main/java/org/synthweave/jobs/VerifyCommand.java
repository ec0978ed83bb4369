package org.synthweave.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.synthweave.arweave.download.FolderDownloader;
import org.synthweave.core.SynthweaveException;
import org.synthweave.verification.ManifestVerifier;
import org.synthweave.verification.VerificationReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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
      "Prints each problem; exit code 0 when all is well, 1 on any mismatch."
    })
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "The dataset folder.")
  Path dir;

  @Option(
      names = "--id",
      paramLabel = "TX",
      description = "A published dataset's path manifest id, to verify instead of a folder.")
  String id;

  @Option(
      names = "--gateway",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:1984",
      description = "Arweave gateway for --id. Default: ${DEFAULT-VALUE}.")
  URI gateway;

  @Override
  public Integer call() {
    if ((dir == null) == (id == null)) {
      // A ParameterException, not the SynthweaveException itself: picocli then prints the usage
      // help after the message (exit code 2 either way). The wording still lives in JobErrors.
      SynthweaveException e =
          JobErrors.eitherOr(
              "a dataset folder",
              "--id MANIFEST_ID (with --gateway URL)",
              dir != null,
              "synthweave verify datasets/silver_wine/0");
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    if (dir != null) {
      return report(ManifestVerifier.verify(dir), dir.toString());
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
      return report(ManifestVerifier.verify(tmp), id);
    } finally {
      try {
        DatasetExport.deleteTree(tmp);
      } catch (IOException e) {
        spec.commandLine().getErr().println("could not remove the temporary folder " + tmp);
      }
    }
  }

  private int report(VerificationReport r, String what) {
    PrintWriter out = spec.commandLine().getOut();
    if (r.ok()) {
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
      for (VerificationReport.Problem p : r.problems()) {
        out.println(p);
      }
      out.println("FAILED: " + r.problems().size() + " problem(s) in " + what);
    }
    out.flush();
    return r.ok() ? 0 : 1;
  }
}
