package org.synthweave.arweave.upload;

/**
 * The outcome of an upload.
 *
 * @param txId the transaction id
 * @param dataSize bytes of data
 * @param dataRoot the committed data_root (base64url; "" for empty data)
 * @param sha256Hex SHA-256 of the data, for manifests and buyer-side checks
 * @param chunks chunks of the data (0 when the data went inline with the header)
 * @param chunksSent chunks posted by this run (confirmed chunks of a resumed run are not re-sent)
 * @param headerPosted whether this run posted the header (false when resuming after it)
 */
public record UploadResult(
    String txId,
    long dataSize,
    String dataRoot,
    String sha256Hex,
    int chunks,
    int chunksSent,
    boolean headerPosted) {}
