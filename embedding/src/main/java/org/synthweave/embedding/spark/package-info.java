/**
 * Thin Spark adapters of the embed stage: text documents through the shared per-executor {@link
 * org.synthweave.embedding.text.TextEncoder} and table rows through a fitted Spark ML feature
 * pipeline, both into {@code gold/embeddings}.
 */
package org.synthweave.embedding.spark;
