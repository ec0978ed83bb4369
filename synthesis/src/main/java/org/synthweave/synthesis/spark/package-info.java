/**
 * Thin Spark adapters of the synthesis heart: the column specs of a table, the Gaussian mixtures of
 * mode-specific normalization fitted by EM over partition statistics, data-parallel CTGAN training
 * (one copy per partition, averaged by the driver each round), model files and checkpoints on
 * Hadoop's file system, and parallel sampling into gold/&lt;dataset&gt;_synthetic.
 */
package org.synthweave.synthesis.spark;
