/**
 * Resumable chunked uploads. The signed header and the set of confirmed chunks are kept in a small
 * JSON state file, rewritten atomically after every confirmed chunk, so a crashed upload resumes
 * without posting the header or any confirmed chunk again.
 */
package org.synthweave.arweave.upload;
