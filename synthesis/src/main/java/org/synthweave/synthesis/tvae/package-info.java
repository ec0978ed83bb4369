/**
 * TVAE (Xu et al. 2019, the variational autoencoder of the CTGAN paper, as SDV implements it) on
 * DJL's PyTorch engine: encoder and decoder as explicit tensors, SDV's loss and sampling, Adam
 * shared with CTGAN. Rows are encoded with CTGAN's mode-specific normalization and a training run's
 * state is a plain {@link org.synthweave.synthesis.ctgan.ParamState}, so checkpoints and model
 * files work as for CTGAN. No Spark here.
 */
package org.synthweave.synthesis.tvae;
