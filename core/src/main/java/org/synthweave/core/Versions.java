package org.synthweave.core;

/** The synthweave code version recorded in run logs and dataset provenance. */
public final class Versions {
  private Versions() {}

  /** The jar's Implementation-Version, or "dev" when running from classes. */
  public static String codeVersion() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
