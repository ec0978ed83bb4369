/**
 * The Spark-free text encoder: all-MiniLM-L6-v2 on ONNX Runtime with the HuggingFace tokenizer,
 * passage windows for long texts, batched inference and the per-JVM encoder cache. The embed job,
 * the vector search and notebooks all embed through {@link
 * org.synthweave.embedding.text.TextEncoder}, so a query and the documents it searches get vectors
 * from the same code.
 */
package org.synthweave.embedding.text;
