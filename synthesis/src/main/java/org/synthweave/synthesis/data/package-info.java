/**
 * The data side of synthesis, free of Spark and PyTorch: column specs, the 1-D Gaussian mixture of
 * mode-specific normalization, the reversible data transformer (CTGAN's encoding) and the sampler
 * of conditions for training-by-sampling. Spark adapters feed these with partition statistics.
 */
package org.synthweave.synthesis.data;
