/**
 * Benchmarks: {@link org.synthweave.arweave.bench.ArweaveBench} compares upload throughput with
 * arweave-js (run by {@code synthweave bench arweave}, which prints one JSON line per size) on a
 * fresh {@link org.synthweave.arweave.local.LocalArlocal} per upload. Benchmarks assert nothing;
 * compare their output across runs.
 */
package org.synthweave.arweave.bench;
