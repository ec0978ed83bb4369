package org.synthweave.market.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.synthweave.market.Listing;

/**
 * Real metadata text for the market benchmark: the binary packages of Debian's package index, as
 * {@code apt-cache dumpavail} prints it (the lists {@code apt-get update} fetched), each with its
 * name, synopsis (the first line of Description), section, debtags and maintainer. Packages whose
 * synopsis another package already has (the {@code -dev}, {@code -doc} families) are dropped, so
 * every package's text is distinct.
 */
public final class DebianPackages {
  private DebianPackages() {}

  /**
   * One package.
   *
   * @param name the package name, e.g. {@code r-cran-mass}
   * @param version its version
   * @param synopsis the one-line description
   * @param section e.g. {@code gnu-r}
   * @param tags the debtags values after their facet, e.g. {@code statistics} for {@code
   *     field::statistics}, in order, without duplicates
   * @param maintainer the Maintainer field
   */
  public record Package(
      String name,
      String version,
      String synopsis,
      String section,
      List<String> tags,
      String maintainer) {
    public Package {
      tags = List.copyOf(tags);
    }

    /** The keywords of its listing: the section, then the debtags values. */
    public List<String> keywords() {
      Set<String> k = new LinkedHashSet<>();
      if (section != null) {
        k.add(section);
      }
      k.addAll(tags);
      return List.copyOf(k);
    }

    /**
     * This package as a verified catalog listing: the name as title, the synopsis as description,
     * the section and debtags as keywords; no schema or figures (the index has none).
     */
    public Listing listing() {
      return new Listing(
          "deb-" + name,
          maintainer == null ? "debian" : maintainer,
          "apt-cache dumpavail",
          name,
          version,
          name,
          synopsis,
          keywords(),
          null,
          Map.of(),
          List.of(),
          null,
          null,
          null,
          Listing.Kind.REAL,
          0,
          0,
          null,
          Map.of(),
          null,
          null,
          null,
          0,
          Listing.Status.VERIFIED,
          null);
    }
  }

  /**
   * The packages of {@code file} (an {@code apt-cache dumpavail} output), or of {@code apt-cache
   * dumpavail} run now when {@code file} is null; distinct synopses only, in index order.
   */
  public static List<Package> load(Path file) {
    if (file != null) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        return parse(r);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the package index " + file, e);
      }
    }
    try {
      Process p =
          new ProcessBuilder("apt-cache", "dumpavail")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      List<Package> out;
      try (Reader r = new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)) {
        out = parse(r);
      }
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "apt-cache dumpavail failed; run apt-get update first, or pass a saved index file");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run apt-cache dumpavail (not a Debian system?); pass a saved index file", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading apt-cache dumpavail", e);
    }
  }

  /** Parses a Packages-format index; keeps the first package of each synopsis. */
  public static List<Package> parse(Reader reader) throws IOException {
    BufferedReader r = new BufferedReader(reader);
    List<Package> out = new ArrayList<>();
    Set<String> synopses = new HashSet<>();
    Stanza s = new Stanza();
    String line;
    String field = null;
    while ((line = r.readLine()) != null) {
      if (line.isBlank()) {
        s.finish(out, synopses);
        s = new Stanza();
        field = null;
      } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        if ("Tag".equals(field)) {
          s.tags.append(' ').append(line.strip());
        }
      } else {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        field = line.substring(0, colon);
        String value = line.substring(colon + 1).strip();
        switch (field) {
          case "Package" -> s.name = value;
          case "Version" -> s.version = value;
          case "Description" -> s.synopsis = value;
          case "Section" -> s.section = value;
          case "Maintainer" -> s.maintainer = value;
          case "Tag" -> s.tags.append(value);
          default -> {}
        }
      }
    }
    s.finish(out, synopses);
    return out;
  }

  /** {@code packages} in an order fixed by {@code seed}. */
  public static List<Package> shuffled(List<Package> packages, long seed) {
    List<Package> copy = new ArrayList<>(packages);
    Collections.shuffle(copy, new Random(seed));
    return copy;
  }

  private static final class Stanza {
    String name;
    String version;
    String synopsis;
    String section;
    String maintainer;
    final StringBuilder tags = new StringBuilder();

    void finish(List<Package> out, Set<String> synopses) {
      if (name == null || synopsis == null || synopsis.isBlank()) {
        return;
      }
      if (!synopses.add(synopsis.toLowerCase(Locale.ROOT))) {
        return;
      }
      Set<String> values = new LinkedHashSet<>();
      for (String t : tags.toString().split(",")) {
        String tag = t.strip();
        int facet = tag.indexOf("::");
        String v = facet >= 0 ? tag.substring(facet + 2) : tag;
        // field::TODO is Debian's own debtag for "not classified yet", not a keyword
        if (!v.isEmpty() && !v.equals("TODO")) {
          values.add(v);
        }
      }
      out.add(new Package(name, version, synopsis, section, List.copyOf(values), maintainer));
    }
  }
}
