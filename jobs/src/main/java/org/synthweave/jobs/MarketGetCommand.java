package org.synthweave.jobs;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.synthweave.market.Listing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code synthweave market get ID --out DIR}: downloads a listing, proves every file against what
 * its owner signed on Arweave, verifies the dataset's manifest and certificate and that the
 * manifest's signer is the listing's owner, and only then moves it into place. The work happens in
 * {@code DIR/.partial-ID}, so an interrupted get leaves nothing that looks complete and a rerun
 * keeps the files already proven.
 */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Download a listing (its path manifest id, as market search prints it) into DIR, checked"
          + " three ways before anything is moved there: every file against what its owner signed"
          + " on Arweave (as fetch does), the dataset's manifest.json as verify DIR does (sizes,"
          + " SHA-256s, Merkle root, signature, card, the quality certificate), and that the"
          + " manifest is signed by the listing's owner (the transaction's), not copied from"
          + " another publisher.",
      "Files are downloaded into DIR/.partial-ID; manifest.json is moved into DIR last, once all"
          + " checks pass. Interrupted, the same command resumes: the files already there that"
          + " prove are kept, the rest downloaded. Progress goes to stderr, a file per line.",
      "Exit code 0 when the dataset is in DIR and verified; 1 naming the file and the check"
          + " that failed."
    })
final class MarketGetCommand implements Callable<Integer> {
  /** The gateway when neither --gateway nor the warehouse's market catalog names one. */
  static final String DEFAULT_GATEWAY = "http://127.0.0.1:1984";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");

  /** The folder under --out a get downloads into before everything is verified. */
  static String partialName(String id) {
    return ListingGet.partialName(id);
  }

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The listing's path manifest id.")
  String id;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description =
          "New or empty folder to put the dataset in, or the folder of an interrupted get of the"
              + " same ID to resume.")
  Path out;

  @Option(
      names = "--gateway",
      paramLabel = "URL",
      description =
          "Arweave gateway to download from. Default: the gateway market sync recorded for the"
              + " listing in this warehouse's market/catalog, else "
              + DEFAULT_GATEWAY
              + ".")
  URI gateway;

  @Override
  public Integer call() {
    if (!ID.matcher(id).matches()) {
      throw JobErrors.badListingId(id);
    }
    URI from = gateway != null ? gateway : catalogGateway();
    PrintWriter o = spec.commandLine().getOut();
    ListingGet.Result r = ListingGet.get(id, out, from, spec.commandLine().getErr(), o);
    o.println(
        "got "
            + id
            + ": "
            + r.report().dataset()
            + " version "
            + r.report().version()
            + ", "
            + r.files()
            + " files in "
            + out
            + ", verified and signed by the listing's owner "
            + r.owner());
    o.flush();
    return 0;
  }

  /**
   * The gateway market sync recorded for the listing in the warehouse's catalog, else the default.
   */
  private URI catalogGateway() {
    ConfigOptions o = Main.options(spec);
    try (JobContext job = new JobContext("market get", o.confFile, o.sets, System.out)) {
      Listing l = new SparkMarketCatalog(job.spark(), job.catalog).listing(id);
      if (l != null && l.gateway() != null) {
        return URI.create(l.gateway());
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println(id + " is not in this warehouse's market/catalog; using " + DEFAULT_GATEWAY);
    return URI.create(DEFAULT_GATEWAY);
  }
}
