package org.synthweave.jobs;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.synthweave.arweave.ArweaveException;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.Versions;
import org.synthweave.core.catalog.Warehouse;
import org.synthweave.core.config.CoreConfig;
import org.synthweave.core.config.Settings;
import org.synthweave.core.config.SettingsLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code synthweave} command line. Runs the same way under {@code spark-submit --class
 * org.synthweave.jobs.Main synthweave.jar <command>} on a cluster and through {@code bin/synthweave
 * <command>} locally.
 */
@Command(
    name = "synthweave",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Spark batch pipeline for AI training data.",
    subcommands = {
      RunCommand.class,
      IngestCommand.class,
      IngestTableCommand.class,
      EmbedCommand.class,
      IndexCommand.class,
      SearchCommand.class,
      EvalIndexCommand.class,
      AugmentCommand.class,
      SynthesizeCommand.class,
      ConfigCommand.class,
      BenchCommand.class,
      WalletCommand.class,
      CheckCommand.class,
      PublishCommand.class,
      GatewayCommand.class,
      FetchCommand.class,
      VerifyCommand.class,
      ReproduceCommand.class,
      EvaluateSyntheticCommand.class,
      SqlCommand.class,
      MarketCommand.class,
      NotebookCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @Mixin ConfigOptions config;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "On failure, print the full stack trace after the one-line error.")
  boolean debug;

  @CommandLine.Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Finds the root command's options from any subcommand. */
  static ConfigOptions options(CommandSpec sub) {
    return ((Main) sub.root().userObject()).config;
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns the exit code (tests call this instead of main). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          PrintWriter err = cmd.getErr();
          Main main = (Main) cmd.getCommandSpec().root().userObject();
          SynthweaveException user = findUserError(e);
          if (user == null) {
            // Storage failures about the warehouse (a file, read-only, a lost commit race) come
            // from deep inside Spark and Delta; one line says what happened and what to do.
            user = Warehouse.explain(e, main.warehouse());
          }
          if (user != null) {
            err.println("synthweave: " + user.getMessage());
            if (main.debug) {
              e.printStackTrace(err);
            }
            err.flush();
            return user.exitCode();
          }
          ArweaveException arweave = findArweaveError(e);
          if (arweave != null) {
            // The Arweave module has no dependency on core; its messages are user-facing too.
            err.println("synthweave: " + arweave.getMessage());
            if (main.debug) {
              e.printStackTrace(err);
            }
            err.flush();
            return 1;
          }
          throw e;
        });
    return cli.execute(args);
  }

  /**
   * The settings a command runs with: the embedded conf/local.conf, then {@code confFile} (may be
   * null), then the {@code KEY=VALUE} overrides, checked against every key the CLI knows. The
   * notebooks' {@code Workbench} loads its settings here too.
   */
  public static Settings settings(Path confFile, List<String> sets) {
    return new SettingsLoader(JobContext.registry()).load(confFile, sets);
  }

  /** The warehouse root the command ran with, or null if the settings themselves are broken. */
  private String warehouse() {
    try {
      return CoreConfig.from(
              new SettingsLoader(JobContext.registry()).load(config.confFile, config.sets))
          .warehouse();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static SynthweaveException findUserError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SynthweaveException s) {
        return s;
      }
    }
    return null;
  }

  private static ArweaveException findArweaveError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ArweaveException a) {
        return a;
      }
    }
    return null;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"synthweave " + Versions.codeVersion()};
    }
  }
}
