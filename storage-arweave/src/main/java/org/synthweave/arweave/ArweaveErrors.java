package org.synthweave.arweave;

import java.nio.file.Path;

/**
 * The one place where this module creates user-facing errors. Each message says what went wrong,
 * why, and how to fix it; gateway failures carry the URL, the transaction id or chunk offset, and
 * the node's reason.
 */
public final class ArweaveErrors {
  private static final int NO_STATUS = -1;
  private static final int MAX_REASON_CHARS = 500;

  private ArweaveErrors() {}

  // ---- wallet ----

  public static ArweaveException keyFileTooOpen(Path path, String perms) {
    return fatal(
        "Refusing to load the Arweave key file "
            + path
            + ": its permissions are "
            + perms
            + ", so other accounts on this machine can read or change it and the key must be"
            + " treated as exposed. Run `chmod 600 "
            + path
            + "` (and move funds to a new key if others may have read it).");
  }

  public static ArweaveException keyFileUnreadable(Path path, Exception cause) {
    return new ArweaveException(
        "Cannot read the Arweave key file "
            + path
            + ": "
            + cause
            + ". Check that the path is right and that this user may read it.",
        NO_STATUS,
        null,
        false,
        cause);
  }

  public static ArweaveException keyFileExists(Path path) {
    return fatal(
        "Refusing to write an Arweave key to "
            + path
            + " because the file already exists and may hold a funded key. Choose a new path or"
            + " move the old file away first.");
  }

  public static ArweaveException keyFileUnwritable(Path path, Exception cause) {
    return new ArweaveException(
        "Cannot write the Arweave key file "
            + path
            + ": "
            + cause
            + ". Check that the directory exists and is writable.",
        NO_STATUS,
        null,
        false,
        cause);
  }

  public static ArweaveException badJwk(String source, String detail, Throwable cause) {
    return new ArweaveException(
        "The Arweave key in "
            + source
            + " is not a usable RSA-4096 JWK: "
            + detail
            + ". Use a key file exported by an Arweave wallet or written by Wallet.save.",
        NO_STATUS,
        null,
        false,
        cause);
  }

  public static ArweaveException badBase64(String field, String text, Throwable cause) {
    return new ArweaveException(
        "Field "
            + field
            + " is not base64url: \""
            + abbreviate(text, 80)
            + "\". Arweave encodes binary fields as unpadded base64url (A-Z a-z 0-9 - _).",
        NO_STATUS,
        null,
        false,
        cause);
  }

  // ---- transaction limits and formats ----

  public static ArweaveException tooManyTags(int count, int max) {
    return fatal(
        "The transaction has "
            + count
            + " tags but Arweave nodes accept at most "
            + max
            + "; it was not posted. Merge tags or move the metadata into the data.");
  }

  public static ArweaveException tagBytesTooLarge(int bytes, int max) {
    return fatal(
        "The transaction's tag names and values add up to "
            + bytes
            + " bytes but Arweave nodes accept at most "
            + max
            + " (arlocal does not check this, mainnet does); it was not posted. Shorten the tags"
            + " or move the metadata into the data (e.g. a manifest.json).");
  }

  public static ArweaveException fieldTooLong(String field, int length, int max) {
    return fatal(
        "Transaction field "
            + field
            + " is "
            + length
            + " bytes but must be at most "
            + max
            + "; it was not posted. Check where the value came from (anchor from /tx_anchor,"
            + " owner from a 4096-bit key, target a 43-character address).");
  }

  public static ArweaveException bodyTooLarge(long bytes, int max) {
    return fatal(
        "The request body is "
            + bytes
            + " bytes but Arweave nodes accept at most "
            + max
            + " (15 MiB); it was not posted. Send large data as chunks (data larger than one"
            + " 256 KiB chunk is chunked automatically) or use fewer/smaller tags.");
  }

  public static ArweaveException badTxJson(String detail, Throwable cause) {
    return new ArweaveException(
        "Cannot read the transaction JSON: "
            + detail
            + ". Only format-2 transactions as served by GET /tx/{id} are supported.",
        NO_STATUS,
        null,
        false,
        cause);
  }

  public static ArweaveException invalidProof(long offset, String detail) {
    return fatal(
        "The data_path proof for the chunk at offset "
            + offset
            + " is invalid: "
            + detail
            + ". The chunk or proof was corrupted or belongs to other data; rebuild it from the"
            + " original file.");
  }

  public static ArweaveException badDataItem(String detail) {
    return fatal("Invalid ANS-104 data item: " + detail + ".");
  }

  public static ArweaveException badManifest(String detail) {
    return fatal("Invalid Arweave path manifest: " + detail + ".");
  }

  // ---- gateway ----

  /** A body over the reader's limit: refused, not read on. */
  public static ArweaveException dataTooLarge(String id, String url, long bytes, long max) {
    return fatal(
        "Refused the data of "
            + id
            + " from "
            + url
            + ": it is "
            + (bytes >= 0 ? bytes + " bytes" : "more than " + max + " bytes")
            + ", over the limit of "
            + max
            + ". Why: a reader holds it in memory, and anyone can post a transaction of any size."
            + " Fix: nothing to fix on this side if the data is hostile; raise the limit only for"
            + " a publisher you trust.");
  }

  /** A non-success answer from the gateway that is not specific to one operation. */
  public static ArweaveException gatewayStatus(
      String what, String method, String url, int status, String body, boolean retryable) {
    return new ArweaveException(
        what
            + " failed: "
            + method
            + " "
            + url
            + " answered HTTP "
            + status
            + " \""
            + abbreviate(body, MAX_REASON_CHARS)
            + "\". "
            + (retryable
                ? "The gateway is overloaded or failing; retry later or lower the concurrency."
                : "The gateway refused the request; fix the cause named in its reason."),
        status,
        body,
        retryable,
        null);
  }

  public static ArweaveException redirectRefused(String what, String target, String why) {
    return fatal(
        what
            + " was redirected to "
            + abbreviate(target, 200)
            + ", which was not followed: "
            + why
            + ". Give the gateway's final address with --gateway (a gateway that sends requests"
            + " elsewhere is misconfigured or hostile).");
  }

  public static ArweaveException gatewayUnreachable(
      String what, String method, String url, Throwable cause) {
    return new ArweaveException(
        what
            + " failed: "
            + method
            + " "
            + url
            + " got no answer ("
            + cause
            + "). Check that the gateway URL is right and reachable, or raise the timeout.",
        NO_STATUS,
        null,
        true,
        cause);
  }

  public static ArweaveException retriesExhausted(
      String what, int attempts, ArweaveException last) {
    return new ArweaveException(
        what
            + " still failed after "
            + attempts
            + " attempts; the last error was: "
            + last.getMessage()
            + " Raise the retry limit or try again when the gateway is healthy.",
        last.status(),
        last.reason(),
        false,
        last);
  }

  public static ArweaveException insufficientFunds(
      String txId, String url, String address, long dataSize, String body) {
    return new ArweaveException(
        "Posting transaction "
            + txId
            + " to "
            + url
            + " was refused with HTTP 410 \""
            + abbreviate(body, MAX_REASON_CHARS)
            + "\": wallet "
            + address
            + " cannot pay the fee for "
            + dataSize
            + " bytes. Fund the wallet (on arlocal: GET /mint/"
            + address
            + "/<winston>) and post again.",
        410,
        body,
        false,
        null);
  }

  public static ArweaveException txRejected(String txId, String url, int status, String body) {
    return new ArweaveException(
        "The gateway "
            + url
            + " rejected transaction "
            + txId
            + " with HTTP "
            + status
            + " \""
            + abbreviate(body, MAX_REASON_CHARS)
            + "\". Usual causes: a stale anchor (older than 50 blocks: sign again), a bad"
            + " signature or id, or a data_root that does not match the data.",
        status,
        body,
        false,
        null);
  }

  public static ArweaveException chunkRejected(
      String txId, long offset, String url, int status, String reason, boolean retryable) {
    return new ArweaveException(
        "The gateway "
            + url
            + " refused the chunk at offset "
            + offset
            + " of transaction "
            + txId
            + " with HTTP "
            + status
            + " and reason \""
            + abbreviate(reason, MAX_REASON_CHARS)
            + "\". "
            + (retryable
                ? "The node is not ready for it yet (header not seen or disk pool full); the"
                    + " upload retries it."
                : "The chunk or its proof does not fit the transaction's data_root; re-create the"
                    + " upload from the original file."),
        status,
        reason,
        retryable,
        null);
  }

  public static ArweaveException notFound(String id, String url) {
    return new ArweaveException(
        "Gateway "
            + url
            + " does not know "
            + id
            + " (HTTP 404). Check the id; a fresh transaction may need a few minutes (or a /mine"
            + " on arlocal) before gateways serve it.",
        404,
        null,
        false,
        null);
  }

  public static ArweaveException graphqlErrors(String url, String errors) {
    return new ArweaveException(
        "GraphQL query to "
            + url
            + " returned errors: "
            + abbreviate(errors, MAX_REASON_CHARS)
            + ". Check the filter values (addresses and ids are base64url, tags are plain text).",
        200,
        errors,
        false,
        null);
  }

  public static ArweaveException hashMismatch(
      String id, String source, String expectedHex, String actualHex) {
    return fatal(
        "Data of "
            + id
            + " from "
            + source
            + " has SHA-256 "
            + actualHex
            + " but "
            + expectedHex
            + " was expected: the bytes were corrupted or tampered with in transit or on disk."
            + " Delete the copy and download it again.");
  }

  public static ArweaveException dataRootMismatch(
      String id, String source, String expected, String actual) {
    return fatal(
        "The data of transaction "
            + id
            + " in "
            + source
            + " has data_root "
            + actual
            + " but the signed transaction commits to "
            + expected
            + ": the bytes are not the published ones. Delete the copy and download it again"
            + " (from another gateway if it happens again).");
  }

  public static ArweaveException invalidTransaction(String id, String url, String detail) {
    return fatal(
        "The gateway "
            + url
            + " served a header for "
            + id
            + " that "
            + detail
            + ": it is not what the owner signed and published. Use another gateway, or report"
            + " this one.");
  }

  // ---- published folders ----

  public static ArweaveException notAPathManifest(String id, String detail) {
    return fatal(
        id
            + " is not an arweave/paths manifest: "
            + detail
            + ". Pass the manifest id that publish printed (market/listings.manifest_tx), not the"
            + " id of one file.");
  }

  public static ArweaveException unsafeManifestPath(String manifestId, String path) {
    return fatal(
        "The manifest "
            + manifestId
            + " has the path "
            + path
            + ", which is not a safe relative path inside the download folder (it is absolute,"
            + " climbs out with \"..\", or holds a backslash or control character); refusing"
            + " to write it. The manifest was not made by synthweave publish.");
  }

  public static ArweaveException unknownManifestEntry(
      String manifestId, String path, String id, String bundleId, String url) {
    return fatal(
        "The path "
            + path
            + " of manifest "
            + manifestId
            + " points to "
            + id
            + ", which "
            + url
            + " knows neither as a transaction nor as an item of "
            + (bundleId == null ? "a bundle (the manifest names none)" : "its bundle " + bundleId)
            + ", so the file cannot be checked against what its owner signed. Try another"
            + " gateway, or wait until the gateway has indexed the upload.");
  }

  public static ArweaveException bundledFileMismatch(
      String file, String itemId, String bundleId, String expectedHex, String actualHex) {
    return fatal(
        "The downloaded file "
            + file
            + " (data item "
            + itemId
            + " of bundle transaction "
            + bundleId
            + ") has SHA-256 "
            + actualHex
            + " but the signed item holds "
            + expectedHex
            + ": the gateway served other bytes than were published. Delete the copy and"
            + " download it again, or use another gateway.");
  }

  // ---- local gateway (tests and benchmarks) ----

  public static ArweaveException localGatewayFailed(String what, String detail) {
    return fatal(
        what
            + " failed: "
            + detail
            + ". arlocal needs Node.js 18+ and npm on the PATH and, on first use, network access"
            + " to npm (the harness in storage-arweave/src/test/node installs it with install.sh;"
            + " run that script by hand to see its errors), or pass the URL of a running arlocal.");
  }

  // ---- resumable uploads ----

  public static ArweaveException stateMismatch(Path stateFile, String detail) {
    return fatal(
        "The upload state file "
            + stateFile
            + " belongs to a different upload: "
            + detail
            + ". Delete it to start a new upload of this file, or pass the file it was created"
            + " for.");
  }

  public static ArweaveException stateUnreadable(Path stateFile, Throwable cause) {
    return new ArweaveException(
        "Cannot read the upload state file "
            + stateFile
            + ": "
            + cause
            + ". If it is corrupt, delete it; the upload then starts again with a new"
            + " transaction.",
        NO_STATUS,
        null,
        false,
        cause);
  }

  public static ArweaveException stateUnwritable(Path stateFile, Throwable cause) {
    return new ArweaveException(
        "Cannot write the upload state file "
            + stateFile
            + ": "
            + cause
            + ". Check free space and permissions of its directory; without it a crash cannot"
            + " be resumed.",
        NO_STATUS,
        null,
        false,
        cause);
  }

  /**
   * A download the gateway answered that could not be stored on this machine: a file that cannot be
   * created or written (folder missing or read-only, disk full) or moved into place. Not retried:
   * asking the gateway again would fail the same way.
   */
  public static ArweaveException downloadUnwritable(String what, Path file, Throwable cause) {
    Path folder = file.toAbsolutePath().getParent();
    return new ArweaveException(
        what
            + " failed on this machine, not at the gateway: cannot write "
            + file
            + " ("
            + cause
            + "). Check that "
            + (folder == null ? file : folder)
            + " is a writable folder with free space (and that no folder stands where the file"
            + " goes), then run it again.",
        NO_STATUS,
        null,
        false,
        cause);
  }

  public static ArweaveException dataUnreadable(String source, Throwable cause) {
    return new ArweaveException(
        "Cannot read the data to upload from "
            + source
            + ": "
            + cause
            + ". Check that the file exists, is readable, and was not truncated during the"
            + " upload.",
        NO_STATUS,
        null,
        false,
        cause);
  }

  public static ArweaveException interrupted(String what, InterruptedException cause) {
    Thread.currentThread().interrupt();
    return new ArweaveException(
        what + " was interrupted; run it again to resume.", NO_STATUS, null, false, cause);
  }

  private static ArweaveException fatal(String message) {
    return new ArweaveException(message, NO_STATUS, null, false, null);
  }

  private static String abbreviate(String s, int max) {
    if (s == null) {
      return "";
    }
    String oneLine = s.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "...";
  }
}
