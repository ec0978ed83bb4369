/**
 * Benchmarks and the local gateway they run against: {@link
 * org.synthweave.arweave.bench.ArweaveBench} compares upload throughput with arweave-js (run by
 * {@code synthweave bench arweave}, which prints one JSON line per size), and {@link
 * org.synthweave.arweave.bench.LocalArlocal} starts arlocal for it and for the tests. Benchmarks
 * assert nothing; compare their output across runs.
 */
package org.synthweave.arweave.bench;
