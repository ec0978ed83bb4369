package org.synthweave.market.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.synthweave.market.Listing;

/** Parsing Debian's package index into listings, on stanzas as apt-cache dumpavail prints them. */
class DebianPackagesTest {
  private static final String INDEX =
      """
      Package: r-cran-mass
      Version: 7.3-58.2-1
      Maintainer: Debian R Packages Maintainers <r-pkg-team@alioth-lists.debian.net>
      Description: GNU R package of Venables and Ripley's MASS
      Description-md5: 1637487ae1fdcbcc075337db596a5348
      Tag: devel::lang:r, field::TODO, field::statistics, implemented-in::r,
       suite::gnu
      Section: gnu-r

      Package: r-cran-mass-doc
      Description: GNU R package of Venables and Ripley's MASS
      Section: doc

      Package: 0ad
      Version: 0.0.26-3
      Description: Real-time strategy game of ancient warfare
      Section: games
      """;

  @Test
  void keepsTheFirstPackageOfEachSynopsisWithItsSectionAndTags() throws Exception {
    List<DebianPackages.Package> ps = DebianPackages.parse(new StringReader(INDEX));
    assertEquals(List.of("r-cran-mass", "0ad"), ps.stream().map(p -> p.name()).toList());
    DebianPackages.Package mass = ps.get(0);
    assertEquals(List.of("lang:r", "statistics", "r", "gnu"), mass.tags());
    assertEquals(List.of("gnu-r", "lang:r", "statistics", "r", "gnu"), mass.keywords());

    Listing l = mass.listing();
    assertEquals("deb-r-cran-mass", l.id());
    assertEquals("r-cran-mass", l.title());
    assertEquals("GNU R package of Venables and Ripley's MASS", l.description());
    assertEquals(Listing.Status.VERIFIED, l.status());
    assertEquals(List.of("games"), ps.get(1).keywords());
  }
}
