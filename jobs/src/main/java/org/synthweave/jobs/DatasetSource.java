package org.synthweave.jobs;

import java.net.URI;
import java.nio.file.Path;
import org.synthweave.core.SynthweaveException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Where a command reads a published dataset from, shared by {@code verify} and {@code reproduce}: a
 * dataset folder, or a path manifest id fetched from a gateway.
 */
final class DatasetSource {
  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "The dataset folder.")
  Path dir;

  @Option(
      names = "--id",
      paramLabel = "TX",
      description =
          "A published dataset's path manifest id, fetched from --gateway instead of a"
              + " folder.")
  String id;

  @Option(
      names = "--gateway",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:1984",
      description = "Arweave gateway for --id. Default: ${DEFAULT-VALUE}.")
  URI gateway;

  /**
   * Refuses none or both of DIR and --id as a usage error (picocli prints the usage after the
   * message; exit code 2), {@code example} showing the folder form.
   */
  void requireOne(CommandSpec spec, String example) {
    if ((dir == null) == (id == null)) {
      SynthweaveException e =
          JobErrors.eitherOr(
              "a dataset folder", "--id MANIFEST_ID (with --gateway URL)", dir != null, example);
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
