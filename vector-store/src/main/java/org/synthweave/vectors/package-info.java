/**
 * The vector store. Its Spark-free heart: Lucene HNSW shards ({@link
 * org.synthweave.vectors.HnswShardWriter}), fan-out k-NN over many shards with metadata filters
 * applied inside the graph search ({@link org.synthweave.vectors.ShardSearcher}), an index opened
 * from its descriptor ({@link org.synthweave.vectors.VectorIndex}, {@link
 * org.synthweave.vectors.IndexDescriptor}), exact search and recall ({@link
 * org.synthweave.vectors.ExactSearch}, {@link org.synthweave.vectors.IndexEvaluation}); the CLI's
 * search, the market server and notebooks use these without Spark. The Spark adapters keep an index
 * in step with a frame of vectors ({@link org.synthweave.vectors.SparkVectorIndex}: one shard per
 * partition, incremental updates, deletions, compaction) and with gold/embeddings ({@link
 * org.synthweave.vectors.SparkEmbeddingIndex}).
 */
package org.synthweave.vectors;
