package org.synthweave.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.synthweave.arweave.Gateways;
import org.synthweave.arweave.local.LocalArlocal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code synthweave notebook}: Jupyter on the project's notebooks with the Java kernel, pointed at
 * the configured warehouse. Installs what is missing first (Debian's Jupyter, the kernel spec);
 * {@code notebook execute} runs notebooks headless, as CI does.
 */
@Command(
    name = "notebook",
    mixinStandardHelpOptions = true,
    subcommands = {NotebookExecuteCommand.class},
    description = {
      "Start Jupyter on 127.0.0.1 with a random token on the notebooks/ folder, with the Java"
          + " kernel \""
          + KernelSpec.DISPLAY_NAME
          + "\" (Spark and the project on its class"
          + " path), pointed at the configured warehouse; serves until Ctrl-C.",
      "Installs Debian's Jupyter first when it is missing (scripts/install-jupyter.sh, as root)."
          + " Notebooks read SYNTHWEAVE_WAREHOUSE, SYNTHWEAVE_HOME, SYNTHWEAVE_CONF and"
          + " SYNTHWEAVE_GATEWAY (see notebooks/README.md).",
      "`synthweave notebook execute` runs notebooks headless instead."
    })
final class NotebookCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port of the notebook server on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int port = 8888;

  @Option(
      names = "--gateway",
      paramLabel = "auto|none|URL",
      description =
          "The Arweave gateway notebooks get in SYNTHWEAVE_GATEWAY: auto (default) starts this"
              + " warehouse's local gateway when it has published data, none leaves it unset, a"
              + " URL is passed as is.")
  String gateway = "auto";

  @Override
  public void run() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ConfigOptions o = Main.options(spec);
    if (port < 1 || port > 65535) {
      throw JobErrors.badChoice("--port", String.valueOf(port), List.of("1..65535"));
    }
    Notebooks nb = Notebooks.fromCheckout();
    nb.all(); // refuse an empty folder before installing anything
    try (JobContext job = new JobContext("notebook", o.confFile, o.sets, out);
        Gateway gw = Gateway.open(gateway, job, err)) {
      nb.ensureJupyter(err);
      Map<String, String> env = nb.notebookEnv(job.core.warehouse(), o.confFile, gw.url());
      KernelSpec kernel = nb.kernelSpec(env);
      String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
      ProcessBuilder pb =
          nb.jupyter(
              kernel,
              List.of(
                  "notebook",
                  "--no-browser",
                  "--ip=127.0.0.1",
                  "--port=" + port,
                  "--NotebookApp.port_retries=0",
                  // it refuses root without this (containers, CI); no effect for other users
                  "--allow-root",
                  "--NotebookApp.token=" + token,
                  "--NotebookApp.notebook_dir=" + nb.notebookDir(),
                  "--MultiKernelManager.default_kernel_name=" + KernelSpec.NAME));
      Path log = nb.workDir().resolve("jupyter.log");
      Files.createDirectories(log.getParent());
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      Process p = pb.start();
      Thread stopper = new Thread(() -> Notebooks.stop(p), "stop-jupyter");
      Runtime.getRuntime().addShutdownHook(stopper);
      try {
        if (!waitForPort(p, port)) {
          throw JobErrors.jupyterFailed(p.exitValue(), log);
        }
        out.println("http://127.0.0.1:" + port + "/?token=" + token);
        out.flush();
        err.println(
            "notebook: serving "
                + nb.notebookDir()
                + " on the warehouse "
                + job.core.warehouse()
                + "; Jupyter's log is "
                + log
                + "; press Ctrl-C to stop");
        err.flush();
        int code = Notebooks.waitFor(p, 0);
        err.println("notebook: Jupyter exited with " + code + "; see " + log);
      } finally {
        Notebooks.stop(p);
        try {
          Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException e) {
          // already shutting down: the hook stops it
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** True once Jupyter accepts connections on the port; false if it exits first. */
  private static boolean waitForPort(Process p, int port) throws InterruptedException {
    while (p.isAlive()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        return true;
      } catch (IOException e) {
        Thread.sleep(250);
      }
    }
    return false;
  }

  /**
   * The gateway notebooks are given: this warehouse's local one started for the session, a URL, or
   * none.
   */
  static final class Gateway implements AutoCloseable {
    private final LocalArlocal started;
    private final String url;

    private Gateway(LocalArlocal started, String url) {
      this.started = started;
      this.url = url;
    }

    static Gateway open(String option, JobContext job, PrintStream err) {
      switch (option) {
        case "none":
          return new Gateway(null, null);
        case "auto":
          if (!Files.isDirectory(LocalGateway.dataDir(job.catalog))) {
            return new Gateway(null, null);
          }
          LocalArlocal a = LocalGateway.start(job.settings, job.catalog, err);
          return new Gateway(a, a.url().toString());
        default:
          URI uri;
          try {
            uri = URI.create(option);
          } catch (IllegalArgumentException e) {
            throw JobErrors.badChoice("--gateway", option, List.of("auto", "none", "an http URL"));
          }
          if (!Gateways.isHttp(uri)) {
            throw JobErrors.badChoice("--gateway", option, List.of("auto", "none", "an http URL"));
          }
          return new Gateway(null, option);
      }
    }

    /** The URL, or null when notebooks get none. */
    String url() {
      return url;
    }

    @Override
    public void close() {
      if (started != null) {
        started.close();
      }
    }
  }
}
