/**
 * Resumable uploads. The signed transaction and the set of confirmed chunks are kept in a small
 * JSON state file, rewritten atomically after every step, so a crashed upload resumes without
 * signing a second transaction, posting the header or any confirmed chunk again. {@link
 * org.synthweave.arweave.upload.FolderUploader} does the same for a whole folder, small files going
 * as data items of one bundle.
 */
package org.synthweave.arweave.upload;
