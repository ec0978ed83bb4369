/**
 * The vector index benchmark ({@code synthweave bench index}) and its data: Fashion-MNIST read from
 * the idx files Debian ships, and jvector and a single Lucene index as the peers measured in the
 * same run.
 */
package org.synthweave.vectors.bench;
