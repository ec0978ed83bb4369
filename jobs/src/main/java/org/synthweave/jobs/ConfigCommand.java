package org.synthweave.jobs;

import java.io.PrintWriter;
import java.util.Map;
import org.synthweave.core.config.ConfigKey;
import org.synthweave.core.config.ConfigRegistry;
import org.synthweave.core.config.Settings;
import org.synthweave.core.config.SettingsLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Shows the resolved configuration, or every valid key with its default and meaning. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Show the resolved configuration (value and where it came from), or with --keys every"
            + " valid key with its default and meaning.")
final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--keys", description = "List every valid key with its default and meaning.")
  boolean keys;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    ConfigRegistry registry = JobContext.registry();
    if (keys) {
      for (ConfigKey<?> k : registry.keys()) {
        out.printf("%-45s default: %s%n    %s%n", k.name(), show(k.defaultValue()), k.doc());
      }
      for (ConfigKey<?> k : registry.familyKeys()) {
        out.printf("%-45s default: %s%n    %s%n", k.name(), show(k.defaultValue()), k.doc());
      }
      for (String p : registry.passThroughPrefixes()) {
        if (registry.familyKeys().stream().anyMatch(k -> k.name().startsWith(p))) {
          continue;
        }
        out.printf("%-45s (free-form: passed through to Spark)%n", p + "<key>");
      }
      out.flush();
      return;
    }
    ConfigOptions o = Main.options(spec);
    Settings s = new SettingsLoader(registry).load(o.confFile, o.sets);
    for (ConfigKey<?> k : registry.keys()) {
      out.printf("%-45s = %-40s (%s)%n", k.name(), show(s.get(k)), s.origin(k.name()));
    }
    for (Map.Entry<String, Object> e : s.explicitValues().entrySet()) {
      if (registry.find(e.getKey()).isEmpty()) {
        out.printf(
            "%-45s = %-40s (%s)%n",
            registry.displayName(e.getKey()), e.getValue(), s.origin(e.getKey()));
      }
    }
    out.flush();
  }

  private static String show(Object v) {
    return v instanceof String s && s.isEmpty() ? "\"\"" : String.valueOf(v);
  }
}
