package org.synthweave.arweave;

import java.security.SecureRandom;
import org.synthweave.arweave.wallet.Wallet;

/**
 * RSA-4096 keys take about a second each to generate, so tests share a few. Key generation uses the
 * JDK's SecureRandom: key material is not part of any asserted value, so it needs no seed.
 */
public final class TestWallets {
  private static Wallet first;
  private static Wallet second;

  private TestWallets() {}

  public static synchronized Wallet first() {
    if (first == null) {
      first = Wallet.generate(new SecureRandom());
    }
    return first;
  }

  public static synchronized Wallet second() {
    if (second == null) {
      second = Wallet.generate(new SecureRandom());
    }
    return second;
  }
}
