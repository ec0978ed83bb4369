/**
 * The Spark-free heart of the vector store: Lucene HNSW shards ({@link
 * org.synthweave.vectors.HnswShardWriter}), fan-out k-NN over many shards with metadata filters
 * applied inside the graph search ({@link org.synthweave.vectors.ShardSearcher}), and exact search
 * for measuring recall ({@link org.synthweave.vectors.ExactSearch}). The Spark build ({@link
 * org.synthweave.vectors.SparkIndexBuilder}, one shard per partition), the market server and
 * notebooks all use these.
 */
package org.synthweave.vectors;
