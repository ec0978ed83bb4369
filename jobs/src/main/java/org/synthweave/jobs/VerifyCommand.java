package org.synthweave.jobs;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.synthweave.verification.ManifestVerifier;
import org.synthweave.verification.VerificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code synthweave verify <dir>}: checks a downloaded dataset offline. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check a dataset folder against its manifest.json, offline: every file's size and SHA-256,"
          + " no extra files, row total, schema hash, Merkle root and the publisher's signature.",
      "Prints each problem; exit code 0 when all is well, 1 on any mismatch."
    })
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The dataset folder.")
  Path dir;

  @Override
  public Integer call() {
    VerificationReport r = ManifestVerifier.verify(dir);
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
      out.println("FAILED: " + r.problems().size() + " problem(s) in " + dir);
    }
    out.flush();
    return r.ok() ? 0 : 1;
  }
}
