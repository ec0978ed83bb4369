package org.synthweave.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The synthweave code version and commit recorded in run logs and dataset provenance. */
public final class Versions {
  private static final String GIT_PROPERTIES = "/org/synthweave/core/git.properties";

  private Versions() {}

  /** The jar's Implementation-Version, or "dev" when running from classes. */
  public static String codeVersion() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * The full id of the commit this code was built from, with "-dirty" appended when the working
   * tree had uncommitted changes at build time (then the commit alone does not reproduce the code);
   * null when the build did not stamp one (built outside a git checkout).
   */
  public static String gitCommit() {
    try (InputStream in = Versions.class.getResourceAsStream(GIT_PROPERTIES)) {
      if (in == null) {
        return null;
      }
      Properties p = new Properties();
      p.load(in);
      String id = p.getProperty("git.commit.id.full", "").strip();
      if (!id.matches("[0-9a-f]{40}([0-9a-f]{24})?")) {
        return null;
      }
      return Boolean.parseBoolean(p.getProperty("git.dirty", "false")) ? id + "-dirty" : id;
    } catch (IOException e) {
      return null;
    }
  }
}
