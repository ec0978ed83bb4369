package org.synthweave.jobs;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.synthweave.arweave.local.LocalArlocal;
import org.synthweave.core.CoreErrors;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.ConfigKey;
import org.synthweave.core.config.Settings;

/**
 * The embedded default gateway, {@code publish.gateway = local}: an arlocal that publish starts on
 * loopback for the upload and stops afterwards, with its database kept in the warehouse ({@code
 * <warehouse>/arweave/arlocal}) so that the next start serves every dataset published before. Its
 * tokens are free, so publish funds the wallet there itself. {@code synthweave gateway} serves the
 * same folder in the foreground, for fetch, verify --id and the market.
 */
final class LocalGateway {
  /** The value of {@code publish.gateway} that selects this gateway. */
  static final String LOCAL = "local";

  /** Where the arlocal harness (package.json, install.sh, start-arlocal.js) is in a checkout. */
  static final String HARNESS = "storage-arweave/src/test/node";

  /** Winston minted for each publish on the local gateway: far more than any upload's fee. */
  static final String FUNDING_WINSTON = "1000000000000000000";

  static final ConfigKey<Integer> PORT =
      ConfigKey.integer(
          "publish.local.port",
          1984,
          "Loopback port of the local gateway (publish.gateway = local and synthweave gateway);"
              + " 1984 is arlocal's usual port, so fetch and verify --id find it by default.");
  static final ConfigKey<String> NODE_DIR =
      ConfigKey.string(
          "publish.local.node-dir",
          "",
          "Folder of the arlocal harness (install.sh, start-arlocal.js); empty: "
              + HARNESS
              + " of the synthweave checkout (the folder bin/synthweave runs from, or one above"
              + " the working directory).");

  static final List<ConfigKey<?>> KEYS = List.of(PORT, NODE_DIR);

  private LocalGateway() {}

  /** True when the resolved gateway setting names the local gateway rather than a URL. */
  static boolean selected(URI gateway) {
    return LOCAL.equals(gateway.toString());
  }

  /** The URL the local gateway listens on, as recorded in {@code market/listings}. */
  static URI url(Settings s) {
    return URI.create("http://127.0.0.1:" + port(s));
  }

  /** Where the local gateway keeps its database: under the warehouse. */
  static Path dataDir(TableCatalog catalog) {
    return DatasetExport.localRoot(catalog).resolve("arweave").resolve("arlocal").toAbsolutePath();
  }

  /** The warehouse's test wallet, which publish uses on this gateway when none is configured. */
  static Path walletFile(TableCatalog catalog) {
    return DatasetExport.localRoot(catalog)
        .resolve("arweave")
        .resolve("wallet.json")
        .toAbsolutePath();
  }

  /**
   * Starts the warehouse's local gateway (installing arlocal on first use) and reports where it is;
   * close it to stop it.
   */
  static LocalArlocal start(Settings s, TableCatalog catalog, PrintStream err) {
    Path harness = preflight(s, catalog);
    Path data = dataDir(catalog);
    err.println(
        "local gateway: starting arlocal on 127.0.0.1:"
            + port(s)
            + " with its data in "
            + data
            + " (the first start installs it with npm)");
    err.flush();
    LocalArlocal a = LocalArlocal.serve(harness, data, port(s));
    err.println("local gateway: serving " + a.url());
    err.flush();
    return a;
  }

  private static int port(Settings s) {
    int p = s.get(PORT);
    if (p < 1 || p > 65535) {
      throw CoreErrors.badConfigValue(
          PORT.name(), p, "a port 1..65535", s.origin(PORT.name()), null);
    }
    return p;
  }

  /** The harness folder: the config key, else the checkout this runs from. */
  static Path harness(Settings s) {
    String configured = s.get(NODE_DIR);
    if (!configured.isBlank()) {
      Path p = Paths.get(configured).toAbsolutePath();
      if (!Files.isRegularFile(p.resolve("start-arlocal.js"))) {
        throw JobErrors.noLocalGatewayHarness(p);
      }
      return p;
    }
    String home = System.getProperty("synthweave.home");
    if (home != null && Files.isRegularFile(Paths.get(home, HARNESS, "start-arlocal.js"))) {
      return Paths.get(home, HARNESS).toAbsolutePath();
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(HARNESS).resolve("start-arlocal.js"))) {
        return p.resolve(HARNESS);
      }
    }
    throw JobErrors.noLocalGatewayHarness(Paths.get("").toAbsolutePath().resolve(HARNESS));
  }

  /**
   * What the local gateway needs, checked before any work so that a publish does not export and
   * check a dataset only to fail at the upload: the harness, Node.js and npm, a local warehouse.
   * Returns the harness folder.
   */
  static Path preflight(Settings s, TableCatalog catalog) {
    port(s);
    dataDir(catalog);
    Path harness = harness(s);
    requireNode(System.getenv("PATH"));
    return harness;
  }

  /** Refuses, naming the fix, a search path without Node.js or npm. */
  static void requireNode(String path) {
    for (String tool : List.of("node", "npm")) {
      if (!onPath(tool, path)) {
        throw JobErrors.localGatewayNeedsNode(tool);
      }
    }
  }

  private static boolean onPath(String tool, String path) {
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
