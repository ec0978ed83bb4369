package org.synthweave.arweave;

/**
 * A snapshot of an upload, taken when one more chunk is confirmed. Counts include chunks confirmed
 * in an earlier, resumed run.
 *
 * @param txId the transaction being uploaded
 * @param bytesDone data bytes whose chunks the gateway has accepted
 * @param bytesTotal the data size
 * @param chunksDone chunks the gateway has accepted
 * @param chunksTotal chunks to upload (0 for data sent inline with the header)
 * @param chunkOffset the {@code offset} (last byte) of the chunk this snapshot confirms, as posted
 *     to {@code /chunk}; -1 for data sent inline with the header
 */
public record UploadProgress(
    String txId,
    long bytesDone,
    long bytesTotal,
    int chunksDone,
    int chunksTotal,
    long chunkOffset) {}
