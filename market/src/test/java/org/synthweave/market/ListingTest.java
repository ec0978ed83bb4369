package org.synthweave.market;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The download command a listing shows: publisher text never reaches the shell unescaped. */
class ListingTest {
  private static Listing listing(String dataset, String version) {
    return new Listing(
        "AbC-_123",
        "owner",
        "http://127.0.0.1:1984",
        dataset,
        version,
        null,
        null,
        List.of(),
        null,
        Map.of(),
        List.of(),
        null,
        null,
        null,
        Listing.Kind.UNKNOWN,
        0,
        0,
        null,
        Map.of(),
        null,
        null,
        null,
        1,
        Listing.Status.UNVERIFIED,
        "why");
  }

  @Test
  void theDownloadFolderIsMadeOfSafeCharactersOnly() {
    assertEquals(
        "synthweave market get AbC-_123 --out silver_wine-0",
        listing("silver_wine", "0").downloadCommand());
    assertEquals(
        "synthweave market get AbC-_123 --out x__rm_-rf___-1",
        listing("x; rm -rf $(", "1").downloadCommand());
    assertEquals(
        "synthweave market get AbC-_123 --out _.._etc-2",
        listing("/../etc", "2").downloadCommand());
    assertEquals(
        "synthweave market get AbC-_123 --out AbC-_123", listing(null, null).downloadCommand());
    assertEquals(
        "synthweave market get AbC-_123 --out AbC-_123", listing("-", null).downloadCommand());
  }
}
