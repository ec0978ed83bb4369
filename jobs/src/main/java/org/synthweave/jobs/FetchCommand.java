package org.synthweave.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.ArweaveConfig;
import org.synthweave.arweave.download.FolderDownloader;
import org.synthweave.verification.VerificationErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code synthweave fetch <manifest-id>}: downloads a published dataset folder. */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description = {
      "Download every file of a published dataset (an arweave/paths manifest id, as printed by"
          + " publish and listed in market/listings) into an empty folder, and check each file"
          + " against what the publisher signed on Arweave: a file of its own transaction by"
          + " recomputing its data_root, a bundled file against its signed data item (and the"
          + " bundle's data_root). A mismatch fails the fetch, naming the file and the id.",
      "Then run 'synthweave verify DIR' to check the dataset's own manifest."
    })
final class FetchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MANIFEST_ID", description = "Path manifest id.")
  String manifestId;

  @Option(
      names = "--gateway",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:1984",
      description = "Arweave gateway. Default: ${DEFAULT-VALUE}.")
  URI gateway;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Empty or new folder to download into.")
  Path out;

  @Override
  public void run() {
    requireEmpty(out);
    PrintWriter err = spec.commandLine().getErr();
    FolderDownloader.Result r = download(gateway, manifestId, out, err);
    PrintWriter o = spec.commandLine().getOut();
    o.println(
        "fetched "
            + r.paths().size()
            + " files into "
            + out
            + ", each as signed by "
            + r.owner()
            + "; check the dataset with: synthweave verify "
            + out);
    o.flush();
  }

  /** Downloads and proves every file of {@code manifestId}; progress goes to {@code err}. */
  static FolderDownloader.Result download(
      URI gateway, String manifestId, Path out, PrintWriter err) {
    ArweaveClient client = new ArweaveClient(ArweaveConfig.builder(gateway).build());
    FolderDownloader.Result r =
        new FolderDownloader(client).download(manifestId, out, progress(err));
    err.flush();
    return r;
  }

  /** A line on {@code err} per file: fetched, or on a resume kept or fetched again and why. */
  static FolderDownloader.Listener progress(PrintWriter err) {
    return new FolderDownloader.Listener() {
      @Override
      public void fetched(String path, String id, FolderDownloader.Proof proof) {
        err.println("fetched " + path + how(id, proof));
        err.flush();
      }

      @Override
      public void kept(String path, String id, FolderDownloader.Proof proof) {
        err.println("kept " + path + ", downloaded before" + how(id, proof));
        err.flush();
      }

      @Override
      public void replacing(String path, String id, String why) {
        err.println("fetching " + path + " again: the copy there is not what was signed, " + why);
        err.flush();
      }
    };
  }

  private static String how(String id, FolderDownloader.Proof proof) {
    return proof == FolderDownloader.Proof.DATA_ROOT
        ? " (transaction " + id + ", data_root checked)"
        : " (data item " + id + ", signature and bundle checked)";
  }

  private static void requireEmpty(Path out) {
    try {
      if (Files.isDirectory(out)) {
        try (Stream<Path> s = Files.list(out)) {
          if (s.findAny().isPresent()) {
            throw JobErrors.outNotEmpty(out);
          }
        }
      }
      Files.createDirectories(out);
    } catch (IOException e) {
      throw VerificationErrors.unwritable(out, e);
    }
  }
}
