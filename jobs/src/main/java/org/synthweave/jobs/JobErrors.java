package org.synthweave.jobs;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.synthweave.core.SynthweaveException;
import org.synthweave.verification.VerificationReport;

/**
 * The one place where the command line creates user-facing errors. Each message says what went
 * wrong, why, and how to fix it, naming the option or table involved, so a data engineer can act on
 * it without reading our code. Errors that a stage module already describes (a bad config value, an
 * unreadable manifest, a missing index) come from that module's factory instead.
 */
final class JobErrors {
  private JobErrors() {}

  // ---- options ----

  /** {@code bench market --serve-clients} above what the server answers at once. */
  static SynthweaveException serveClientsOverLimit(int clients, int limit) {
    return new SynthweaveException(
        "The option --serve-clients is "
            + clients
            + ", but market serve answers at most "
            + limit
            + " requests at once and queues the rest, so the figure would measure its queue."
            + " Pass --serve-clients "
            + limit
            + " or fewer.");
  }

  /** A count option below 1; for a list option, {@code value} is the whole list. */
  static SynthweaveException atLeastOne(String option, Object value) {
    boolean list = value instanceof Collection<?>;
    return new SynthweaveException(
        "The option "
            + option
            + " is "
            + value
            + ", but "
            + (list ? "it needs at least one value and every value" : "it")
            + " must be at least 1. Pass "
            + (list ? "comma-separated values" : "a value")
            + " of 1 or more, e.g. "
            + option
            + " 1.");
  }

  /** Exactly one of two ways to name the input must be given; {@code both} tells which mistake. */
  static SynthweaveException eitherOr(String first, String second, boolean both, String example) {
    return new SynthweaveException(
        "Give either "
            + first
            + " or "
            + second
            + ", not "
            + (both ? "both" : "neither")
            + ", e.g. "
            + example
            + ".");
  }

  // ---- tables and exports ----

  static SynthweaveException noTable(String table, String path) {
    return new SynthweaveException(
        "There is no Delta table "
            + table
            + " at "
            + path
            + ". Check the table name (e.g. silver/wine) and the warehouse setting;"
            + " `synthweave ingest-table NAME FILE` creates a real table and `synthweave"
            + " synthesize` a synthetic one.");
  }

  static SynthweaveException noTableVersion(String table, long version, long latest) {
    return new SynthweaveException(
        "Table "
            + table
            + " has no version "
            + version
            + "; its versions are 0 to "
            + latest
            + ". Pass one of them (see DESCRIBE HISTORY).");
  }

  static SynthweaveException needsOneTable(List<String> tables) {
    return new SynthweaveException(
        "synthesize needs one source table, but synth.tables lists "
            + tables.size()
            + " "
            + tables
            + ". Pass --table NAME (or --model DIR), or set synth.tables to exactly one table.");
  }

  // ---- sql ----

  static SynthweaveException emptyQuery() {
    return new SynthweaveException(
        "The SQL query is empty. Pass one in quotes, e.g. synthweave sql \"SELECT count(*) FROM"
            + " silver.documents\".");
  }

  // ---- search and index evaluation ----

  static SynthweaveException indexNotLocal(String path) {
    return new SynthweaveException(
        "The index "
            + path
            + " is not on a local file system; search memory-maps the shards. Copy the index"
            + " folder to local disk and set warehouse to its parent's parent, or search on a"
            + " machine that mounts it.");
  }

  static SynthweaveException notATextIndex(String index, String kind, String model) {
    return new SynthweaveException(
        "The index "
            + index
            + " holds "
            + kind
            + " vectors of "
            + model
            + ", not text: a text query cannot be embedded for it. Search it with --like ID"
            + " (the neighbours of an indexed vector), or pick a text index with --index.");
  }

  static SynthweaveException badFilter(String filter) {
    return new SynthweaveException(
        "The filter '"
            + filter
            + "' is not FIELD=VALUE (it needs a field name before the '='). Write it as e.g."
            + " --filter language=en.");
  }

  static SynthweaveException unknownId(String index, String id) {
    return new SynthweaveException(
        "The index "
            + index
            + " holds no vector with the id '"
            + id
            + "'. Pass an id from the results of a search (add --json to see them in full);"
            + " text passages have ids like <document id>#<passage number>.");
  }

  static SynthweaveException emptyIndex(String index) {
    return new SynthweaveException(
        "The index "
            + index
            + " holds no vectors to draw queries from. Pass --queries-file with one query text"
            + " per line, or rebuild the index from embeddings that hold vectors (`synthweave"
            + " embed`, then `synthweave index --rebuild`).");
  }

  static SynthweaveException emptyQueriesFile(Path file) {
    return new SynthweaveException(
        "The queries file "
            + file
            + " has only blank lines, so there is nothing to search for. Put one query text per"
            + " line, or leave --queries-file out to draw queries from the index.");
  }

  static SynthweaveException queriesFileUnreadable(Path file, IOException cause) {
    return new SynthweaveException(
        "Cannot read the queries file "
            + file
            + ": "
            + cause
            + ". Check the --queries-file path and that the file is UTF-8 text with one query"
            + " per line.",
        cause);
  }

  // ---- notebooks ----

  static SynthweaveException notebookNoCheckout(Path cwd) {
    return new SynthweaveException(
        "synthweave notebook runs from the project's checkout (it needs notebooks/ and"
            + " jobs/target), but none was found from "
            + cwd
            + ". Run bin/synthweave notebook from the checkout.");
  }

  static SynthweaveException noNotebooks(Path dir) {
    return new SynthweaveException(
        "There are no notebooks (*.ipynb) in "
            + dir
            + ". Run from the project's checkout, whose notebooks/ folder holds them, or name the"
            + " notebook files to execute.");
  }

  static SynthweaveException noNotebookFile(Path file) {
    return new SynthweaveException(
        "The notebook "
            + file
            + " does not exist or is not a .ipynb file. Pass a notebook file, e.g."
            + " notebooks/00-kernel-check.ipynb, or none to execute every notebook in notebooks/.");
  }

  static SynthweaveException noJupyter(Path script) {
    return new SynthweaveException(
        "Jupyter is not installed (no /usr/bin/jupyter-notebook or /usr/bin/jupyter-nbconvert)"
            + " and the install script "
            + script
            + " is missing. Install Debian's packages: sudo apt-get install -y jupyter-notebook"
            + " jupyter-nbconvert.");
  }

  static SynthweaveException jupyterNeedsRoot(Path script) {
    return new SynthweaveException(
        "Jupyter is not installed and installing Debian's packages needs root. Run: sudo "
            + script
            + ", then run synthweave notebook again.");
  }

  static SynthweaveException jupyterInstallFailed(Path script, int code) {
    return new SynthweaveException(
        script
            + " did not install Jupyter (exit code "
            + code
            + "; its output is above). Fix the cause it names, or install the packages by hand:"
            + " sudo apt-get install -y jupyter-notebook jupyter-nbconvert.");
  }

  static SynthweaveException notebookNotBuilt(Path missing) {
    return new SynthweaveException(
        "The notebook kernel needs "
            + missing
            + ", which the build makes, but it is not there. Build once with"
            + " ./mvnw -B -pl jobs -am -DskipTests package (bin/synthweave does this when the jar"
            + " is missing or stale).");
  }

  static SynthweaveException notebookNoOpens(Path pom) {
    return new SynthweaveException(
        "Cannot read Spark's --add-opens flags (the property spark.jvm.opens) from "
            + pom
            + ", which the notebook kernel's JVM needs. Run from an unmodified checkout.");
  }

  static SynthweaveException notebookCellFailed(Path notebook, int cell, String error) {
    return new SynthweaveException(
        "Notebook "
            + notebook.getFileName()
            + " failed in cell "
            + cell
            + ": "
            + error
            + ". Open it with synthweave notebook to see the cell, or pass --html DIR to keep"
            + " the executed notebook with its error.",
        null,
        1);
  }

  static SynthweaveException notebookFailed(Path notebook, int code, String why) {
    return new SynthweaveException(
        "Notebook "
            + notebook.getFileName()
            + " could not be executed ("
            + (code < 0 ? "timed out" : "jupyter nbconvert exit code " + code)
            + "): "
            + why
            + ". Raise --timeout for slow cells; the whole output is in the log named here.",
        null,
        1);
  }

  /** Several notebooks failed: their messages in one line; exit code 1 as for one. */
  static SynthweaveException notebooksFailed(List<String> messages) {
    return new SynthweaveException(String.join(" Also: ", messages), null, 1);
  }

  static SynthweaveException jupyterFailed(int code, Path log) {
    return new SynthweaveException(
        "Jupyter stopped with exit code "
            + code
            + " before it served the notebooks (is the port in use? see "
            + log
            + "). Pass another --port, or stop what uses it.");
  }

  // ---- wallet, publish, fetch and verify ----

  /**
   * Checked before generating a key, which takes a while for RSA-4096. {@code Wallet.save} refuses
   * the same case with an {@code ArweaveException} (exit code 1); caught here first it is a usage
   * error (exit code 2), as nothing was attempted yet.
   */
  static SynthweaveException walletFileExists(Path file) {
    return new SynthweaveException(
        "The key file "
            + file
            + " exists already; refusing to overwrite a wallet, which may hold funds. Choose"
            + " another path, or move the old key away first.");
  }

  static SynthweaveException publishNeedsWallet(URI gateway) {
    return new SynthweaveException(
        "Publishing to "
            + gateway
            + " needs a wallet to sign and pay, and none is given. Pass --wallet FILE or set"
            + " publish.wallet (create one with: synthweave wallet new FILE); only the local"
            + " gateway (publish.gateway = local) makes a test wallet of its own.");
  }

  static SynthweaveException walletUnwritable(Path file, IOException cause) {
    return new SynthweaveException(
        "Cannot create the local gateway's test wallet "
            + file
            + " ("
            + cause.getMessage()
            + "). Make the warehouse folder writable, or set publish.wallet to a key file.",
        cause);
  }

  static SynthweaveException badGateway(URI gateway) {
    return new SynthweaveException(
        "The publish gateway (--gateway, or config key publish.gateway) is "
            + gateway
            + ", but it must be an http(s) URL with a host. Pass one such as"
            + " http://127.0.0.1:1984 (a local arlocal).");
  }

  /** {@code market sync --gateway} is not an http(s) URL. */
  static SynthweaveException badMarketGateway(URI gateway) {
    return new SynthweaveException(
        "The market gateway (--gateway) is "
            + gateway
            + ", but it must be an http(s) URL with a host. Pass one such as"
            + " http://127.0.0.1:1984 (a local arlocal) or https://arweave.net.");
  }

  /** The gateway's GraphQL search failed, so nothing was synced. */
  static SynthweaveException marketSyncFailed(URI gateway, long fromHeight, RuntimeException e) {
    return new SynthweaveException(
        "market sync could not list the datasets on "
            + gateway
            + " (GraphQL, from block "
            + fromHeight
            + "): "
            + e.getMessage()
            + " Nothing was stored and the catalog is unchanged; check that the gateway is up"
            + " and answers /graphql, then run market sync again.",
        e,
        1);
  }

  /** {@code market get ID}: ID is not an Arweave transaction id. */
  static SynthweaveException badListingId(String id) {
    return new SynthweaveException(
        "The listing id is '"
            + id
            + "', but an Arweave id is 43 characters of A-Z, a-z, 0-9, - and _. Pass the id"
            + " market search prints in its last column (or the manifest id publish printed).");
  }

  /** {@code market get --out DIR}: DIR holds something other than this listing's partial get. */
  static SynthweaveException marketGetOutNotEmpty(Path out, String partial, List<String> found) {
    return new SynthweaveException(
        "--out "
            + out
            + " is not empty (it holds "
            + String.join(", ", found)
            + "), and market get only writes into a new or empty folder, or resumes its own"
            + " partial download ("
            + partial
            + " for this listing). Choose a new or empty folder, or delete "
            + out
            + ".");
  }

  /** {@code market get}: a file could not be downloaded or does not prove against the gateway. */
  static SynthweaveException marketGetFailed(
      String id, URI gateway, Path partial, RuntimeException e) {
    return new SynthweaveException(
        "market get "
            + id
            + " from "
            + gateway
            + " failed: "
            + e.getMessage()
            + " The files downloaded and proven so far stay in "
            + partial
            + "; run the same market get again to resume (a gateway that is down or still"
            + " indexing may need a while), or pass another --gateway.",
        e,
        1);
  }

  /** {@code market get}: every file came down as signed, but the dataset does not verify. */
  static SynthweaveException marketGetRejected(
      String id, Path partial, List<VerificationReport.Problem> problems) {
    List<String> shown = problems.stream().limit(5).map(Object::toString).toList();
    return new SynthweaveException(
        "market get "
            + id
            + " downloaded every file as its owner signed it, but the dataset does not verify ("
            + problems.size()
            + " problem(s)): "
            + String.join("; ", shown)
            + (problems.size() > shown.size() ? "; ..." : "")
            + ". Do not use it: nothing was moved out of "
            + partial
            + ", which is kept for inspection. Ask the publisher, or look for the original"
            + " listing with synthweave market search.",
        null,
        1);
  }

  /** {@code market serve} could not listen. */
  static SynthweaveException marketServeFailed(String host, int port, Exception e) {
    return new SynthweaveException(
        "market serve could not listen on "
            + host
            + ":"
            + port
            + " ("
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
            + "). The port may be taken by another program, or the address is not one of this"
            + " machine's. Pass another --port (0 picks a free one) or --host.",
        e);
  }

  /** {@code market search} before any {@code market sync} into this warehouse. */
  static SynthweaveException noMarketCatalog(String path) {
    return new SynthweaveException(
        "There is no market catalog at "
            + path
            + ", so there is nothing to search. Build it first with `synthweave market sync"
            + " --gateway URL` (with the same warehouse setting), then search again.");
  }

  /** {@code market show ID} for an id the catalog does not hold. */
  static SynthweaveException unknownListing(String id, String path, List<String> similar) {
    return new SynthweaveException(
        "The market catalog at "
            + path
            + " holds no listing "
            + MarketCommand.Search.cell(id, 80)
            + (similar.isEmpty()
                ? ""
                : " (ids starting like it: " + String.join(", ", similar) + ")")
            + ". Pass the full manifest id that market search prints, or run `synthweave market"
            + " sync --gateway URL` first if the listing is new.");
  }

  /** The gateway of a listing cannot serve it now. */
  static SynthweaveException listingUnavailable(String id, String gateway, Exception e) {
    return new SynthweaveException(
        "Listing "
            + id
            + " could not be read from its gateway "
            + gateway
            + ": "
            + e.getMessage()
            + " Check that the gateway is up (the catalog records where each listing was found),"
            + " then try again.",
        e,
        1);
  }

  /** {@code bench market-ranking --data FILE} cannot use the file. */
  static SynthweaveException rankingDataUnusable(Path file, Exception cause) {
    return new SynthweaveException(
        "Cannot use the known-item file "
            + file
            + " for bench market-ranking: "
            + (cause instanceof java.nio.file.NoSuchFileException
                ? "it does not exist"
                : cause.getMessage())
            + ". It needs one JSON object per line with a unique \"id\", a \"query\" and the"
            + " listing's \"title\", \"description\", \"keywords\" and \"columns\"; make the"
            + " evaluation sets with data/scripts/bench/market-eval-data.sh and pass one of"
            + " data/bench/market-ranking/*.jsonl.",
        cause);
  }

  /** An option that takes one of a few words got another. */
  static SynthweaveException badChoice(String option, String value, List<String> choices) {
    return new SynthweaveException(
        "The option "
            + option
            + " is '"
            + value
            + "', which is not one of "
            + String.join(", ", choices)
            + ". Pass one of those, e.g. "
            + option
            + (option.startsWith("--filter ") ? "=" : " ")
            + choices.get(0)
            + ".");
  }

  static SynthweaveException mainnetNotAllowed(URI gateway) {
    return new SynthweaveException(
        "Refusing to publish to "
            + gateway
            + ": its host does not resolve to loopback addresses only, so it is not a gateway on"
            + " this machine, and an upload there is permanent and costs real AR."
            + " Test against a local arlocal (the default, http://127.0.0.1:1984) first; add"
            + " --allow-mainnet to publish for real.");
  }

  static SynthweaveException publishNeedsLocalWarehouse(String warehouse) {
    return new SynthweaveException(
        "Publishing needs a local warehouse (the files are uploaded from this machine), but"
            + " warehouse is "
            + warehouse
            + ". Run publish where the warehouse is a local folder, or copy the table there.");
  }

  static SynthweaveException publishTagsTooLarge(String dataset, RuntimeException cause) {
    return new SynthweaveException(
        "The Arweave tags of dataset "
            + dataset
            + " would be refused: "
            + cause.getMessage()
            + " Nothing was uploaded. Use fewer or shorter publish.dataset."
            + dataset
            + ".keywords (each is a Topic tag) or a shorter title.",
        cause);
  }

  static SynthweaveException exportDamaged(Path dir, List<?> problems) {
    return new SynthweaveException(
        "The existing export "
            + dir
            + " is damaged: "
            + problems
            + ". Delete the folder and run publish again to export it anew.");
  }

  static SynthweaveException publishedVersionChanged(
      String table, long version, Object publishedRoot, String exportRoot) {
    return new SynthweaveException(
        "market/listings already holds "
            + table
            + " version "
            + version
            + " with merkle root "
            + publishedRoot
            + ", but the export now has "
            + exportRoot
            + ". A published version must not change; publish the data as a new table"
            + " version instead.");
  }

  static SynthweaveException outNotEmpty(Path out) {
    return new SynthweaveException(
        "--out "
            + out
            + " is not empty; files left there would fail verification. Choose a new or empty"
            + " folder.");
  }

  static SynthweaveException tempFolderFailed(String manifestId, IOException cause) {
    return new SynthweaveException(
        "Cannot create a temporary folder to fetch "
            + manifestId
            + " into: "
            + cause
            + ". Check that "
            + System.getProperty("java.io.tmpdir")
            + " (java.io.tmpdir) exists and has free space, or fetch into a folder of your own"
            + " with `synthweave fetch "
            + manifestId
            + " --out DIR` and then run `synthweave verify DIR`.",
        cause,
        1);
  }

  static SynthweaveException notADatasetFolder(Path dir) {
    return new SynthweaveException(
        dir
            + " is not a dataset folder: it holds no manifest.json. Pass the folder publish"
            + " exported (<warehouse>/datasets/<name>/<version>) or a fetched one, or --id"
            + " MANIFEST_ID to fetch a published dataset first.");
  }

  static SynthweaveException workFolderFailed(IOException cause) {
    return new SynthweaveException(
        "Cannot create a temporary folder to rebuild the dataset in: "
            + cause
            + ". Check that "
            + System.getProperty("java.io.tmpdir")
            + " (java.io.tmpdir) exists and has room for a copy of the dataset, or point"
            + " -Djava.io.tmpdir at a folder that has.",
        cause,
        1);
  }

  static SynthweaveException noModelFolder(Path dir) {
    return new SynthweaveException(
        "--model "
            + dir
            + " is not a model folder: it holds no model.json. Pass the folder synthesize saved"
            + " the model in (<warehouse>/models/synthesis/<dataset>/<kind>) or a copy of it.");
  }

  // ---- benchmarks ----

  static SynthweaveException benchGatewayNotLocal(URI gateway) {
    return new SynthweaveException(
        "--gateway "
            + gateway
            + " is not on this machine. The benchmark mints tokens, which only a local arlocal"
            + " does; leave --gateway out to start one, or give http://127.0.0.1:<port>.");
  }

  static SynthweaveException noBenchScript(Path dir, String harness) {
    return new SynthweaveException(
        "No bench-arweavejs.js in "
            + dir
            + ". Pass --node-dir with the folder "
            + harness
            + " of a synthweave checkout.");
  }

  static SynthweaveException noLocalGatewayHarness(Path where) {
    return new SynthweaveException(
        "The local gateway (publish.gateway = local) needs the arlocal harness, and there is no"
            + " start-arlocal.js in "
            + where
            + ". Run synthweave from its checkout (bin/synthweave), set publish.local.node-dir to"
            + " the folder "
            + LocalGateway.HARNESS
            + " of a checkout, or set publish.gateway to the URL of a running gateway.");
  }

  static SynthweaveException localGatewayNeedsNode(String tool) {
    return new SynthweaveException(
        "The local gateway (publish.gateway = local) runs arlocal with Node.js, and "
            + tool
            + " is not on the PATH. Install Node.js 18+ and npm (Debian: apt install nodejs npm),"
            + " or set publish.gateway to the URL of a running gateway.");
  }

  static SynthweaveException noBenchHarness(String harness, Path workingDir) {
    return new SynthweaveException(
        "Cannot find "
            + harness
            + " in "
            + workingDir
            + " or any folder above it. Run from a synthweave checkout or pass --node-dir.");
  }

  static SynthweaveException notASuiteTable(String name, List<String> suite) {
    return new SynthweaveException(
        "--tables names "
            + name
            + ", which is not a table of the synthesis suite. Pick from "
            + String.join(", ", suite)
            + " (comma-separated), or leave --tables out to run them all.");
  }

  /** A benchmark's sample table is not where its option says. */
  static SynthweaveException noBenchTable(Path file, String option) {
    return new SynthweaveException(
        "The benchmark's sample table "
            + file
            + " does not exist. Run it from the synthweave checkout, or pass "
            + option
            + " DIR naming the folder of the bundled samples (data/samples/tables).");
  }

  /** Fewer distinct package texts than a benchmark's sizes add up to. */
  static SynthweaveException notEnoughBenchText(int have, int search, int queries, int sync) {
    return new SynthweaveException(
        "bench market needs "
            + (search + queries + sync)
            + " packages with distinct synopses (--search-listings "
            + search
            + " + --queries "
            + queries
            + " + --listings "
            + sync
            + "), but the package index has "
            + have
            + ". Lower the sizes, or run apt-get update (or pass a fuller --packages file).");
  }

  /** Two benchmark options that cannot be used together; {@code why} says what each one does. */
  static SynthweaveException benchOptionsConflict(String first, String second, String why) {
    return new SynthweaveException(
        first + " and " + second + " cannot be used together: " + why + ". Leave one out.");
  }

  /** Some runs of a benchmark threw; the others' figures are printed. */
  static SynthweaveException benchRunsFailed(String bench, List<String> runs) {
    return new SynthweaveException(
        "bench "
            + bench
            + ": "
            + runs.size()
            + " run(s) failed: "
            + String.join(", ", runs)
            + ". Their error lines above say why and stderr has their stack traces; rerun one"
            + " alone with e.g. --tables NAME --synthesizers KIND.");
  }

  static SynthweaveException checksFailed(
      String what, List<org.synthweave.verification.checks.CheckResult> failures, String fix) {
    StringBuilder sb = new StringBuilder(what).append(" failed ").append(failures.size());
    sb.append(failures.size() == 1 ? " check: " : " checks: ");
    for (int i = 0; i < failures.size(); i++) {
      org.synthweave.verification.checks.CheckResult r = failures.get(i);
      sb.append(i == 0 ? "" : "; ")
          .append(r.check())
          .append(r.column().isEmpty() ? "" : "(" + r.column() + ")")
          .append(' ')
          .append(r.metric())
          .append(" = ")
          .append(r.shownValue())
          .append(", needs ")
          .append(r.threshold());
    }
    return new SynthweaveException(sb.append(". ").append(fix).toString(), null, 1);
  }

  static SynthweaveException checkVersionNeedsOneDataset(List<String> datasets) {
    return new SynthweaveException(
        "--table-version names a version of one table, but "
            + datasets.size()
            + " datasets were asked for ("
            + String.join(", ", datasets)
            + "). Check one dataset at a time with --table-version, or leave it out to check"
            + " each table's latest version.");
  }
}
