package org.synthweave.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.synthweave.arweave.ArweaveErrors;
import org.synthweave.verification.Certificate;

/** The parts of reading a listing that need no gateway: kinds and which failures are retried. */
class ListingReaderTest {
  private static final List<Listing.Column> PLAIN =
      List.of(new Listing.Column("alcohol", "double"));

  private static Certificate certificate(
      List<Certificate.Model> models, List<Certificate.AugmentRun> augment) {
    return Certificate.of(
        List.of(),
        false,
        null,
        new Certificate.Lineage(
            List.of(), models, augment, "cafe", "0.1.0", null, Map.of("synth.seed", 1L)));
  }

  @Test
  void theKindComesFromTheCertificateTheTableOrAVectorColumn() {
    assertEquals(
        Listing.Kind.REAL,
        ListingReader.kindOf(certificate(List.of(), List.of()), "silver/wine", PLAIN));
    assertEquals(
        Listing.Kind.SYNTHETIC,
        ListingReader.kindOf(
            certificate(
                List.of(new Certificate.Model("ctgan-1", List.of(1L), Map.of(), null)), List.of()),
            "gold/wine_sample",
            PLAIN));
    assertEquals(
        Listing.Kind.AUGMENTED,
        ListingReader.kindOf(
            certificate(List.of(), List.of(new Certificate.AugmentRun(7, "jitter", 10))),
            "gold/wine_augmented",
            PLAIN));
    assertEquals(Listing.Kind.SYNTHETIC, ListingReader.kindOf(null, "gold/wine_synthetic", PLAIN));
    assertEquals(Listing.Kind.EMBEDDINGS, ListingReader.kindOf(null, "gold/embeddings", PLAIN));
    assertEquals(
        Listing.Kind.EMBEDDINGS,
        ListingReader.kindOf(
            null, "gold/other", List.of(new Listing.Column("vector", "array<float>"))));
  }

  @Test
  void onlyAGatewayThatCannotAnswerNowIsRetried() {
    assertTrue(ListingReader.transientFailure(ArweaveErrors.notFound("x", "http://g")));
    assertTrue(
        ListingReader.transientFailure(
            ArweaveErrors.gatewayUnreachable("GET /x", "GET", "http://g/x", new IOException())));
    assertFalse(
        ListingReader.transientFailure(ArweaveErrors.dataTooLarge("x", "http://g/x", 9, 8)));
    assertFalse(
        ListingReader.transientFailure(
            ArweaveErrors.invalidTransaction("x", "http://g", "has another id")));
  }

  @Test
  void anUnverifiedListingNeedsAReasonAndAVerifiedOneHasNone() {
    assertThrows(IllegalArgumentException.class, () -> listing(Listing.Status.UNVERIFIED, null));
    assertThrows(IllegalArgumentException.class, () -> listing(Listing.Status.VERIFIED, "why"));
    assertEquals("unverified", listing(Listing.Status.UNVERIFIED, "forged").status().label());
  }

  private static Listing listing(Listing.Status status, String reason) {
    return new Listing(
        "id",
        "owner",
        "http://g",
        null,
        null,
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
        status,
        reason);
  }
}
