package org.synthweave.arweave.crypto;

import java.util.Base64;
import org.synthweave.arweave.ArweaveErrors;

/** Unpadded base64url, the only binary encoding Arweave uses in JSON and URLs. */
public final class Base64Url {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private Base64Url() {}

  public static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  /** Decodes unpadded (or padded) base64url; {@code field} names the value in the error message. */
  public static byte[] decode(String text, String field) {
    if (text == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    try {
      return DECODER.decode(text);
    } catch (IllegalArgumentException e) {
      throw ArweaveErrors.badBase64(field, text, e);
    }
  }
}
