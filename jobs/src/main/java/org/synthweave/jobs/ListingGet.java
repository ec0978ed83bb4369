package org.synthweave.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.ArweaveConfig;
import org.synthweave.arweave.ArweaveException;
import org.synthweave.arweave.download.FolderDownloader;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.ManifestVerifier;
import org.synthweave.verification.VerificationErrors;
import org.synthweave.verification.VerificationReport;

/**
 * What {@code market get} does, for the command and the notebooks' {@code Workbench}: downloads a
 * listing into {@code DIR/.partial-ID}, proves every file against what its owner signed on Arweave,
 * verifies the dataset's manifest and certificate and that the manifest's signer is the listing's
 * owner, and only then moves the files into {@code DIR}, manifest.json last. A rerun resumes.
 */
public final class ListingGet {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");

  /**
   * A listing that is in its folder, verified.
   *
   * @param id the listing's path manifest id
   * @param dir the folder the dataset is in
   * @param report what verification found (no problems)
   * @param owner the Arweave address that signed the listing and the manifest
   * @param files how many files were downloaded or kept
   */
  public record Result(String id, Path dir, VerificationReport report, String owner, int files) {}

  private ListingGet() {}

  /** The folder under {@code out} a get downloads into before everything is verified. */
  static String partialName(String id) {
    return ".partial-" + id;
  }

  /**
   * Gets listing {@code id} from {@code gateway} into {@code out} (new, empty, or holding only an
   * interrupted get of the same id). Progress (a file per line) goes to {@code progress}; the
   * certificate line and the verification outcome to {@code report}. Fails with one line naming
   * what went wrong; a dataset that does not verify stays in the partial folder.
   */
  public static Result get(
      String id, Path out, URI gateway, PrintWriter progress, PrintWriter report) {
    if (id == null || !ID.matcher(id).matches()) {
      throw JobErrors.badListingId(String.valueOf(id));
    }
    Path partial = out.resolve(partialName(id));
    int before = prepare(out, partial);
    progress.println(
        "market get "
            + id
            + " from "
            + gateway
            + " into "
            + partial
            + (before > 0 ? " (resuming: " + before + " files there from an earlier get)" : ""));
    progress.flush();
    FolderDownloader.Result r;
    try {
      r =
          new FolderDownloader(new ArweaveClient(ArweaveConfig.builder(gateway).build()))
              .resume(id, partial, FetchCommand.progress(progress));
    } catch (ArweaveException e) {
      throw JobErrors.marketGetFailed(id, gateway, partial, e);
    }
    VerificationReport v = ManifestVerifier.verify(partial);
    VerifyCommand.printCertificate(report, v.certificate());
    List<VerificationReport.Problem> problems = new ArrayList<>(v.problems());
    if (v.signer() != null && !v.signer().equals(r.owner())) {
      problems.add(
          new VerificationReport.Problem(
              VerificationReport.Kind.SIGNER_NOT_OWNER,
              DatasetManifest.FILE_NAME,
              "signed by "
                  + v.signer()
                  + ", but the listing's owner (its transaction's) is "
                  + r.owner()
                  + ": a copy of someone else's dataset"));
    }
    if (VerifyCommand.printOutcome(report, v, problems, partial.toString()) != 0) {
      throw JobErrors.marketGetRejected(id, partial, problems);
    }
    complete(out, partial);
    return new Result(id, out, v, r.owner(), r.paths().size());
  }

  /**
   * Creates {@code out} if needed and refuses one that holds anything but this listing's partial
   * folder; returns how many files that folder holds already.
   */
  private static int prepare(Path out, Path partial) {
    try {
      Files.createDirectories(out);
      List<String> others;
      try (Stream<Path> s = Files.list(out)) {
        others = s.filter(p -> !p.equals(partial)).map(p -> p.getFileName().toString()).toList();
      }
      if (!others.isEmpty()) {
        throw JobErrors.marketGetOutNotEmpty(out, partial.getFileName().toString(), others);
      }
      if (!Files.isDirectory(partial)) {
        return 0;
      }
      try (Stream<Path> s = Files.walk(partial)) {
        return (int) s.filter(Files::isRegularFile).count();
      }
    } catch (IOException e) {
      throw VerificationErrors.unwritable(out, e);
    }
  }

  /**
   * Moves the verified files from {@code partial} into {@code out}, manifest.json last, so that the
   * folder is a dataset only once everything is in place.
   */
  private static void complete(Path out, Path partial) {
    try {
      List<Path> children;
      try (Stream<Path> s = Files.list(partial)) {
        children =
            s.sorted(
                    (a, b) ->
                        Boolean.compare(
                            a.getFileName().toString().equals(DatasetManifest.FILE_NAME),
                            b.getFileName().toString().equals(DatasetManifest.FILE_NAME)))
                .toList();
      }
      for (Path c : children) {
        Files.move(c, out.resolve(c.getFileName().toString()));
      }
      Files.delete(partial);
    } catch (IOException e) {
      throw VerificationErrors.unwritable(out, e);
    }
  }
}
