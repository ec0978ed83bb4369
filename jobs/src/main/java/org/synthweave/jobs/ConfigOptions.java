package org.synthweave.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The options every command takes: a job config file and key=value overrides. */
final class ConfigOptions {
  @Option(
      names = "--conf",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "Job config file (HOCON). Overrides the embedded default conf/local.conf;"
              + " --set overrides both.")
  Path confFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      scope = ScopeType.INHERIT,
      description = "Override one key, e.g. --set warehouse=/tmp/wh. Repeatable.")
  List<String> sets = new ArrayList<>();
}
