/**
 * Benchmarks: entry points that print one JSON line of figures per run. They are not tests and
 * assert nothing; compare their output across runs and machines.
 */
package org.synthweave.arweave.bench;
