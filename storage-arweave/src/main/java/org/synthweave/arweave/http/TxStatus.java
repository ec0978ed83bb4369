package org.synthweave.arweave.http;

/**
 * Where a transaction stands on the gateway.
 *
 * @param state pending, confirmed or unknown to the gateway
 * @param blockHeight height of the including block, or -1 unless confirmed
 * @param blockIndepHash the including block's hash, or null unless confirmed
 * @param confirmations blocks on top of (and including) that block, or 0 unless confirmed
 */
public record TxStatus(State state, long blockHeight, String blockIndepHash, long confirmations) {
  /** The three answers a gateway can give. */
  public enum State {
    PENDING,
    CONFIRMED,
    NOT_FOUND
  }

  static final TxStatus PENDING = new TxStatus(State.PENDING, -1, null, 0);
  static final TxStatus NOT_FOUND = new TxStatus(State.NOT_FOUND, -1, null, 0);

  public boolean isConfirmed() {
    return state == State.CONFIRMED;
  }
}
