/**
 * The embedding benchmark: the Spark job, the encoder alone and langchain4j's in-process model on
 * the same sentences in one run, printed by {@code synthweave bench embed}.
 */
package org.synthweave.embedding.bench;
