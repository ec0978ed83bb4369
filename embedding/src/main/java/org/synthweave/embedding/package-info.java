/**
 * The embed stage: its configuration keys and user-facing errors. The text encoder lives in {@code
 * text}, row feature vectors in {@code rows}, the Spark jobs in {@code spark}, the benchmark in
 * {@code bench}.
 */
package org.synthweave.embedding;
