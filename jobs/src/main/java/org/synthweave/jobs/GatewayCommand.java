package org.synthweave.jobs;

import java.io.PrintStream;
import org.synthweave.arweave.local.LocalArlocal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code synthweave gateway}: serves the warehouse's local gateway (the arlocal that {@code
 * publish.gateway = local} publishes to) in the foreground until interrupted, so that fetch, verify
 * --id and other Arweave tools can read what was published.
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the local Arweave gateway of this warehouse (arlocal with its data in"
          + " <warehouse>/arweave/arlocal, where publish.gateway = local publishes) on"
          + " 127.0.0.1:<publish.local.port> until Ctrl-C.",
      "While it runs, fetch and verify --id read published datasets from it (their default"
          + " gateway is http://127.0.0.1:1984). A publish to the local gateway cannot run at the"
          + " same time: publish with --gateway <this URL> instead."
    })
final class GatewayCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ConfigOptions o = Main.options(spec);
    try (JobContext job = new JobContext("gateway", o.confFile, o.sets, out)) {
      LocalArlocal arlocal = LocalGateway.start(job.settings, job.catalog, err);
      Thread stopper = new Thread(arlocal::close, "stop-local-gateway");
      Runtime.getRuntime().addShutdownHook(stopper);
      out.println(arlocal.url());
      out.flush();
      err.println("local gateway: press Ctrl-C to stop it");
      err.flush();
      try {
        int code = arlocal.waitFor();
        err.println(
            "local gateway: arlocal exited with "
                + code
                + "; see "
                + arlocal.dataDir()
                + "/arlocal.log");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        arlocal.close();
        try {
          Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException e) {
          // already shutting down: the hook closes it
        }
      }
    }
  }
}
